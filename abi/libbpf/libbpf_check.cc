#include "abi/libbpf/libbpf_check.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "abi/libbpf/attach_target.h"
#include "abi/libbpf/core_matcher.h"
#include "abi/libbpf/insn_rules.h"
#include "abi/libbpf/kconfig.h"
#include "abi/libbpf/kfunc_rules.h"
#include "abi/libbpf/open_rules.h"
#include "abi/libbpf/struct_ops_rules.h"
#include "abi/libbpf/type_rules.h"
#include "abi/libbpf/verifier_reach.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/c_decl.h"
#include "btfdiff/model/name_index.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// Kernels before 6.4 reject a kfunc call whose id libbpf left at 0 (an
// unresolved weak kfunc), even in dead code.
constexpr KernelVersion kWeakKfuncDeadCodeKernel{6, 4, 0};

// How libbpf's messages name a BTF kind: "fwd", "struct", ...
std::string LibbpfKindName(uint32_t kind) {
  std::string name(KindName(kind));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

class Checker {
 public:
  Checker(const BpfObject& object, const CheckTarget& target, LibbpfVersion version)
      : object_(object), target_(target), version_(version), local_(*object.btf) {}

  std::vector<Finding> Run() {
    for (const BpfExtern& ext : object_.externs) {
      switch (ext.kind) {
        case ExternKind::kKfunc: CheckKfunc(ext); break;
        case ExternKind::kKsymVar: CheckKsymVar(ext); break;
        case ExternKind::kKconfig: CheckKconfig(ext); break;
      }
    }
    CheckKfuncAddresses();
    for (Finding& f : CheckStructOpsMaps(object_, target_, version_)) {
      findings_.push_back(std::move(f));
    }
    CheckCoreRelocations();
    for (const BpfProgram& program : object_.programs) CheckAttachTarget(program);
    for (Finding& f : CheckInstructionRegisters(object_)) findings_.push_back(std::move(f));
    return std::move(findings_);
  }

 private:
  void Add(std::string code, std::string subject, std::string message, LoadEffect effect,
           LoadStage stage, std::string program = "", bool guarded = false,
           bool optional = false) {
    Finding f = LoadFinding(code, std::move(subject), std::move(message), effect, stage,
                            std::move(program));
    f.guarded = guarded;
    f.optional = optional;
    findings_.push_back(std::move(f));
  }

  const std::string& kernel() const { return target_.label(); }

  void CheckKfunc(const BpfExtern& ext) {
    KfuncResolution r = ResolveKfunc(local_, ext, target_.names(), version_);
    if (!r.found) {
      if (!ext.weak) {
        Add("kfunc-missing", ext.name,
            absl::StrFormat("kfunc %sis not in %s (vmlinux or modules)%s; libbpf fails: extern "
                            "(func ksym) '%s': not found in kernel or module BTFs%s",
                            LookupNote(ext, r), kernel(), ModuleSearchNote(target_.kernel()),
                            ext.name, FlavourHint(ext)),
            LoadEffect::kLibbpfRejects, LoadStage::kExterns);
        return;
      }
      AddWeakUnresolved(ext, absl::StrFormat("optional (weak) kfunc %sis not in %s%s",
                                             LookupNote(ext, r), kernel(),
                                             ModuleSearchNote(target_.kernel())),
                        FlavourHint(ext));
      return;
    }
    const btf_type* kernel_func = r.found->btf->Type(r.found->id);
    TypeId kernel_proto{kernel_func->type};
    if (r.weak_incompatible) {
      const LibbpfRule& rule = RuleOf(LibbpfFeature::kWeakKfuncIncompatibleUnresolved);
      AddWeakUnresolved(
          ext,
          absl::StrFormat("optional (weak) kfunc %s'%s' is incompatible with %s's '%s', so "
                          "libbpf %s leaves it unresolved (%s; libbpf < %s refuses the object)",
                          LookupNote(ext, r), CDeclaration(local_, ext.type, ext.name), kernel(),
                          CFunctionDeclaration(*r.found->btf, r.found->id),
                          VersionText(), rule.name, rule.since.ToString()),
          "");
      findings_.back().code = "kfunc-weak-incompatible";
      return;
    }
    Compat compat = r.compat;
    std::string weak_hint;
    if (ext.weak && compat != Compat::kYes) {
      const LibbpfRule& rule = RuleOf(LibbpfFeature::kWeakKfuncIncompatibleUnresolved);
      weak_hint = absl::StrFormat(" (libbpf >= %s leaves a weak kfunc it cannot match "
                                  "unresolved instead: %s)",
                                  rule.since.ToString(), rule.name);
    }
    std::vector<ProtoDifference> diffs =
        DiffFuncProtos(local_, ext.type, *r.found->btf, kernel_proto);
    bool reported = false;
    for (const ProtoDifference& d : diffs) {
      bool rejects = compat != Compat::kYes && d.libbpf_rejects;
      if (compat == Compat::kYes && d.libbpf_rejects) continue;
      Add("kfunc-proto", ext.name,
          DescribeProtoDifference(d, rejects, kernel()) + (rejects ? weak_hint : ""),
          rejects ? LoadEffect::kLibbpfRejects : LoadEffect::kVerifierMay, LoadStage::kExterns);
      reported |= rejects;
    }
    if (compat != Compat::kYes && !reported) {
      Add("kfunc-proto", ext.name,
          absl::StrFormat("prototype '%s' is incompatible with %s's '%s'%s",
                          CDeclaration(local_, ext.type, ext.name), kernel(),
                          CFunctionDeclaration(*r.found->btf, r.found->id), weak_hint),
          LoadEffect::kLibbpfRejects, LoadStage::kExterns);
    }
  }

  // "libbpf 1.3", the release judged.
  std::string VersionText() const {
    return version_.ToString();
  }

  // "bpf_foo (the essential name of bpf_foo___v2) ": what libbpf looked up,
  // when it is not the extern's name.
  static std::string LookupNote(const BpfExtern& ext, const KfuncResolution& r) {
    if (r.lookup == ext.name) return "";
    return absl::StrFormat("%s (the essential name of %s) ", r.lookup, ext.name);
  }

  // A flavoured extern a release before 1.3 looks up by its full name.
  std::string FlavourHint(const BpfExtern& ext) const {
    std::string_view essential = EssentialName(ext.name);
    if (essential == ext.name || Has(version_, LibbpfFeature::kKfuncFlavour)) return "";
    const LibbpfRule& rule = RuleOf(LibbpfFeature::kKfuncFlavour);
    std::string has = target_.names().Find(essential, BTF_KIND_FUNC)
                          ? absl::StrFormat(", which %s has", kernel())
                          : std::string();
    return absl::StrFormat("; libbpf %s looks kfuncs up by their full name, ___flavour "
                           "included: libbpf >= %s looks up %s%s (%s)",
                           VersionText(), rule.since.ToString(), essential, has, rule.name);
  }

  // A weak kfunc libbpf leaves unresolved. Before 1.2 its calls keep BTF
  // id 0, which kernels before 6.4 reject wherever they are; from 1.2 they
  // are poisoned, rejected only where the verifier reaches them.
  void AddWeakUnresolved(const BpfExtern& ext, const std::string& what, const std::string& hint) {
    const LibbpfRule& poison = RuleOf(LibbpfFeature::kWeakKfuncCallPoisoned);
    KernelVersion version = target_.kernel().version();
    const bool poisoned = Has(version_, poison.feature);
    if (!poisoned && version.known() && version < kWeakKfuncDeadCodeKernel) {
      Add("kfunc-weak-absent", ext.name,
          absl::StrFormat("%s, and this kernel's verifier (< 6.4) rejects an unresolved kfunc "
                          "call even when it is guarded%s",
                          what, CallSites(ext.name).empty()
                                    ? std::string()
                                    : absl::StrFormat(" (libbpf >= %s poisons such calls "
                                                      "instead, rejected only where reached: "
                                                      "%s)",
                                                      poison.since.ToString(), poison.name)) +
              hint,
          LoadEffect::kVerifierRejects, LoadStage::kVerifier, "", false, true);
    } else {
      Add("kfunc-weak-absent", ext.name,
          absl::StrFormat("%s; every call must be guarded%s", what,
                          poisoned ? std::string(" (libbpf poisons each call)") : std::string()) +
              hint,
          LoadEffect::kRejectedIfReached, LoadStage::kVerifier, "", false, true);
    }
    findings_.back().sites = CallSites(ext.name);
  }

  // Before 1.2, libbpf relocates the address of a kfunc (ld_imm64,
  // bpf_ksym_exists) against vmlinux's BTF even when a module defines it.
  void CheckKfuncAddresses() {
    if (Has(version_, LibbpfFeature::kKfuncAddressInModule)) return;
    const LibbpfRule& rule = RuleOf(LibbpfFeature::kKfuncAddressInModule);
    for (const BpfExtern& ext : object_.externs) {
      if (ext.kind != ExternKind::kKfunc || !LoadsAddress(ext.name)) continue;
      KfuncResolution r = ResolveKfunc(local_, ext, target_.names(), version_);
      if (!r.resolved || r.found->module == nullptr) continue;
      Add("kfunc-address-module", ext.name,
          absl::StrFormat("the program takes the address of kfunc %s (bpf_ksym_exists), which "
                          "module %s defines in %s; libbpf %s relocates it against vmlinux's "
                          "BTF, so the kernel looks the module's id up in vmlinux: it refuses "
                          "the program, or takes another function's address (libbpf >= %s "
                          "uses the module's BTF: %s)",
                          ext.name, *r.found->module, kernel(), VersionText(),
                          rule.since.ToString(), rule.name),
          LoadEffect::kVerifierMay, LoadStage::kVerifier);
    }
  }

  // Whether some instruction loads the extern's address (ld_imm64).
  bool LoadsAddress(std::string_view name) const {
    for (const CodeReference& ref : object_.code.references) {
      if (ref.kind != CodeReference::Kind::kExtern || ref.symbol != name) continue;
      const CodeSection* section = object_.code.Section(ref.section);
      if (section == nullptr || ref.insn >= section->insns.size()) continue;
      if (section->insns[ref.insn].code == (BPF_LD | BPF_IMM | BPF_DW)) return true;
    }
    return false;
  }

  // The calls of the extern `name`: (section index, instruction index).
  std::vector<std::pair<uint32_t, uint32_t>> CallSites(std::string_view name) const {
    std::vector<std::pair<uint32_t, uint32_t>> sites;
    for (const CodeReference& ref : object_.code.references) {
      if (ref.kind != CodeReference::Kind::kExtern || ref.symbol != name) continue;
      const CodeSection* section = object_.code.Section(ref.section);
      if (section == nullptr || ref.insn >= section->insns.size()) continue;
      if (section->insns[ref.insn].code == (BPF_JMP | BPF_CALL)) {
        sites.emplace_back(ref.section, ref.insn);
      }
    }
    return sites;
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
    TypeId kernel_type{found->btf->Type(found->id)->type};
    // libbpf compares the variables' types with modifiers and typedefs
    // stripped on both sides: 'const struct rq' matches 'struct rq'.
    if (TypesAreCompat(local_, local_.SkipModsAndTypedefs(ext.type), *found->btf,
                       found->btf->SkipModsAndTypedefs(kernel_type)) != Compat::kYes) {
      if (local_.Kind(local_.SkipModsAndTypedefs(ext.type)) == BTF_KIND_FWD) {
        AddKsymForwardOnly(ext, *found->btf, kernel_type);
        return;
      }
      Add("ksym-type", ext.name,
          absl::StrFormat("declared as '%s' here but '%s' in %s; libbpf rejects it",
                          CTypeName(local_, ext.type), CTypeName(*found->btf, kernel_type),
                          kernel()),
          LoadEffect::kLibbpfRejects, LoadStage::kExterns);
      return;
    }
    // Only a ksym libbpf resolved gets to the verifier.
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
  }

  // A ksym whose type the object only declares ("struct rq;"): its BTF is
  // a FWD, which libbpf never finds compatible with the kernel's struct. The
  // ids are those libbpf prints: both types with modifiers and typedefs
  // skipped.
  void AddKsymForwardOnly(const BpfExtern& ext, const Btf& kernel_btf, TypeId kernel_type) {
    TypeId local_fwd = local_.SkipModsAndTypedefs(ext.type);
    TypeId kernel_resolved = kernel_btf.SkipModsAndTypedefs(kernel_type);
    Add("ksym-type", ext.name,
        absl::StrFormat("the object has only a forward declaration of '%s' (it never defines "
                        "it), but %s has '%s': libbpf never matches a declaration with a "
                        "definition, so it refuses the extern; libbpf: \"extern (var ksym) '%s': "
                        "incompatible types, expected [%d] %s %s, but kernel has [%d] %s %s\"",
                        CTypeName(local_, local_fwd), kernel(),
                        CTypeName(kernel_btf, kernel_resolved), ext.name, local_fwd.value,
                        LibbpfKindName(local_.Kind(local_fwd)), local_.Name(local_fwd),
                        kernel_resolved.value,
                        LibbpfKindName(kernel_btf.Kind(kernel_resolved)),
                        kernel_btf.Name(kernel_resolved)),
        LoadEffect::kLibbpfRejects, LoadStage::kExterns);
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
      std::string problem = KconfigValueProblem(local_, ext.type, value->second);
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

  // One finding per source-level access: the relocations of one program
  // that reach the same field or type with the same outcome (a bitfield
  // read is five: byte_off, byte_sz, lshift, rshift, signed), with every
  // instruction they patch as the finding's sites.
  struct CoreGroup {
    const CoreRelocation* first = nullptr;
    CoreResult result;
    std::vector<std::string> kinds;
    std::vector<std::pair<uint32_t, uint32_t>> sites;
    bool guarded = false;
  };

  void CheckCoreRelocations() {
    std::vector<CoreGroup> groups;
    std::map<std::tuple<std::string, std::string, CoreOutcome>, size_t> by_key;
    for (const CoreRelocation& relo : object_.core_relocations) {
      CoreResult result = ResolveCoreRelocation(local_, relo, target_.names());
      if (result.outcome == CoreOutcome::kResolved) continue;
      if (result.outcome == CoreOutcome::kAbsent && !IsExistenceKind(relo.kind)) continue;
      std::string subject = relo.access_path.empty() ? relo.root_name : relo.access_path;
      auto [it, inserted] = by_key.try_emplace({relo.program, subject, result.outcome}, groups.size());
      if (inserted) groups.push_back(CoreGroup{&relo, result, {}, {}, IsGuarded(relo)});
      CoreGroup& group = groups[it->second];
      std::string kind(CoreRelocationKindName(relo.kind));
      if (std::find(group.kinds.begin(), group.kinds.end(), kind) == group.kinds.end()) {
        group.kinds.push_back(kind);
      }
      if (std::optional<std::pair<uint32_t, uint32_t>> site = SiteOf(relo)) {
        group.sites.push_back(*site);
      }
    }
    for (const CoreGroup& group : groups) AddCoreFinding(group);
  }

  // The instruction a relocation patches: (section index, instruction index).
  std::optional<std::pair<uint32_t, uint32_t>> SiteOf(const CoreRelocation& relo) const {
    const CodeSection* section = object_.code.SectionNamed(relo.section);
    if (section == nullptr) return std::nullopt;
    return std::make_pair(section->index, static_cast<uint32_t>(relo.insn_offset / 8));
  }

  // "byte_off relocation", or for several: "byte_off, byte_sz, lshift_u64,
  // rshift_u64 and signed relocations (a bitfield read)".
  static std::string KindsText(const std::vector<std::string>& kinds) {
    if (kinds.size() == 1) return kinds[0] + " relocation";
    std::string text;
    for (size_t i = 0; i < kinds.size(); ++i) {
      text += i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ";
      text += kinds[i];
    }
    bool bitfield = std::find(kinds.begin(), kinds.end(), "lshift_u64") != kinds.end() ||
                    std::find(kinds.begin(), kinds.end(), "rshift_u64") != kinds.end();
    return text + " relocations" + (bitfield ? " (a bitfield read)" : "");
  }

  void AddCoreFinding(const CoreGroup& group) {
    const CoreRelocation& relo = *group.first;
    const CoreResult& result = group.result;
    std::string subject = relo.access_path.empty() ? relo.root_name : relo.access_path;
    std::string kinds = KindsText(group.kinds);
    switch (result.outcome) {
      case CoreOutcome::kResolved:
        return;
      case CoreOutcome::kAbsent:
        Add("core-absent", subject,
            absl::StrFormat("%s %s false on %s: %s", Join(group.kinds, ", "),
                            group.kinds.size() == 1 ? "is" : "are", kernel(), result.reason),
            LoadEffect::kNone, LoadStage::kRelocation, relo.program);
        break;
      case CoreOutcome::kPoisoned:
        // What the verifier does with it is added once the reach analysis
        // ran (CheckObject).
        Add("core-poisoned", subject,
            absl::StrFormat("%s cannot be resolved on %s (%s): libbpf poisons the instruction",
                            kinds, kernel(), result.reason),
            LoadEffect::kRejectedIfReached, LoadStage::kVerifier, relo.program, group.guarded);
        findings_.back().sites = group.sites;
        break;
      case CoreOutcome::kFailed:
        Add("core-failed", subject,
            absl::StrFormat("%s fails on %s: %s; libbpf refuses to load", kinds, kernel(),
                            result.reason),
            LoadEffect::kLibbpfRejects, LoadStage::kRelocation, relo.program);
        break;
    }
  }

  // libbpf_prepare_prog_load: a BTF-attached program's target is looked up
  // in the kernel's BTF just before the program loads (or, when the loader
  // sets it, in bpf_program__set_attach_target, which then fails).
  void CheckAttachTarget(const BpfProgram& program) {
    std::optional<BtfAttach> attach = BtfAttachOf(program);
    if (!attach || !attach->kernel) return;  // freplace: a function of another BPF program
    if (program.attach_target.empty()) {
      // The loader sets a target only it knows: nothing to check.
      if (program.attach_target_set_by_loader) return;
      Add("attach-target", program.name,
          absl::StrFormat("program %s in section %s names no attach target and the loader "
                          "sets none; libbpf fails: no BTF-based attach target is specified, "
                          "use bpf_program__set_attach_target()",
                          program.name, program.section),
          LoadEffect::kLibbpfRejects, LoadStage::kAttach, program.name);
      return;
    }
    std::string wanted = KernelAttachName(*attach, program.attach_target);
    if (target_.names().Find(wanted, attach->btf_kind)) return;
    Add("attach-target", program.attach_target,
        program.attach_target_set_by_loader
            ? absl::StrFormat("the loader sets the attach target of program %s to '%s', which "
                              "is not in %s (no %s '%s'); bpf_program__set_attach_target fails "
                              "to find its BTF type id",
                              program.name, program.attach_target, kernel(),
                              KindName(attach->btf_kind), wanted)
            : absl::StrFormat("program %s attaches to '%s', which is not in %s (no %s '%s'); "
                              "libbpf fails to find its BTF type id",
                              program.name, program.attach_target, kernel(),
                              KindName(attach->btf_kind), wanted),
        LoadEffect::kLibbpfRejects, LoadStage::kAttach, program.name);
  }

  const BpfObject& object_;
  const CheckTarget& target_;
  const LibbpfVersion version_;
  const Btf& local_;
  std::vector<Finding> findings_;
};

}  // namespace

ObjectCheck CheckObject(const BpfObject& object, const CheckTarget& target,
                        const CheckOptions& options) {
  ObjectCheck check;
  check.object = object.path;
  check.kernel = target.label();
  check.libbpf = options.libbpf;
  const LibbpfVersion version = options.libbpf.rules();
  check.findings = CheckOpenRules(object, version);
  // Nothing but the byte order is read of a big-endian object.
  if (object.big_endian) return check;
  if (object.btf == nullptr) {
    // An object libbpf refuses for want of BTF says so already.
    for (const Finding& f : check.findings) {
      if (f.code == kOpenBtfRequiredCode) return check;
    }
    Finding f;
    f.code = std::string(kNoBtfCode);
    f.subject = object.path;
    f.message = "object has no BTF: kfunc prototypes, struct_ops, CO-RE relocations and map "
                "types cannot be checked";
    check.findings.push_back(std::move(f));
    return check;
  }
  // The struct_ops maps this release does not create, and the programs
  // only they use, are left out as a loader's autocreate/autoload off are.
  StructOpsLeftOut left_out = StructOpsLeftOutBy(object, version);
  std::unique_ptr<BpfObject> copy;
  if (!left_out.maps.empty()) copy = CopyBpfObjectWithout(object, left_out.maps, left_out.programs);
  const BpfObject& checked = copy ? *copy : object;
  std::vector<Finding> findings = Checker(checked, target, version).Run();
  AnnotateReach(checked, target, options.rodata, version, &findings);
  for (Finding& f : findings) {
    // Without the reach analysis (no code to walk), the guard is what there is.
    if (f.code != "core-poisoned" || f.reach != Reach::kNotAnalysed) continue;
    f.message += f.guarded ? "; an existence check in the same program guards it"
                           : " and the verifier rejects the program if it is reachable";
  }
  for (Finding& f : findings) check.findings.push_back(std::move(f));
  return check;
}

}  // namespace kcontract
