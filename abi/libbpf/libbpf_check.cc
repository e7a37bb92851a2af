#include "abi/libbpf/libbpf_check.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <tuple>

#include "abi/libbpf/core_matcher.h"
#include "abi/libbpf/type_rules.h"
#include "absl/strings/str_format.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// Kernels before 6.4 reject a kfunc call whose id libbpf left at 0 (an
// unresolved weak kfunc), even in dead code.
constexpr KernelVersion kWeakKfuncDeadCodeKernel{6, 4, 0};

class Checker {
 public:
  Checker(const BpfObject& object, const CheckTarget& target)
      : object_(object), target_(target), local_(*object.btf) {}

  std::vector<Finding> Run() {
    for (const BpfExtern& ext : object_.externs) {
      switch (ext.kind) {
        case ExternKind::kKfunc: CheckKfunc(ext); break;
        case ExternKind::kKsymVar: CheckKsymVar(ext); break;
        case ExternKind::kKconfig: CheckKconfig(ext); break;
      }
    }
    for (const BpfMap& map : object_.maps) {
      if (!map.struct_ops_type.empty()) CheckStructOps(map);
    }
    CheckCoreRelocations();
    for (const BpfProgram& program : object_.programs) CheckAttachTarget(program);
    return std::move(findings_);
  }

 private:
  void Add(std::string code, std::string subject, std::string message, LoadEffect effect,
           LoadStage stage, std::string program = "", bool guarded = false,
           bool optional = false) {
    Finding f;
    f.code = std::move(code);
    f.subject = std::move(subject);
    f.program = std::move(program);
    f.message = std::move(message);
    f.effect = effect;
    f.stage = effect == LoadEffect::kNone ? LoadStage::kNone : stage;
    f.guarded = guarded;
    f.optional = optional;
    findings_.push_back(std::move(f));
  }

  const std::string& kernel() const { return target_.label(); }

  void CheckKfunc(const BpfExtern& ext) {
    std::optional<NamedType> found = target_.names().Find(ext.name, BTF_KIND_FUNC);
    if (!found) {
      if (!ext.weak) {
        Add("kfunc-missing", ext.name,
            absl::StrFormat("kfunc is not in %s (vmlinux or modules)%s; libbpf fails: extern "
                            "(func ksym) '%s': not found in kernel or module BTFs",
                            kernel(), ModuleSearchNote(target_.kernel()), ext.name),
            LoadEffect::kLibbpfRejects, LoadStage::kExterns);
        return;
      }
      KernelVersion version = target_.kernel().version();
      if (version.known() && version < kWeakKfuncDeadCodeKernel) {
        Add("kfunc-weak-absent", ext.name,
            absl::StrFormat("optional (weak) kfunc is not in %s%s, and this kernel's verifier "
                            "(< 6.4) rejects an unresolved kfunc call even when it is guarded",
                            kernel(), ModuleSearchNote(target_.kernel())),
            LoadEffect::kVerifierRejects, LoadStage::kVerifier, "", false, true);
      } else {
        Add("kfunc-weak-absent", ext.name,
            absl::StrFormat("optional (weak) kfunc is not in %s%s; every call must be guarded",
                            kernel(), ModuleSearchNote(target_.kernel())),
            LoadEffect::kRejectedIfReached, LoadStage::kVerifier, "", false, true);
      }
      return;
    }
    const btf_type* kernel_func = found->btf->Type(found->id);
    TypeId kernel_proto{kernel_func->type};
    Compat compat = TypesAreCompat(local_, ext.type, *found->btf, kernel_proto);
    std::vector<ProtoDifference> diffs = DiffFuncProtos(local_, ext.type, *found->btf, kernel_proto);
    bool reported = false;
    for (const ProtoDifference& d : diffs) {
      bool rejects = compat != Compat::kYes && d.libbpf_rejects;
      if (compat == Compat::kYes && d.libbpf_rejects) continue;
      Add("kfunc-proto", ext.name, DescribeDifference(d, rejects),
          rejects ? LoadEffect::kLibbpfRejects : LoadEffect::kVerifierMay, LoadStage::kExterns);
      reported |= rejects;
    }
    if (compat != Compat::kYes && !reported) {
      Add("kfunc-proto", ext.name,
          absl::StrFormat("prototype '%s' is incompatible with %s's '%s'",
                          CDeclaration(local_, ext.type, ext.name), kernel(),
                          CFunctionDeclaration(*found->btf, found->id)),
          LoadEffect::kLibbpfRejects, LoadStage::kExterns);
    }
  }

  std::string DescribeDifference(const ProtoDifference& d, bool rejects) const {
    std::string where;
    if (d.argument == -2) {
      return absl::StrFormat("takes %s here but %s in %s; libbpf rejects it", d.local_type,
                             d.target_type, kernel());
    }
    if (d.argument == -1) {
      where = "return type";
    } else {
      where = absl::StrFormat("argument %d", d.argument + 1);
      if (!d.argument_name.empty()) where += " '" + d.argument_name + "'";
    }
    if (d.local_type == d.target_type) {
      return absl::StrFormat("%s '%s' differs in %s%s: %s", where, d.local_type, kernel(),
                             rejects ? "; libbpf rejects it" : "", d.why);
    }
    return absl::StrFormat("%s is '%s' here but '%s' in %s%s: %s", where, d.local_type,
                           d.target_type, kernel(), rejects ? "; libbpf rejects it" : "", d.why);
  }

  void CheckKsymVar(const BpfExtern& ext) {
    if (local_.SkipMods(ext.type).is_void()) {
      Add("ksym-untyped", ext.name,
          "untyped ksym: libbpf resolves it from /proc/kallsyms at load time, which BTF "
          "cannot show",
          LoadEffect::kNone, LoadStage::kExterns);
      return;
    }
    std::optional<NamedType> found = target_.names().Find(ext.name, BTF_KIND_VAR);
    if (!found) {
      if (ext.weak) {
        Add("ksym-weak-absent", ext.name,
            absl::StrFormat("optional (weak) ksym is not in %s; libbpf sets it to 0", kernel()),
            LoadEffect::kNone, LoadStage::kExterns, "", false, true);
      } else {
        Add("ksym-missing", ext.name,
            absl::StrFormat("variable is not in %s's BTF; libbpf fails: extern (var ksym) "
                            "'%s': not found in kernel BTF",
                            kernel(), ext.name),
            LoadEffect::kLibbpfRejects, LoadStage::kExterns);
      }
      return;
    }
    const std::optional<KernelConfig>& config = target_.kernel().config;
    if (config && config->contains("CONFIG_KALLSYMS") &&
        !config->contains("CONFIG_KALLSYMS_ALL")) {
      Add("ksym-no-address", ext.name,
          absl::StrFormat("%s is built without CONFIG_KALLSYMS_ALL, so kallsyms lists no "
                          "variables: the verifier cannot find the address (\"ldimm64 failed "
                          "to find the address for kernel symbol\")",
                          kernel()),
          LoadEffect::kVerifierRejects, LoadStage::kVerifier);
    }
    TypeId kernel_type{found->btf->Type(found->id)->type};
    // libbpf compares the variables' types with modifiers and typedefs
    // stripped on both sides: 'const struct rq' matches 'struct rq'.
    if (TypesAreCompat(local_, local_.SkipModsAndTypedefs(ext.type), *found->btf,
                       found->btf->SkipModsAndTypedefs(kernel_type)) != Compat::kYes) {
      Add("ksym-type", ext.name,
          absl::StrFormat("declared as '%s' here but '%s' in %s; libbpf rejects it",
                          CTypeName(local_, ext.type), CTypeName(*found->btf, kernel_type),
                          kernel()),
          LoadEffect::kLibbpfRejects, LoadStage::kExterns);
    }
  }

  void CheckKconfig(const BpfExtern& ext) {
    static constexpr std::string_view kVirtual[] = {"LINUX_KERNEL_VERSION", "LINUX_HAS_BPF_COOKIE",
                                                    "LINUX_HAS_SYSCALL_WRAPPER"};
    if (std::find(std::begin(kVirtual), std::end(kVirtual), ext.name) != std::end(kVirtual)) return;
    if (!target_.kernel().config) {
      Add("kconfig-unchecked", ext.name,
          absl::StrFormat("%s has no kernel config: cannot tell whether it is set", kernel()),
          LoadEffect::kNone, LoadStage::kExterns);
      return;
    }
    auto value = target_.kernel().config->find(ext.name);
    if (value != target_.kernel().config->end()) {
      std::string problem = KconfigValueProblem(ext, value->second);
      if (!problem.empty()) {
        Add("kconfig-type", ext.name,
            absl::StrFormat("%s's config has %s=%s, but %s; libbpf fails: %s", kernel(),
                            ext.name, value->second, CDeclaration(local_, ext.type, ext.name),
                            problem),
            LoadEffect::kLibbpfRejects, LoadStage::kExterns);
      }
      return;
    }
    if (ext.weak) {
      Add("kconfig-weak-absent", ext.name,
          absl::StrFormat("not set in %s's config; libbpf uses 0", kernel()), LoadEffect::kNone,
          LoadStage::kExterns, "", false, true);
    } else {
      Add("kconfig-missing", ext.name,
          absl::StrFormat("not set in %s's config; libbpf fails: extern '%s' (strong): not "
                          "resolved",
                          kernel(), ext.name),
          LoadEffect::kLibbpfRejects, LoadStage::kExterns);
    }
  }

  // libbpf's classes of kconfig extern types (find_kcfg_type).
  enum class KcfgType { kUnknown, kChar, kBool, kInt, kTristate, kCharArray };

  KcfgType KcfgTypeOf(TypeId id) const {
    id = local_.SkipModsAndTypedefs(id);
    const btf_type* t = local_.Type(id);
    if (t == nullptr) return KcfgType::kUnknown;
    if (btf_is_int(t)) {
      uint32_t encoding = btf_int_encoding(t);
      if (btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8) return KcfgType::kUnknown;
      if (encoding & BTF_INT_BOOL) return t->size == 1 ? KcfgType::kBool : KcfgType::kUnknown;
      if (encoding & BTF_INT_CHAR) return t->size == 1 ? KcfgType::kChar : KcfgType::kUnknown;
      return KcfgType::kInt;
    }
    if (btf_is_enum(t)) {
      return t->size == 4 && local_.Name(id) == "libbpf_tristate" ? KcfgType::kTristate
                                                                   : KcfgType::kUnknown;
    }
    if (btf_is_array(t)) {
      return KcfgTypeOf(TypeId{btf_array(t)->type}) == KcfgType::kChar ? KcfgType::kCharArray
                                                                        : KcfgType::kUnknown;
    }
    return KcfgType::kUnknown;
  }

  // Why libbpf cannot store `value` in the extern, or "" when it can.
  std::string KconfigValueProblem(const BpfExtern& ext, std::string_view value) const {
    KcfgType type = KcfgTypeOf(ext.type);
    if (value == "y" || value == "n" || value == "m") {
      if (type == KcfgType::kBool && value == "m") {
        return absl::StrFormat("value '%s' implies tristate or char type", value);
      }
      if (type == KcfgType::kBool || type == KcfgType::kTristate || type == KcfgType::kChar) {
        return "";
      }
      return absl::StrFormat("value '%s' implies bool, tristate, or char type", value);
    }
    if (!value.empty() && value[0] == '"') {
      if (type != KcfgType::kCharArray) {
        return absl::StrFormat("value '%s' implies char array type", value);
      }
      return "";
    }
    if (type != KcfgType::kInt && type != KcfgType::kChar) {
      return absl::StrFormat("value '%s' implies integer type", value);
    }
    errno = 0;
    char* end = nullptr;
    std::string text(value);
    unsigned long long number = std::strtoull(text.c_str(), &end, 0);
    if (errno != 0 || end == text.c_str() || *end != '\0') {
      return absl::StrFormat("cannot parse '%s' as an integer", value);
    }
    uint64_t size = local_.ResolveSize(ext.type).value_or(0);
    if (size > 0 && size < 8 && (number >> (8 * size)) != 0) {
      return absl::StrFormat("value '%s' doesn't fit in %d bytes", value, size);
    }
    return "";
  }

  void CheckStructOps(const BpfMap& map) {
    const std::string& name = map.struct_ops_type;
    std::optional<NamedType> table = target_.names().FindInVmlinux(name, BTF_KIND_STRUCT);
    if (!table) {
      Add("struct-ops-missing", name,
          absl::StrFormat("struct_ops type 'struct %s' (map %s) is not in %s", name, map.name,
                          kernel()),
          LoadEffect::kLibbpfRejects, LoadStage::kStructOps);
      return;
    }
    if (!target_.names().FindInVmlinux("bpf_struct_ops_" + name, BTF_KIND_STRUCT)) {
      Add("struct-ops-missing", name,
          absl::StrFormat("%s has 'struct %s' but does not register it as a struct_ops type",
                          kernel(), name),
          LoadEffect::kLibbpfRejects, LoadStage::kStructOps);
      return;
    }
    const Btf& kbtf = *table->btf;
    const btf_type* kt = kbtf.Type(table->id);
    const btf_type* lt = local_.Type(map.struct_ops_type_id);
    if (lt == nullptr || !btf_is_composite(lt)) return;
    const btf_member* lm = btf_members(lt);
    for (uint16_t i = 0; i < btf_vlen(lt); ++i) {
      std::string member(local_.String(lm[i].name_off));
      std::string subject = name + "." + member;
      const btf_member* km = FindMember(kbtf, kt, member);
      if (km == nullptr) {
        Add("struct-ops-member", subject,
            absl::StrFormat("member is not in %s's struct %s; libbpf 1.1 fails even when the "
                            "object leaves it zero (libbpf >= 1.4 skips zero members)",
                            kernel(), name),
            LoadEffect::kLibbpfRejects, LoadStage::kStructOps);
        continue;
      }
      TypeId local_cb = CallbackProto(local_, TypeId{lm[i].type});
      TypeId kernel_cb = CallbackProto(kbtf, TypeId{km->type});
      if (!local_cb.is_void()) {
        if (kernel_cb.is_void()) {
          Add("struct-ops-member", subject,
              absl::StrFormat("a callback here but not a function pointer in %s", kernel()),
              LoadEffect::kLibbpfRejects, LoadStage::kStructOps);
          continue;
        }
        if (Implements(map, member)) {
          for (const ProtoDifference& d : DiffFuncProtos(local_, local_cb, kbtf, kernel_cb)) {
            Add("callback-proto", subject, DescribeDifference(d, false) +
                    " (the verifier checks the program against the kernel's prototype)",
                LoadEffect::kVerifierMay, LoadStage::kStructOps);
          }
        }
        continue;
      }
      std::optional<uint64_t> local_size = local_.ResolveSize(TypeId{lm[i].type});
      std::optional<uint64_t> kernel_size = kbtf.ResolveSize(TypeId{km->type});
      if (local_size != kernel_size) {
        Add("struct-ops-member", subject,
            absl::StrFormat("member is %s bytes here but %s in %s; libbpf rejects it",
                            local_size ? std::to_string(*local_size) : "?",
                            kernel_size ? std::to_string(*kernel_size) : "?", kernel()),
            LoadEffect::kLibbpfRejects, LoadStage::kStructOps);
      }
    }
  }

  static const btf_member* FindMember(const Btf& btf, const btf_type* t, std::string_view name) {
    const btf_member* m = btf_members(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      if (btf.String(m[i].name_off) == name) return &m[i];
    }
    return nullptr;
  }

  // The FUNC_PROTO a member points to, or void when it is no callback.
  static TypeId CallbackProto(const Btf& btf, TypeId member_type) {
    TypeId t = btf.SkipModsAndTypedefs(member_type);
    if (btf.Kind(t) != BTF_KIND_PTR) return TypeId{};
    TypeId proto = btf.SkipModsAndTypedefs(TypeId{btf.Type(t)->type});
    return btf.Kind(proto) == BTF_KIND_FUNC_PROTO ? proto : TypeId{};
  }

  static bool Implements(const BpfMap& map, std::string_view member) {
    for (const StructOpsMemberUse& use : map.struct_ops_programs) {
      if (use.member == member) return true;
    }
    return false;
  }

  static bool IsExistenceKind(bpf_core_relo_kind kind) {
    return kind == BPF_CORE_FIELD_EXISTS || kind == BPF_CORE_TYPE_EXISTS ||
           kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_TYPE_MATCHES;
  }

  // A relocation is guarded when its program also asks whether the same
  // root type (or field) exists: the CO-RE idiom for optional fields.
  bool IsGuarded(const CoreRelocation& relo) const {
    std::string_view root = EssentialName(relo.root_name);
    for (const CoreRelocation& other : object_.core_relocations) {
      if (&other == &relo || other.program != relo.program || !IsExistenceKind(other.kind)) {
        continue;
      }
      if (EssentialName(other.root_name) == root) return true;
    }
    return false;
  }

  void CheckCoreRelocations() {
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const CoreRelocation& relo : object_.core_relocations) {
      CoreResult result = ResolveCoreRelocation(local_, relo, target_.names());
      std::string kind(CoreRelocationKindName(relo.kind));
      std::string subject = relo.access_path.empty() ? relo.root_name : relo.access_path;
      if (!seen.insert({relo.program, kind + subject, std::string(CoreOutcomeName(result.outcome))})
               .second) {
        continue;
      }
      switch (result.outcome) {
        case CoreOutcome::kResolved:
          break;
        case CoreOutcome::kAbsent:
          if (IsExistenceKind(relo.kind)) {
            Add("core-absent", subject,
                absl::StrFormat("%s is false on %s: %s", kind, kernel(), result.reason),
                LoadEffect::kNone, LoadStage::kRelocation, relo.program);
          }
          break;
        case CoreOutcome::kPoisoned: {
          bool guarded = IsGuarded(relo);
          Add("core-poisoned", subject,
              absl::StrFormat("%s relocation cannot be resolved on %s (%s): libbpf poisons the "
                              "instruction%s",
                              kind, kernel(), result.reason,
                              guarded ? "; an existence check in the same program guards it"
                                      : " and the verifier rejects the program if it is reachable"),
              LoadEffect::kRejectedIfReached, LoadStage::kVerifier, relo.program, guarded);
          break;
        }
        case CoreOutcome::kFailed:
          Add("core-failed", subject,
              absl::StrFormat("%s relocation fails on %s: %s; libbpf refuses to load", kind,
                              kernel(), result.reason),
              LoadEffect::kLibbpfRejects, LoadStage::kRelocation, relo.program);
          break;
      }
    }
  }

  void CheckAttachTarget(const BpfProgram& program) {
    if (program.attach_target.empty()) return;
    struct Rule {
      std::string_view prefix;
      std::string_view btf_prefix;
      uint32_t kind;
    };
    static constexpr Rule kRules[] = {
        {"fentry", "", BTF_KIND_FUNC},          {"fexit", "", BTF_KIND_FUNC},
        {"fmod_ret", "", BTF_KIND_FUNC},        {"tp_btf/", "btf_trace_", BTF_KIND_TYPEDEF},
        {"lsm", "bpf_lsm_", BTF_KIND_FUNC},     {"iter", "bpf_iter_", BTF_KIND_FUNC},
        {"freplace/", "", BTF_KIND_FUNC},
    };
    for (const Rule& rule : kRules) {
      if (!program.section.starts_with(rule.prefix)) continue;
      if (rule.prefix == "freplace/") return;  // targets another BPF program, not the kernel
      std::string wanted = std::string(rule.btf_prefix) + program.attach_target;
      if (!target_.names().Find(wanted, rule.kind)) {
        Add("attach-target", program.attach_target,
            absl::StrFormat("program %s attaches to '%s', which is not in %s (no %s '%s'); "
                            "libbpf fails to find its BTF type id",
                            program.name, program.attach_target, kernel(),
                            KindName(rule.kind), wanted),
            LoadEffect::kLibbpfRejects, LoadStage::kAttach, program.name);
      }
      return;
    }
  }

  const BpfObject& object_;
  const CheckTarget& target_;
  const Btf& local_;
  std::vector<Finding> findings_;
};

}  // namespace

ObjectCheck CheckObject(const BpfObject& object, const CheckTarget& target) {
  ObjectCheck check;
  check.object = object.path;
  check.kernel = target.label();
  if (object.btf == nullptr) {
    Finding f;
    f.code = std::string(kNoBtfCode);
    f.subject = object.path;
    f.message = "object has no BTF: kfunc prototypes, struct_ops, CO-RE relocations and map "
                "types cannot be checked";
    check.findings.push_back(std::move(f));
    return check;
  }
  check.findings = Checker(object, target).Run();
  return check;
}

}  // namespace kcontract
