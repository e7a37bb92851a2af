#include "abi/libbpf/core_matcher.h"

#include <bpf/btf.h>

#include <charconv>
#include <climits>
#include <optional>

#include "abi/libbpf/type_rules.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

constexpr size_t kMaxSpecLength = 64;  // libbpf's BPF_CORE_SPEC_MAX_LEN

bool IsFieldBased(bpf_core_relo_kind kind) { return kind <= BPF_CORE_FIELD_RSHIFT_U64; }
bool IsTypeBased(bpf_core_relo_kind kind) {
  return kind == BPF_CORE_TYPE_ID_LOCAL || kind == BPF_CORE_TYPE_ID_TARGET ||
         kind == BPF_CORE_TYPE_EXISTS || kind == BPF_CORE_TYPE_SIZE ||
         kind == BPF_CORE_TYPE_MATCHES;
}
bool IsEnumValBased(bpf_core_relo_kind kind) {
  return kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE;
}

struct Accessor {
  TypeId type_id;
  uint32_t idx = 0;
  std::string_view name;  // empty: an array index
};

struct Spec {
  const Btf* btf = nullptr;
  TypeId root;
  std::vector<Accessor> accessors;
  std::vector<uint32_t> raw;
  uint64_t bit_offset = 0;
};

const btf_type* Skip(const Btf& btf, TypeId* id) {
  *id = btf.SkipModsAndTypedefs(*id);
  return btf.Type(*id);
}

// A flexible array: the last member of a struct, with zero elements.
bool IsFlexArray(const Btf& btf, const Accessor* enclosing, const struct btf_array* array) {
  if (enclosing == nullptr || enclosing->name.empty() || array->nelems > 0) return false;
  const btf_type* t = btf.Type(enclosing->type_id);
  return t != nullptr && enclosing->idx + 1 == btf_vlen(t);
}

std::string_view EnumeratorName(const Btf& btf, const btf_type* t, uint32_t i) {
  return btf.String(btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off);
}

// bpf_core_parse_spec: the access string "0:1:2" into accessors.
std::optional<Spec> ParseSpec(const Btf& btf, const CoreRelocation& relo, std::string* error) {
  Spec spec;
  spec.btf = &btf;
  spec.root = relo.root;
  std::string_view text = relo.access_spec;
  if (text.empty() || text[0] == ':') {
    *error = "empty access string";
    return std::nullopt;
  }
  if (IsTypeBased(relo.kind)) {
    if (text != "0") *error = "type relocation with a field access string";
    return error->empty() ? std::optional<Spec>(spec) : std::nullopt;
  }
  for (std::string_view piece : SplitView(text, ':')) {
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), value);
    if (ec != std::errc() || end != piece.data() + piece.size() || spec.raw.size() == kMaxSpecLength) {
      *error = absl::StrFormat("malformed access string '%s'", text);
      return std::nullopt;
    }
    spec.raw.push_back(value);
  }
  TypeId id = relo.root;
  const btf_type* t = Skip(btf, &id);
  if (t == nullptr) {
    *error = "root type id out of range";
    return std::nullopt;
  }
  spec.accessors.push_back(Accessor{id, spec.raw[0], {}});
  if (IsEnumValBased(relo.kind)) {
    if (!btf_is_any_enum(t) || spec.raw.size() > 1 || spec.raw[0] >= btf_vlen(t)) {
      *error = "enum value relocation does not name an enumerator";
      return std::nullopt;
    }
    spec.accessors[0].name = EnumeratorName(btf, t, spec.raw[0]);
    return spec;
  }
  std::optional<uint64_t> size = btf.ResolveSize(id);
  if (!size) {
    *error = "root type has no size";
    return std::nullopt;
  }
  spec.bit_offset = spec.raw[0] * *size * 8;
  for (size_t i = 1; i < spec.raw.size(); ++i) {
    t = Skip(btf, &id);
    if (t == nullptr) {
      *error = "type id out of range";
      return std::nullopt;
    }
    uint32_t index = spec.raw[i];
    if (btf_is_composite(t)) {
      if (index >= btf_vlen(t)) {
        *error = "member index out of range";
        return std::nullopt;
      }
      spec.bit_offset += btf_member_bit_offset(t, index);
      const btf_member* m = btf_members(t) + index;
      if (m->name_off != 0) {
        spec.accessors.push_back(Accessor{id, index, btf.String(m->name_off)});
      }
      id = TypeId{m->type};
    } else if (btf_is_array(t)) {
      const struct btf_array* array = btf_array(t);
      id = TypeId{array->type};
      if (Skip(btf, &id) == nullptr) {
        *error = "array element type out of range";
        return std::nullopt;
      }
      if (!IsFlexArray(btf, &spec.accessors.back(), array) && index >= array->nelems) {
        *error = "array index out of range";
        return std::nullopt;
      }
      spec.accessors.push_back(Accessor{id, index, {}});
      std::optional<uint64_t> element = btf.ResolveSize(id);
      if (!element) {
        *error = "array element has no size";
        return std::nullopt;
      }
      spec.bit_offset += index * *element * 8;
    } else {
      *error = absl::StrFormat("access string walks into a %s", KindName(btf_kind(t)));
      return std::nullopt;
    }
  }
  return spec;
}

// Where a match failed, for the report.
struct MatchNote {
  std::string missing;
};

// bpf_core_match_member: find the local named member in the target struct,
// descending into anonymous members.
int MatchMember(const Spec& local, const Accessor& local_acc, const Btf& target, TypeId target_id,
                Spec* out, TypeId* next, MatchNote* note) {
  const btf_type* tt = Skip(target, &target_id);
  if (tt == nullptr) return -1;
  if (!btf_is_composite(tt)) return 0;
  const btf_type* lt = local.btf->Type(local_acc.type_id);
  const btf_member* local_member = btf_members(lt) + local_acc.idx;
  const btf_member* m = btf_members(tt);
  for (uint16_t i = 0; i < btf_vlen(tt); ++i, ++m) {
    if (out->raw.size() == kMaxSpecLength) return -1;
    uint32_t bit_offset = btf_member_bit_offset(tt, i);
    out->bit_offset += bit_offset;
    out->raw.push_back(i);
    std::string_view name = target.String(m->name_off);
    if (name.empty()) {
      int found = MatchMember(local, local_acc, target, TypeId{m->type}, out, next, note);
      if (found != 0) return found;
    } else if (name == local_acc.name) {
      out->accessors.push_back(Accessor{target_id, i, name});
      *next = TypeId{m->type};
      Compat compat = FieldsAreCompat(*local.btf, TypeId{local_member->type}, target,
                                      TypeId{m->type});
      if (compat == Compat::kError) return -1;
      if (compat == Compat::kNo) {
        out->accessors.pop_back();
        note->missing = absl::StrFormat("member '%s' is '%s' in the kernel, not '%s'", name,
                                        CTypeName(target, TypeId{m->type}),
                                        CTypeName(*local.btf, TypeId{local_member->type}));
        return 0;
      }
      return 1;
    }
    out->bit_offset -= bit_offset;
    out->raw.pop_back();
  }
  return 0;
}

// bpf_core_spec_match against one candidate.
int MatchSpec(const Spec& local, bpf_core_relo_kind kind, const Btf& target, TypeId target_id,
              Spec* out, MatchNote* note) {
  *out = Spec();
  out->btf = &target;
  out->root = target_id;
  if (IsTypeBased(kind)) {
    Compat compat = kind == BPF_CORE_TYPE_MATCHES
                        ? TypesMatch(*local.btf, local.root, target, target_id)
                        : TypesAreCompat(*local.btf, local.root, target, target_id);
    if (compat == Compat::kNo) {
      note->missing = absl::StrFormat("kernel's %s differs", CTypeName(target, target_id));
    }
    return compat == Compat::kYes ? 1 : compat == Compat::kNo ? 0 : -1;
  }
  if (IsEnumValBased(kind)) {
    const btf_type* tt = Skip(target, &target_id);
    if (tt == nullptr || !btf_is_any_enum(tt)) return 0;
    std::string_view want = EssentialName(local.accessors[0].name);
    for (uint16_t i = 0; i < btf_vlen(tt); ++i) {
      std::string_view name = EnumeratorName(target, tt, i);
      if (EssentialName(name) == want) {
        out->accessors.push_back(Accessor{target_id, i, name});
        out->raw.push_back(i);
        return 1;
      }
    }
    note->missing = absl::StrFormat("enumerator %s not in the kernel's %s", local.accessors[0].name,
                                    CTypeName(target, target_id));
    return 0;
  }
  for (size_t i = 0; i < local.accessors.size(); ++i) {
    const Accessor& acc = local.accessors[i];
    const btf_type* tt = Skip(target, &target_id);
    if (tt == nullptr) return -1;
    if (!acc.name.empty()) {
      TypeId next = target_id;
      int matched = MatchMember(local, acc, target, target_id, out, &next, note);
      if (matched <= 0) {
        if (matched == 0 && note->missing.empty()) {
          note->missing = absl::StrFormat("no member '%s' in the kernel's %s", acc.name,
                                          CTypeName(target, target_id));
        }
        return matched;
      }
      target_id = next;
      continue;
    }
    if (i > 0) {
      if (!btf_is_array(tt)) {
        note->missing = absl::StrFormat("the kernel's %s is not an array",
                                        CTypeName(target, target_id));
        return 0;
      }
      const struct btf_array* array = btf_array(tt);
      const Accessor* enclosing = out->accessors.empty() ? nullptr : &out->accessors.back();
      if (!IsFlexArray(target, enclosing, array) && acc.idx >= array->nelems) {
        note->missing = absl::StrFormat("index %u is beyond the kernel's array of %u", acc.idx,
                                        array->nelems);
        return 0;
      }
      target_id = TypeId{array->type};
      if (Skip(target, &target_id) == nullptr) return -1;
    }
    if (out->raw.size() == kMaxSpecLength) return -1;
    out->accessors.push_back(Accessor{target_id, acc.idx, {}});
    out->raw.push_back(acc.idx);
    std::optional<uint64_t> size = target.ResolveSize(target_id);
    if (!size) return -1;
    out->bit_offset += acc.idx * *size * 8;
  }
  return 1;
}

struct Calc {
  uint64_t value = 0;
  uint32_t mem_size = 0;  // load/store size, 0 when not applicable
  TypeId mem_type;
  bool poison = false;
};

enum class CalcError { kNone, kBitfieldTooWide, kArrayKind, kNoSize };

// bpf_core_calc_field_relo and friends: the value for one side.
CalcError CalcValue(bpf_core_relo_kind kind, const Spec* spec, Calc* out) {
  *out = Calc();
  if (IsTypeBased(kind)) {
    if (spec == nullptr) return CalcError::kNone;  // type relocations become 0
    switch (kind) {
      case BPF_CORE_TYPE_ID_TARGET: out->value = spec->root.value; break;
      case BPF_CORE_TYPE_EXISTS:
      case BPF_CORE_TYPE_MATCHES: out->value = 1; break;
      case BPF_CORE_TYPE_SIZE: {
        std::optional<uint64_t> size = spec->btf->ResolveSize(spec->root);
        if (!size) return CalcError::kNoSize;
        out->value = *size;
        break;
      }
      default: break;
    }
    return CalcError::kNone;
  }
  if (IsEnumValBased(kind)) {
    if (kind == BPF_CORE_ENUMVAL_EXISTS) {
      out->value = spec != nullptr;
    } else if (spec == nullptr) {
      out->poison = true;
    } else {
      const btf_type* t = spec->btf->Type(spec->accessors[0].type_id);
      uint32_t i = spec->accessors[0].idx;
      out->value = btf_is_enum(t) ? static_cast<uint32_t>(btf_enum(t)[i].val)
                                  : btf_enum64_value(btf_enum64(t) + i);
    }
    return CalcError::kNone;
  }
  if (kind == BPF_CORE_FIELD_EXISTS) {
    out->value = spec != nullptr;
    return CalcError::kNone;
  }
  if (spec == nullptr) {
    out->poison = true;
    return CalcError::kNone;
  }
  const Btf& btf = *spec->btf;
  const Accessor& acc = spec->accessors.back();
  if (acc.name.empty()) {  // an a[n] accessor
    std::optional<uint64_t> size = btf.ResolveSize(acc.type_id);
    if (!size) return CalcError::kNoSize;
    if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
      out->value = spec->bit_offset / 8;
      out->mem_size = *size;
      out->mem_type = acc.type_id;
    } else if (kind == BPF_CORE_FIELD_BYTE_SIZE) {
      out->value = *size;
    } else {
      return CalcError::kArrayKind;
    }
    return CalcError::kNone;
  }
  const btf_type* t = btf.Type(acc.type_id);
  TypeId field_type = btf.SkipModsAndTypedefs(TypeId{btf_members(t)[acc.idx].type});
  const btf_type* mt = btf.Type(field_type);
  uint64_t bit_off = spec->bit_offset;
  uint32_t bit_sz = btf_member_bitfield_size(t, acc.idx);
  uint64_t byte_sz = 0;
  uint64_t byte_off = 0;
  bool bitfield = bit_sz > 0;
  if (bitfield) {
    byte_sz = mt == nullptr ? 0 : mt->size;
    if (byte_sz == 0) return CalcError::kNoSize;
    byte_off = bit_off / 8 / byte_sz * byte_sz;
    while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
      if (byte_sz >= 8) return CalcError::kBitfieldTooWide;
      byte_sz *= 2;
      byte_off = bit_off / 8 / byte_sz * byte_sz;
    }
  } else {
    std::optional<uint64_t> size = btf.ResolveSize(field_type);
    if (!size) return CalcError::kNoSize;
    byte_sz = *size;
    byte_off = bit_off / 8;
    bit_sz = byte_sz * 8;
  }
  switch (kind) {
    case BPF_CORE_FIELD_BYTE_OFFSET:
      out->value = byte_off;
      if (!bitfield) {
        out->mem_size = byte_sz;
        out->mem_type = field_type;
      }
      break;
    case BPF_CORE_FIELD_BYTE_SIZE: out->value = byte_sz; break;
    case BPF_CORE_FIELD_SIGNED:
      out->value = mt != nullptr && ((btf_is_any_enum(mt) && btf_kflag(mt)) ||
                                     (btf_is_int(mt) && (btf_int_encoding(mt) & BTF_INT_SIGNED)));
      break;
    case BPF_CORE_FIELD_LSHIFT_U64: out->value = 64 - (bit_off + bit_sz - byte_off * 8); break;
    case BPF_CORE_FIELD_RSHIFT_U64: out->value = 64 - bit_sz; break;
    default: break;
  }
  return CalcError::kNone;
}

// libbpf refuses to resize a load/store unless both sides are pointers or
// both unsigned integers: anything else would read a wrong value.
bool MemSizeAdjustFails(const Calc& local, const Spec& local_spec, const Calc& target,
                        const Spec& target_spec) {
  if (local.mem_size == target.mem_size) return false;
  const btf_type* lt = local_spec.btf->Type(local.mem_type);
  const btf_type* tt = target_spec.btf->Type(target.mem_type);
  if (lt == nullptr || tt == nullptr) return true;
  if (btf_is_ptr(lt) && btf_is_ptr(tt)) return false;
  if (btf_is_int(lt) && btf_is_int(tt) && btf_int_encoding(lt) != BTF_INT_SIGNED &&
      btf_int_encoding(tt) != BTF_INT_SIGNED) {
    return false;
  }
  return true;
}

bool IsMemoryInsn(uint8_t code) {
  uint8_t cls = code & 0x07;
  return cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX;
}

std::string RenderSpecPath(const Spec& spec) {
  std::string out(EssentialName(spec.btf->Name(spec.root)));
  for (size_t i = 0; i < spec.accessors.size(); ++i) {
    const Accessor& acc = spec.accessors[i];
    if (!acc.name.empty()) {
      out += (i == 1 ? "->" : ".") + std::string(acc.name);
    } else if (i > 0 || acc.idx > 0) {
      out += absl::StrFormat("[%u]", acc.idx);
    }
  }
  return out;
}

CoreResult Failed(std::string reason) {
  CoreResult result;
  result.outcome = CoreOutcome::kFailed;
  result.reason = std::move(reason);
  return result;
}

std::string CalcErrorText(CalcError error) {
  switch (error) {
    case CalcError::kBitfieldTooWide: return "bitfield cannot be read with a 64-bit load";
    case CalcError::kArrayKind: return "relocation kind cannot apply to an array element";
    case CalcError::kNoSize: return "type has no size";
    case CalcError::kNone: break;
  }
  return "";
}

}  // namespace

std::string_view CoreOutcomeName(CoreOutcome outcome) {
  switch (outcome) {
    case CoreOutcome::kResolved: return "resolved";
    case CoreOutcome::kAbsent: return "absent";
    case CoreOutcome::kPoisoned: return "poisoned";
    case CoreOutcome::kFailed: return "failed";
  }
  return "unknown";
}

CoreResult ResolveCoreRelocation(const Btf& local, const CoreRelocation& relo,
                                 const KernelNameIndex& kernel_names) {
  const btf_type* root = local.Type(relo.root);
  if (root == nullptr) return Failed("root type id out of range");
  std::string parse_error;
  std::optional<Spec> local_spec = ParseSpec(local, relo, &parse_error);
  if (!local_spec) return Failed("cannot parse the relocation: " + parse_error);
  CoreResult result;
  if (relo.kind == BPF_CORE_TYPE_ID_LOCAL) {
    result.local_value = result.target_value = relo.root.value;
    return result;
  }
  std::string_view local_name = local.Name(relo.root);
  if (local_name.empty()) return Failed("CO-RE relocations of anonymous types are not supported");

  std::vector<NamedType> candidates =
      kernel_names.CoreCandidates(EssentialName(local_name), btf_kind(root));
  std::optional<Spec> chosen;
  Calc chosen_calc;
  Calc local_calc;
  CalcError local_error = CalcValue(relo.kind, &*local_spec, &local_calc);
  if (local_error != CalcError::kNone) return Failed(CalcErrorText(local_error));
  MatchNote first_note;
  for (const NamedType& candidate : candidates) {
    Spec spec;
    MatchNote note;
    int matched = MatchSpec(*local_spec, relo.kind, *candidate.btf, candidate.id, &spec, &note);
    if (matched < 0) return Failed("malformed kernel BTF while matching a candidate");
    if (matched == 0) {
      if (first_note.missing.empty()) first_note = note;
      continue;
    }
    Calc calc;
    CalcError error = CalcValue(relo.kind, &spec, &calc);
    if (error != CalcError::kNone) return Failed(CalcErrorText(error));
    if (IsFieldBased(relo.kind) && IsMemoryInsn(relo.insn_code) &&
        MemSizeAdjustFails(local_calc, *local_spec, calc, spec)) {
      calc.poison = true;
    }
    if (!chosen) {
      chosen = spec;
      chosen_calc = calc;
    } else if (spec.bit_offset != chosen->bit_offset) {
      return Failed(absl::StrFormat("field offset ambiguity between candidates: %u != %u bits",
                                    spec.bit_offset, chosen->bit_offset));
    } else if (calc.poison != chosen_calc.poison || calc.value != chosen_calc.value) {
      return Failed("relocation decision ambiguity between candidate types");
    }
  }
  result.local_value = local_calc.value;
  if (chosen) {
    result.target_value = chosen_calc.value;
    if (IsFieldBased(relo.kind) || IsEnumValBased(relo.kind)) {
      result.target_path = RenderSpecPath(*chosen);
    }
    if (chosen_calc.poison) {
      result.outcome = CoreOutcome::kPoisoned;
      result.reason = "the field's size changed and it is neither a pointer nor an unsigned "
                      "integer on both sides: libbpf will not resize the access";
      return result;
    }
    if (IsMemoryInsn(relo.insn_code) && relo.kind == BPF_CORE_FIELD_BYTE_OFFSET &&
        chosen_calc.value > SHRT_MAX) {
      return Failed(absl::StrFormat("field offset %u does not fit a load/store instruction",
                                    chosen_calc.value));
    }
    return result;
  }
  Calc absent;
  CalcValue(relo.kind, nullptr, &absent);
  result.target_value = absent.value;
  result.reason = candidates.empty()
                      ? absl::StrFormat("the kernel has no %s %s", KindName(btf_kind(root)),
                                        std::string(EssentialName(local_name)))
                      : first_note.missing;
  result.outcome = absent.poison ? CoreOutcome::kPoisoned : CoreOutcome::kAbsent;
  return result;
}

}  // namespace kcontract
