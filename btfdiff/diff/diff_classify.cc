#include "btfdiff/diff/diff_classify.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <span>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {
namespace {

std::vector<std::string> TypeTags(const Btf& btf, TypeId id);

Classification Compatible(std::string reason) {
  return {Compatibility::kCompatible, std::move(reason)};
}
Classification NeedsReview(std::string reason) {
  return {Compatibility::kNeedsReview, std::move(reason)};
}
Classification Breaking(std::string reason) {
  return {Compatibility::kBreaking, std::move(reason)};
}

// What kind of difference two references show, once the details that do
// not matter for classifying it are set aside.
enum class Shape : uint8_t {
  kTypedefOnly,           // same type under other typedef names
  kQualifiers,            // const/volatile/restrict or type tags
  kIntWidened,
  kIntNarrowed,
  kIntSignChanged,        // same size, other signedness
  kVoidToValue,
  kValueToVoid,
  kPointerTargetChanged,  // a pointer to another type
  kOtherNamedType,        // another struct, union or enum by value
  kKindChanged,           // an integer became a pointer, ...
  kOther,
};

struct ShapeInfo {
  Shape shape = Shape::kOther;
  uint64_t old_bytes = 0;
  uint64_t new_bytes = 0;
  bool old_signed = false;
  bool new_signed = false;
  std::string old_text;  // the reference as C
  std::string new_text;
  std::string old_core;  // what it resolves to (typedefs and qualifiers gone)
  std::string new_core;
  bool pointee_const_added = false;
  bool pointee_const_removed = false;
  bool tags_differ = false;
};

bool IsIntegerLike(const btf_type* t) {
  return t != nullptr && (btf_is_int(t) || btf_is_any_enum(t));
}

bool IsSignedInteger(const btf_type* t) {
  if (t == nullptr) return false;
  if (btf_is_int(t)) return (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
  if (btf_is_any_enum(t)) return btf_kflag(t);
  return false;
}

// Const and type tags directly in front of a pointer's target.
struct PointeeQualifiers {
  bool is_const = false;
  std::string tags;
};

PointeeQualifiers QualifiersOf(const Btf& btf, TypeId id) {
  PointeeQualifiers q;
  for (int depth = 0; depth < 16; ++depth) {
    const btf_type* t = btf.Type(id);
    if (t == nullptr) break;
    uint32_t kind = btf_kind(t);
    if (kind == BTF_KIND_CONST) {
      q.is_const = true;
    } else if (kind == BTF_KIND_TYPE_TAG) {
      q.tags += std::string(btf.String(t->name_off)) + " ";
    } else if (kind != BTF_KIND_VOLATILE && kind != BTF_KIND_RESTRICT) {
      break;
    }
    id = TypeId{t->type};
  }
  return q;
}

// The tags and const of a reference and, for a pointer, of its target.
struct QualifierView {
  PointeeQualifiers outer;
  PointeeQualifiers pointee;
};

QualifierView ViewQualifiers(const Btf& btf, TypeId id) {
  QualifierView view;
  view.outer = QualifiersOf(btf, id);
  TypeId resolved = btf.SkipModsAndTypedefs(id);
  if (btf.Kind(resolved) == BTF_KIND_PTR) {
    view.pointee = QualifiersOf(btf, TypeId{btf.Type(resolved)->type});
  }
  return view;
}

ShapeInfo DescribeShape(const ChangedRef& ref) {
  ShapeInfo info;
  info.old_text = RenderTypeWithTags(ref.old_btf, ref.old_id);
  info.new_text = RenderTypeWithTags(ref.new_btf, ref.new_id);
  TypeId old_core = ref.old_btf.SkipModsAndTypedefs(ref.old_id);
  TypeId new_core = ref.new_btf.SkipModsAndTypedefs(ref.new_id);
  info.old_core = CTypeName(ref.old_btf, old_core);
  info.new_core = CTypeName(ref.new_btf, new_core);
  info.old_bytes = ref.old_btf.ResolveSize(old_core).value_or(0);
  info.new_bytes = ref.new_btf.ResolveSize(new_core).value_or(0);
  const btf_type* ot = ref.old_btf.Type(old_core);
  const btf_type* nt = ref.new_btf.Type(new_core);
  info.old_signed = IsSignedInteger(ot);
  info.new_signed = IsSignedInteger(nt);

  if (ref.comparison.same_shape) {
    if (!ref.comparison.qualifiers_differ) {
      info.shape = Shape::kTypedefOnly;
      return info;
    }
    info.shape = Shape::kQualifiers;
    QualifierView ov = ViewQualifiers(ref.old_btf, ref.old_id);
    QualifierView nv = ViewQualifiers(ref.new_btf, ref.new_id);
    info.pointee_const_added = !ov.pointee.is_const && nv.pointee.is_const;
    info.pointee_const_removed = ov.pointee.is_const && !nv.pointee.is_const;
    info.tags_differ = ov.outer.tags != nv.outer.tags || ov.pointee.tags != nv.pointee.tags;
    return info;
  }
  if (old_core.is_void() != new_core.is_void()) {
    info.shape = old_core.is_void() ? Shape::kVoidToValue : Shape::kValueToVoid;
    return info;
  }
  if (ot == nullptr || nt == nullptr) return info;
  if (IsIntegerLike(ot) && IsIntegerLike(nt)) {
    if (info.new_bytes > info.old_bytes) {
      info.shape = Shape::kIntWidened;
    } else if (info.new_bytes < info.old_bytes) {
      info.shape = Shape::kIntNarrowed;
    } else if (info.old_signed != info.new_signed) {
      info.shape = Shape::kIntSignChanged;
    } else if (btf_kind(ot) != btf_kind(nt) && !(btf_is_any_enum(ot) && btf_is_any_enum(nt))) {
      info.shape = Shape::kKindChanged;
    } else {
      info.shape = btf_is_any_enum(ot) ? Shape::kOtherNamedType : Shape::kOther;
    }
    return info;
  }
  if (btf_kind(ot) != btf_kind(nt)) {
    info.shape = Shape::kKindChanged;
  } else if (btf_is_ptr(ot)) {
    info.shape = Shape::kPointerTargetChanged;
  } else if (btf_is_composite(ot)) {
    info.shape = Shape::kOtherNamedType;
  }
  return info;
}

std::string Bits(uint64_t bytes) { return absl::StrFormat("%u bits", bytes * 8); }

Classification ClassifyQualifiers(TypeUse use, std::string_view what, const ShapeInfo& s) {
  if (s.tags_differ) {
    return NeedsReview(absl::StrFormat(
        "%s: its type tags changed (%s -> %s); tags such as rcu, user, percpu and "
        "address_space tell the verifier how a pointer may be used",
        what, s.old_text, s.new_text));
  }
  if (use == TypeUse::kKfuncArgument && s.pointee_const_removed) {
    return NeedsReview(absl::StrFormat(
        "%s lost const on its pointee: the kernel may now write through it, which callers "
        "passing read-only memory did not expect",
        what));
  }
  if (use == TypeUse::kKfuncReturn && s.pointee_const_added) {
    return NeedsReview(absl::StrFormat(
        "%s now points to const: callers that write through the result may be refused", what));
  }
  if (use == TypeUse::kKfuncArgument || use == TypeUse::kKfuncReturn) {
    return Compatible(absl::StrFormat(
        "%s: only qualifiers changed; libbpf skips them when it matches a kfunc prototype",
        what));
  }
  return Compatible(absl::StrFormat(
      "%s: only qualifiers changed; CO-RE and the verifier look through them", what));
}

// How one use of a reference (TypeUse) reads a change to it: a verdict and
// its reason for each shape the use tells apart, the last rule (kOther) for
// every other shape. Reasons name their values: {what} the place ("argument
// 2 'flags'"), {old} and {new} the types as C, {old_size} and {new_size}
// their sizes ("32 bits"), {old_width} the old size as a number of bits.
struct ShapeRule {
  Shape shape;
  Compatibility compatibility;
  std::string_view reason;
};

constexpr Compatibility kCompatible = Compatibility::kCompatible;
constexpr Compatibility kNeedsReview = Compatibility::kNeedsReview;
constexpr Compatibility kBreaking = Compatibility::kBreaking;

// The program writes, the kernel reads.
constexpr ShapeRule kKfuncArgumentRules[] = {
    {Shape::kIntWidened, kBreaking,
     "{what} widened from {old} ({old_size}) to {new} ({new_size}): callers compiled against "
     "the old prototype pass a {old_width}-bit value, and the upper bits the kernel now reads "
     "are not theirs"},
    {Shape::kIntNarrowed, kBreaking,
     "{what} narrowed from {old} to {new}: the kernel now reads only the low {new_size}, so "
     "values callers pass above that range are truncated"},
    {Shape::kIntSignChanged, kNeedsReview,
     "{what} changed signedness ({old} -> {new}): the same bits now mean another range, "
     "negative values become large ones or the reverse"},
    {Shape::kPointerTargetChanged, kBreaking,
     "{what} now is {new}, not {old}: the verifier checks what a pointer argument points to "
     "and rejects callers passing the old type"},
    {Shape::kKindChanged, kBreaking,
     "{what} changed kind ({old} -> {new}): libbpf rejects a kfunc extern whose prototype "
     "differs in kind (func_proto incompatible with kernel)"},
    {Shape::kOther, kBreaking,
     "{what} changed type ({old} -> {new}): callers pass what the old prototype asked for"},
};

// The kernel writes, the program reads.
constexpr ShapeRule kKfuncReturnRules[] = {
    {Shape::kIntWidened, kBreaking,
     "{what} widened from {old} to {new}: callers built for {old} read only the low "
     "{old_size} of the result"},
    {Shape::kIntNarrowed, kNeedsReview,
     "{what} narrowed from {old} to {new}: the verifier zero-extends the {new_size} result, "
     "so callers reading {old} see negative values as large ones"},
    {Shape::kIntSignChanged, kNeedsReview,
     "{what} changed signedness ({old} -> {new}): callers read the result with the old "
     "signedness"},
    {Shape::kVoidToValue, kCompatible,
     "{what}: the kfunc returns {new} now; callers built for void ignore it"},
    {Shape::kValueToVoid, kBreaking,
     "{what}: the kfunc returns nothing now; the verifier rejects callers that read R0 after "
     "the call"},
    {Shape::kPointerTargetChanged, kBreaking,
     "{what} now is {new}, not {old}: the verifier types the result by the new type, so "
     "callers' field accesses and the kfuncs they pass it to are checked against it"},
    {Shape::kOther, kBreaking,
     "{what} changed type ({old} -> {new}): callers use the result as the old type"},
};

// The kernel writes, the implementing program reads.
constexpr ShapeRule kCallbackArgumentRules[] = {
    {Shape::kIntWidened, kBreaking,
     "{what} widened from {old} to {new}: implementations built for {old} read only the low "
     "{old_size}, so larger values the kernel passes are truncated"},
    {Shape::kIntNarrowed, kNeedsReview,
     "{what} narrowed from {old} to {new}: implementations read a wider value than the "
     "kernel passes now, zero-extended in its 64-bit context slot"},
    {Shape::kIntSignChanged, kNeedsReview,
     "{what} changed signedness ({old} -> {new}): implementations read it with the old "
     "signedness"},
    {Shape::kPointerTargetChanged, kBreaking,
     "{what} now is {new}, not {old}: implementations read it as the old type, and the "
     "verifier checks their accesses against the new one"},
    {Shape::kOther, kBreaking,
     "{what} changed type ({old} -> {new}): implementations read it as the old type"},
};

// The implementing program writes, the kernel reads.
constexpr std::string_view kCallbackReturnResized =
    "{what} changed size ({old} -> {new}): the kernel reads {new_size} of what "
    "implementations built for {old_size} return";
constexpr ShapeRule kCallbackReturnRules[] = {
    {Shape::kIntWidened, kNeedsReview, kCallbackReturnResized},
    {Shape::kIntNarrowed, kNeedsReview, kCallbackReturnResized},
    {Shape::kIntSignChanged, kNeedsReview,
     "{what} changed signedness ({old} -> {new}): the kernel reads implementations' values "
     "in another range"},
    {Shape::kVoidToValue, kBreaking,
     "{what}: the kernel now uses the callback's {new} result; implementations built for "
     "void return whatever R0 holds"},
    {Shape::kValueToVoid, kCompatible, "{what}: the kernel ignores the result now"},
    {Shape::kOther, kBreaking,
     "{what} changed type ({old} -> {new}): implementations return the old type"},
};

// `reason` with its values (see ShapeRule) filled in.
std::string ExpandReason(std::string_view reason, std::string_view what, const ShapeInfo& s) {
  const std::string sizes[] = {Bits(s.old_bytes), Bits(s.new_bytes),
                               std::to_string(s.old_bytes * 8)};
  const std::pair<std::string_view, std::string_view> values[] = {
      {"{what}", what},         {"{old}", s.old_text},      {"{new}", s.new_text},
      {"{old_size}", sizes[0]}, {"{new_size}", sizes[1]},   {"{old_width}", sizes[2]}};
  std::string out;
  for (size_t at = 0; at < reason.size();) {
    const auto* value = std::find_if(std::begin(values), std::end(values), [&](const auto& v) {
      return reason.substr(at).starts_with(v.first);
    });
    if (value == std::end(values)) {
      out += reason[at++];
      continue;
    }
    out += value->second;
    at += value->first.size();
  }
  return out;
}

// A change where `rules` apply.
Classification ClassifyByRules(std::span<const ShapeRule> rules, std::string_view what,
                               const ShapeInfo& s) {
  for (const ShapeRule& rule : rules) {
    if (rule.shape == s.shape || rule.shape == Shape::kOther) {
      return {rule.compatibility, ExpandReason(rule.reason, what, s)};
    }
  }
  return Breaking(std::string(what));
}

// A kernel type's member, read by programs through CO-RE.
constexpr ShapeRule kTypeMemberRules[] = {
    {Shape::kIntSignChanged, kNeedsReview,
     "{what} changed signedness ({old} -> {new}): CO-RE loads keep the old signedness"},
    {Shape::kPointerTargetChanged, kBreaking,
     "{what} now is {new}, not {old}: programs follow it as the old type, and the verifier "
     "types direct reads by the new one"},
    {Shape::kKindChanged, kBreaking,
     "{what} changed kind ({old} -> {new}): libbpf's CO-RE field check needs compatible "
     "kinds, so relocations of this field fail"},
    {Shape::kOtherNamedType, kNeedsReview,
     "{what} changed type ({old} -> {new}): CO-RE accesses through it resolve against the "
     "new type's members by name"},
    {Shape::kOther, kBreaking, "{what} changed type ({old} -> {new})"},
};

Classification ClassifyMemberType(std::string_view what, const ShapeInfo& s) {
  if (s.shape != Shape::kIntWidened && s.shape != Shape::kIntNarrowed) {
    return ClassifyByRules(kTypeMemberRules, what, s);
  }
  if (!s.old_signed && !s.new_signed) {
    return Compatible(absl::StrFormat(
        "%s changed size (%s -> %s): libbpf resizes CO-RE loads of an unsigned integer field",
        what, s.old_text, s.new_text));
  }
  return Breaking(absl::StrFormat(
      "%s changed size (%s -> %s): libbpf cannot resize a CO-RE load of a signed integer "
      "field (no sign extension), so relocating the old load fails",
      what, s.old_text, s.new_text));
}

Classification ClassifyStructOpsData(std::string_view what, const ShapeInfo& s) {
  if (s.old_bytes != s.new_bytes) {
    return Breaking(absl::StrFormat(
        "%s changed size (%u -> %u bytes): libbpf 1.1 refuses a struct_ops member whose size "
        "differs from the kernel's",
        what, s.old_bytes, s.new_bytes));
  }
  if (s.shape == Shape::kKindChanged || s.shape == Shape::kPointerTargetChanged ||
      s.shape == Shape::kOtherNamedType) {
    return Breaking(absl::StrFormat(
        "%s changed type (%s -> %s): libbpf copies the implementation's value as the old type",
        what, s.old_text, s.new_text));
  }
  return NeedsReview(absl::StrFormat(
      "%s changed type (%s -> %s) at the same size: libbpf copies the bytes unchanged", what,
      s.old_text, s.new_text));
}

// Parameter name suffixes the verifier gives meaning to (kernel/bpf/
// verifier.c, is_kfunc_arg_*). `constrains`: callers must pass something
// narrower than the type says; otherwise the suffix relaxes the checks.
struct Suffix {
  std::string_view suffix;
  bool constrains;
  std::string_view meaning;
};

constexpr std::array<Suffix, 13> kSuffixes = {{
    {"__szk", true, "a constant size of the previous argument"},
    {"__sz", true, "the size of the previous argument's memory"},
    {"__k", true, "a constant known to the verifier"},
    {"__str", true, "a constant string in read-only map memory"},
    {"__map", true, "a map"},
    {"__uninit", true, "uninitialised memory the kernel fills"},
    {"__alloc", true, "an object from bpf_obj_new()"},
    {"__refcounted_kptr", true, "a refcounted kptr"},
    {"__irq_flag", true, "an IRQ flags slot on the stack"},
    {"__nullable", false, "NULL or a valid pointer"},
    {"__opt", false, "an optional buffer (NULL allowed)"},
    {"__ign", false, "anything: the verifier ignores it"},
    {"__prog", false, "anything: the verifier passes the calling program itself"},
}};

const Suffix* SuffixOf(std::string_view name) {
  for (const Suffix& s : kSuffixes) {
    if (name.size() > s.suffix.size() &&
        name.substr(name.size() - s.suffix.size()) == s.suffix) {
      return &s;
    }
  }
  return nullptr;
}

// Every type tag on the way down a reference, through pointers and
// qualifiers (not through typedefs or aggregates).
std::vector<std::string> TypeTags(const Btf& btf, TypeId id) {
  std::vector<std::string> tags;
  for (int depth = 0; depth < 16; ++depth) {
    const btf_type* t = btf.Type(id);
    if (t == nullptr) break;
    uint32_t kind = btf_kind(t);
    if (kind == BTF_KIND_TYPE_TAG) tags.emplace_back(btf.String(t->name_off));
    if (kind != BTF_KIND_TYPE_TAG && kind != BTF_KIND_PTR && kind != BTF_KIND_CONST &&
        kind != BTF_KIND_VOLATILE && kind != BTF_KIND_RESTRICT) {
      break;
    }
    id = TypeId{t->type};
  }
  return tags;
}

}  // namespace

std::string RenderTypeWithTags(const Btf& btf, TypeId id) {
  std::string text = CTypeName(btf, id);
  std::vector<std::string> tags = TypeTags(btf, id);
  if (tags.empty()) return text;
  std::string joined;
  for (const std::string& tag : tags) joined += (joined.empty() ? "" : ", ") + tag;
  return text + " /* tags: " + joined + " */";
}

Classification ClassifyTypeChange(TypeUse use, std::string_view what, const ChangedRef& ref) {
  ShapeInfo s = DescribeShape(ref);
  if (s.shape == Shape::kTypedefOnly) {
    return Compatible(absl::StrFormat("%s: typedef-only rename (%s -> %s), both are %s", what,
                                      s.old_text, s.new_text, s.old_core));
  }
  if (s.shape == Shape::kQualifiers) return ClassifyQualifiers(use, what, s);
  switch (use) {
    case TypeUse::kKfuncArgument: return ClassifyByRules(kKfuncArgumentRules, what, s);
    case TypeUse::kKfuncReturn: return ClassifyByRules(kKfuncReturnRules, what, s);
    case TypeUse::kCallbackArgument: return ClassifyByRules(kCallbackArgumentRules, what, s);
    case TypeUse::kCallbackReturn: return ClassifyByRules(kCallbackReturnRules, what, s);
    case TypeUse::kTypeMember: return ClassifyMemberType(what, s);
    case TypeUse::kStructOpsData: return ClassifyStructOpsData(what, s);
  }
  return Breaking(std::string(what));
}

Classification ClassifyArgumentCount(bool callback, uint32_t old_count, uint32_t new_count,
                                     bool old_is_prefix) {
  if (!callback) {
    return Breaking(absl::StrFormat(
        "callers pass %u arguments; the kernel's prototype has %u now, and libbpf rejects a "
        "kfunc extern whose argument count differs (func_proto incompatible with kernel)",
        old_count, new_count));
  }
  if (new_count > old_count && old_is_prefix) {
    return Compatible(absl::StrFormat(
        "arguments appended after the old %u: implementations built for them never read the "
        "new ones",
        old_count));
  }
  if (new_count < old_count) {
    return Breaking(absl::StrFormat(
        "the kernel passes %u arguments, not %u: the verifier rejects implementations that "
        "read beyond argument %u of the context",
        new_count, old_count, new_count));
  }
  return Breaking(absl::StrFormat(
      "arguments inserted or changed (%u -> %u): implementations read the old arguments at "
      "positions where the kernel now passes others",
      old_count, new_count));
}

std::optional<Classification> ClassifyParameterRename(std::string_view what,
                                                      std::string_view old_name,
                                                      std::string_view new_name) {
  const Suffix* old_suffix = SuffixOf(old_name);
  const Suffix* new_suffix = SuffixOf(new_name);
  if (old_suffix == new_suffix) return std::nullopt;  // names alone are no ABI
  if (new_suffix != nullptr && new_suffix->constrains) {
    return Breaking(absl::StrFormat(
        "%s renamed '%s' -> '%s': the verifier now requires %s, which callers built before "
        "may not pass",
        what, old_name, new_name, new_suffix->meaning));
  }
  if (new_suffix != nullptr) {
    return Compatible(absl::StrFormat("%s renamed '%s' -> '%s': the verifier now accepts %s",
                                      what, old_name, new_name, new_suffix->meaning));
  }
  if (old_suffix->constrains) {
    return Compatible(absl::StrFormat(
        "%s renamed '%s' -> '%s': the verifier no longer requires %s", what, old_name,
        new_name, old_suffix->meaning));
  }
  if (old_suffix->suffix == "__nullable" || old_suffix->suffix == "__opt") {
    return Breaking(absl::StrFormat(
        "%s renamed '%s' -> '%s': the verifier no longer accepts NULL there, so callers "
        "passing NULL are rejected",
        what, old_name, new_name));
  }
  return NeedsReview(absl::StrFormat(
      "%s renamed '%s' -> '%s': the verifier now checks the value callers pass, which it "
      "ignored before",
      what, old_name, new_name));
}

Classification ClassifyFlagChange(std::string_view flag, bool added) {
  struct FlagRule {
    std::string_view flag;
    Compatibility when_added;
    std::string_view added_reason;
    Compatibility when_removed;
    std::string_view removed_reason;
  };
  constexpr std::string_view kIteratorRole =
      "its role in an open-coded iterator changed: the verifier checks new/next/destroy "
      "pairing";
  constexpr std::string_view kFastcall =
      "a calling-convention optimisation the verifier applies without callers' help";
  static constexpr FlagRule kRules[] = {
      {"KF_ACQUIRE", kBreaking,
       "the result is now a reference callers must release: programs built without the "
       "release are rejected (unreleased reference)",
       kBreaking,
       "the result is no longer a reference: callers that release it are rejected"},
      {"KF_RELEASE", kBreaking,
       "the kfunc now consumes a reference: callers must pass an acquired pointer and may not "
       "use it afterwards",
       kBreaking,
       "the kfunc no longer releases its argument: callers relying on it leak the reference "
       "and are rejected"},
      {"KF_RET_NULL", kBreaking,
       "the result may now be NULL: the verifier rejects callers that use it without a NULL "
       "check",
       kCompatible, "the result is never NULL now: callers' NULL checks stay valid"},
      {"KF_TRUSTED_ARGS", kBreaking,
       "arguments must now be trusted pointers: callers passing pointers obtained by walking "
       "structs are rejected",
       kCompatible, "arguments no longer need to be trusted pointers"},
      {"KF_SLEEPABLE", kBreaking,
       "the kfunc may sleep now: the verifier rejects calls from non-sleepable programs",
       kCompatible, "the kfunc no longer sleeps: any program may call it"},
      {"KF_DESTRUCTIVE", kBreaking,
       "the kfunc is destructive now: loading a caller needs CAP_SYS_BOOT", kCompatible,
       "the kfunc is no longer destructive"},
      {"KF_RCU", kCompatible, "the kfunc now also accepts RCU-protected pointers",
       kBreaking,
       "RCU-protected pointers are no longer accepted: callers passing them are rejected"},
      {"KF_RCU_PROTECTED", kBreaking,
       "the kfunc must now be called inside bpf_rcu_read_lock(): other callers are rejected",
       kCompatible, "the kfunc no longer needs an RCU read-side section"},
      {"KF_ITER_NEW", kBreaking, kIteratorRole, kBreaking, kIteratorRole},
      {"KF_ITER_NEXT", kBreaking, kIteratorRole, kBreaking, kIteratorRole},
      {"KF_ITER_DESTROY", kBreaking, kIteratorRole, kBreaking, kIteratorRole},
      {"KF_KPTR_GET", kBreaking,
       "the kfunc now takes a kptr's address and returns a reference", kBreaking,
       "the kfunc no longer takes a kptr's address"},
      {"KF_FASTCALL", kCompatible, kFastcall, kCompatible, kFastcall},
  };
  for (const FlagRule& rule : kRules) {
    if (rule.flag != flag) continue;
    return added ? Classification{rule.when_added, std::string(rule.added_reason)}
                 : Classification{rule.when_removed, std::string(rule.removed_reason)};
  }
  // KF_ARENA_* and flags newer than this table.
  return NeedsReview(absl::StrFormat("the verifier treats the kfunc differently %s %s", 
                                     added ? "with" : "without", flag));
}

Classification ClassifyUnknownFlagBits(uint32_t old_bits, uint32_t new_bits) {
  return NeedsReview(absl::StrFormat(
      "KF_* bits without a name in this release changed (0x%x -> 0x%x): the verifier's "
      "treatment of the kfunc may differ",
      old_bits, new_bits));
}

Classification ClassifyKfuncAdded() {
  return Compatible("new kfunc: programs built before do not call it");
}

Classification ClassifyKfuncRemoved(bool still_a_function) {
  if (still_a_function) {
    return NeedsReview(
        "no longer found as a kfunc, but NEW still has the function and no .BTF_ids to tell: "
        "check whether it is still registered");
  }
  return Breaking(
      "callers' extern no longer resolves: libbpf 1.1 fails the load (a __weak extern "
      "resolves to 0, and only kernels >= 6.4 accept a guarded call to it)");
}

Classification ClassifyKfuncModuleChange(const std::optional<std::string>& old_module,
                                         const std::optional<std::string>& new_module) {
  if (!new_module) {
    return Compatible(absl::StrFormat("moved from module %s into vmlinux: always available now",
                                      *old_module));
  }
  return NeedsReview(absl::StrFormat(
      "now in module %s: callers load only while it is loaded, and libbpf 1.1 finds module "
      "kfuncs only in loaded modules",
      *new_module));
}

Classification ClassifyStructOpsAdded() {
  return Compatible("new struct_ops type: no program implements it yet");
}

Classification ClassifyStructOpsRemoved() {
  return Breaking(
      "implementations can no longer be registered: libbpf finds no kernel type for their "
      "struct_ops map");
}

Classification ClassifyStructOpsMemberAdded(bool callback) {
  if (callback) {
    return Compatible(
        "implementations built before leave it NULL (libbpf zero-fills members they lack), "
        "which the kernel takes as not implemented unless it now requires it");
  }
  return Compatible("implementations built before leave it zero (libbpf zero-fills members)");
}

Classification ClassifyStructOpsMemberRemoved(std::string_view member) {
  return Breaking(absl::StrFormat(
      "libbpf 1.1 fails to load an implementation that has member %s, which the kernel lacks "
      "now (libbpf 1.4 skips it when it is zero)",
      member));
}

Classification ClassifyStructOpsMemberKindChange(bool was_callback) {
  return Breaking(was_callback
                      ? "a callback became a data member: implementations set a program there"
                      : "a data member became a callback: implementations set data there");
}

Classification ClassifyMemberChange(std::string_view type_name, const MemberChange& change,
                                    const TypeComparison& comparison, uint64_t old_type_size) {
  switch (change.kind) {
    case MemberChangeKind::kAdded: {
      const FlatMember& m = *change.new_member;
      if (m.bit_offset >= old_type_size * 8) {
        return Compatible(absl::StrFormat(
            "appended after the old end (offset %u >= old size %u): no existing member moves",
            m.bit_offset / 8, old_type_size));
      }
      return Compatible(
          "CO-RE finds the existing members by name; only programs built without CO-RE read "
          "members that moved at their old offsets");
    }
    case MemberChangeKind::kRemoved:
      return Breaking(absl::StrFormat(
          "CO-RE relocations of %s.%s find no such member now: libbpf poisons the access and "
          "the verifier rejects the program unless bpf_core_field_exists() guards it",
          type_name, change.old_member->name));
    case MemberChangeKind::kMoved:
      return Compatible(
          "CO-RE relocates the offset by name; only programs built without CO-RE read the "
          "old offset");
    case MemberChangeKind::kResized: {
      const FlatMember& om = *change.old_member;
      const FlatMember& nm = *change.new_member;
      if (om.bitfield_size != 0 || nm.bitfield_size != 0) {
        return NeedsReview(absl::StrFormat(
            "bitfield width %u -> %u bits: BPF_CORE_READ_BITFIELD() relocates it, plain loads "
            "of the containing word do not",
            change.old_bits, change.new_bits));
      }
      TypeId old_core = comparison.old_btf().SkipModsAndTypedefs(om.type);
      if (comparison.old_btf().Kind(old_core) == BTF_KIND_ARRAY) {
        if (change.new_bits > change.old_bits) {
          return Compatible("the array grew: existing elements keep their offsets");
        }
        return Breaking(
            "the array shrank: CO-RE relocations of elements beyond the new length fail");
      }
      return Compatible(absl::StrFormat(
          "the embedded type's size changed (%u -> %u bytes); its own changes are listed "
          "under its name, and CO-RE relocates accesses through it",
          change.old_bits / 8, change.new_bits / 8));
    }
    case MemberChangeKind::kRetyped: {
      std::string what = absl::StrFormat("member %s", change.old_member->name);
      ChangedRef ref{comparison.old_btf(), change.old_member->type, comparison.new_btf(),
                     change.new_member->type, change.types};
      return ClassifyTypeChange(TypeUse::kTypeMember, what, ref);
    }
  }
  return NeedsReview("");
}

Classification ClassifySizeChange(std::string_view type_name, bool is_enum, uint64_t old_size,
                                  uint64_t new_size, MemoryOwner owner, std::string_view user) {
  if (is_enum) {
    return NeedsReview(absl::StrFormat(
        "the enum's storage changed (%u -> %u bytes): members and arguments of this type are "
        "read at the new width",
        old_size, new_size));
  }
  switch (owner) {
    case MemoryOwner::kKernel:
      return Compatible(
          "BPF programs neither allocate nor copy whole kernel objects; CO-RE relocates their "
          "reads member by member");
    case MemoryOwner::kProgramSized:
      return Compatible(absl::StrFormat(
          "callers of %s pass its size in a __sz argument, so the kernel knows how much memory "
          "they provide",
          user));
    case MemoryOwner::kProgram:
      if (new_size < old_size) {
        return Compatible(absl::StrFormat(
            "callers of %s provide the memory and now pass more than the kernel reads", user));
      }
      return Breaking(absl::StrFormat(
          "callers of %s provide this memory: the verifier now requires %u bytes for it, and "
          "programs built for %u bytes are rejected or hand the kernel bytes they never set",
          user, new_size, old_size));
  }
  return NeedsReview(std::string(type_name));
}

Classification ClassifyEnumeratorChange(const EnumeratorChange& change) {
  switch (change.kind) {
    case EnumeratorChangeKind::kAdded:
      return Compatible("a new value: existing values keep their meaning");
    case EnumeratorChangeKind::kRemoved:
      return Breaking(absl::StrFormat(
          "programs using %s keep the old value compiled in, or fail a bpf_core_enum_value() "
          "relocation",
          change.name));
    case EnumeratorChangeKind::kValueChanged:
      return Breaking(absl::StrFormat(
          "programs compile the old value (%d) in unless they read it with "
          "bpf_core_enum_value(); the kernel now means %d",
          change.old_value, change.new_value));
  }
  return NeedsReview("");
}

}  // namespace kcontract
