#include "abi/prepared/prepared_check.h"

#include <algorithm>
#include <memory>
#include <set>

#include "abi/contract/contract_findings.h"
#include "abi/revision/revision_codes.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kcontract {
namespace {

// The contract findings joined to what libbpf and the verifier would do; the
// predicted outcome stays libbpf's.
void AddContractFindings(const BpfObject& object, const ContractSet& contracts,
                         ObjectCheck* check) {
  std::vector<Finding> findings = CheckContracts(object, contracts);
  check->findings.insert(check->findings.end(), std::make_move_iterator(findings.begin()),
                         std::make_move_iterator(findings.end()));
}

// `stage`: where a refusal stops the load (the loader helper refuses a
// missing struct_ops table or kfunc as libbpf would, at that stage).
Finding PlanFinding(std::string_view code, std::string subject, std::string message,
                    LoadStage stage = LoadStage::kNone) {
  Finding f;
  f.code = std::string(code);
  f.subject = std::move(subject);
  f.message = std::move(message);
  f.stage = stage;
  return f;
}

std::string Describe(const StructOpsPlan& p, const RevisionPlan& plan, const BpfObject& object) {
  std::set<std::string> off_programs(plan.disabled_programs.begin(), plan.disabled_programs.end());
  std::vector<std::string> left_out;
  for (const StructOpsRevisionTag& tag : p.object_revisions) {
    if (tag.map == p.enabled_map) continue;
    std::vector<std::string> programs;
    for (const BpfMap& map : object.maps) {
      if (map.name != tag.map) continue;
      for (const StructOpsMemberUse& use : map.struct_ops_programs) {
        if (off_programs.count(use.program)) programs.push_back(use.program);
      }
    }
    left_out.push_back(absl::StrFormat(
        "map %s (%s)%s", tag.map, tag.revision,
        programs.empty() ? "" : absl::StrFormat(" and program %s", absl::StrJoin(programs, ", "))));
  }
  return absl::StrFormat("%s: map %s is created%s", DescribeKernelRevision(p.kernel),
                         p.enabled_map,
                         left_out.empty()
                             ? ""
                             : absl::StrFormat("; left out: %s", absl::StrJoin(left_out, "; ")));
}

std::string Describe(const KfuncSlotPlan& p) {
  std::string rejected =
      p.rejected.empty() ? "" : absl::StrFormat("; not: %s", absl::StrJoin(p.rejected, "; "));
  std::string programs;
  if (!p.programs_loaded.empty()) {
    programs += absl::StrFormat("; program %s is loaded", absl::StrJoin(p.programs_loaded, ", "));
  }
  if (!p.programs_left_out.empty()) {
    programs += absl::StrFormat("; left out: program %s", absl::StrJoin(p.programs_left_out, ", "));
  }
  if (p.chosen >= 0) {
    return absl::StrFormat("uses %s (candidate %d of %d)%s%s", p.slot.candidates[p.chosen].Text(),
                           p.chosen + 1, p.slot.candidates.size(), programs, rejected);
  }
  return absl::StrFormat("none of %s: the object runs without them%s%s", p.slot.CandidatesText(),
                         programs, rejected);
}

std::vector<Finding> PlanFindings(const RevisionPlan& plan, const BpfObject& object) {
  std::vector<Finding> findings;
  for (const StructOpsPlan& p : plan.struct_ops) {
    if (!p.refusal.empty()) {
      findings.push_back(
          PlanFinding(kRevisionRefused, p.interface, p.refusal, LoadStage::kStructOps));
    }
  }
  for (const KfuncSlotPlan& p : plan.kfunc_slots) {
    if (!p.refusal.empty()) {
      findings.push_back(PlanFinding(kRevisionRefused, p.slot.name, p.refusal, LoadStage::kExterns));
    }
  }
  for (const StructOpsPlan& p : plan.struct_ops) {
    if (p.refusal.empty()) {
      findings.push_back(
          PlanFinding(kRevisionSelected, p.interface, Describe(p, plan, object)));
    }
  }
  for (const KfuncSlotPlan& p : plan.kfunc_slots) {
    if (p.refusal.empty()) findings.push_back(PlanFinding(kKfuncChoice, p.slot.name, Describe(p)));
  }
  for (const TagWarning& warning : plan.warnings) {
    findings.push_back(
        PlanFinding(kRevisionTag, warning.tag, warning.message, LoadStage::kContract));
  }
  return findings;
}

// The object as the loader hands it to libbpf: without the struct_ops maps
// and programs the plan leaves out (libbpf 1.1.2 skips a program with
// autoload off entirely: no CO-RE relocation, no attach target, no load),
// then with what the load profile says the loader does. Externs stay:
// libbpf resolves them all. nullptr when the object's BTF cannot be copied.
std::unique_ptr<BpfObject> AsPrepared(const BpfObject& object,
                                      const std::vector<std::string>& disabled_maps,
                                      const std::vector<std::string>& disabled_programs,
                                      const AppliedProfile& profile) {
  std::unique_ptr<BpfObject> prepared = CopyBpfObjectWithout(
      object, std::set<std::string>(disabled_maps.begin(), disabled_maps.end()),
      std::set<std::string>(disabled_programs.begin(), disabled_programs.end()));
  if (prepared == nullptr) return nullptr;
  ApplyProfile(profile, prepared.get());
  return prepared;
}

// What the loader does that the check must know: the rodata values it sets,
// for the reach analysis (CheckOptions).
CheckOptions LoaderCheckOptions(const BpfObject& prepared) {
  CheckOptions options;
  for (const LoaderRodataValue& v : prepared.loader.rodata) {
    options.rodata.push_back(LoaderSetRodata{v.variable, v.value});
  }
  return options;
}

// Contract findings about kfuncs that only slot candidates not chosen here
// name: the object does not call them on this kernel (the policy weighs
// that: a deprecated fallback warns only where it is used).
void MarkUnusedCandidates(const RevisionPlan& plan, ObjectCheck* check) {
  std::vector<std::string> unused = plan.KfuncsNotUsed();
  for (Finding& f : check->findings) {
    if (f.code.rfind("contract-", 0) != 0) continue;
    if (!std::binary_search(unused.begin(), unused.end(), f.subject)) continue;
    f.not_used_here = absl::StrFormat(
        "not called on %s: the object's kfunc slots chose another candidate", plan.kernel);
  }
}

// libbpf's and the verifier's view of a kfunc the object declares with one
// prototype and calls, in the branch a slot chose, with the revision's own
// (KC_KFUNC_AS): a difference libbpf accepts is the object's plan, not a
// surprise (the policy weighs it). Differences libbpf rejects stay errors.
void MarkRevisionedCalls(const RevisionPlan& plan, ObjectCheck* check) {
  for (const KfuncSlotPlan& p : plan.kfunc_slots) {
    if (p.chosen < 0) continue;
    for (const KfuncRef& ref : p.slot.candidates[p.chosen].kfuncs) {
      if (ref.revision.empty()) continue;
      for (Finding& f : check->findings) {
        if (f.code != "kfunc-proto" || f.subject != ref.name || !f.planned_as.empty()) continue;
        f.planned_as = absl::StrFormat("slot %s calls it as revision %s", p.slot.name,
                                       ref.revision);
      }
    }
  }
}

// A kfunc the kernel source lacks that the contracts place in a module the
// source does not hold (a kernel image given without its modules, or a
// directory with some of them): say which module would hold it, so that
// "not found" is never silently a module that was not given.
void NoteModulesNotGiven(const ContractSet& contracts, const CheckTarget& target,
                         std::vector<Finding>* findings) {
  const KernelBtf& kernel = target.kernel();
  for (Finding& f : *findings) {
    if (f.code != "kfunc-missing" && f.code != "kfunc-weak-absent") continue;
    const Interface* entry = contracts.Find(InterfaceKind::kKfunc, f.subject);
    if (entry == nullptr || entry->module.empty()) continue;
    bool held = std::any_of(kernel.modules.begin(), kernel.modules.end(),
                            [&](const ModuleBtf& m) { return m.name == entry->module; });
    if (held) continue;
    std::string where = FormatLocation(entry->location);
    if (!entry->contract.empty()) where = absl::StrFormat("contract %s, %s", entry->contract, where);
    f.message += absl::StrFormat(
        "; the contracts record it in module %s (%s), which this kernel source does not hold: "
        "give the kernel's directory or package with its modules",
        entry->module, where);
  }
}

}  // namespace

LibbpfChoice ChooseLibbpf(std::optional<LibbpfVersion> option, const AppliedProfile& profile) {
  if (option) return OptionLibbpf(*option);
  if (profile.entry != nullptr && profile.entry->libbpf) {
    return LibbpfChoice{*profile.entry->libbpf, LibbpfChoice::Basis::kProfile, profile.label};
  }
  return LinkedLibbpf();
}

PreparedCheck CheckPrepared(const BpfObject& object, const CheckTarget& target,
                            const ContractSet& contracts, const AppliedProfile& profile,
                            std::optional<LibbpfVersion> libbpf_option) {
  PreparedCheck out;
  const LibbpfChoice choice = ChooseLibbpf(libbpf_option, profile);
  out.plan = PlanRevisions(object, target, contracts);
  const bool planned = out.plan.has_tags() || !out.plan.warnings.empty();
  if (!planned && profile.entry == nullptr) {
    CheckOptions options;
    options.libbpf = choice;
    out.check = CheckObject(object, target, options);
    NoteModulesNotGiven(contracts, target, &out.check.findings);
    AddContractFindings(object, contracts, &out.check);
    return out;
  }
  // With a struct_ops interface refused the loader helper prepares nothing:
  // libbpf would meet the object whole, as the loader's own code leaves it.
  std::unique_ptr<BpfObject> prepared;
  if (!planned || out.plan.struct_ops_selected()) {
    prepared = AsPrepared(object, out.plan.disabled_maps, out.plan.disabled_programs, profile);
  } else {
    prepared = AsPrepared(object, {}, {}, profile);
  }
  const BpfObject& checked = prepared ? *prepared : object;
  CheckOptions options = LoaderCheckOptions(checked);
  options.libbpf = choice;
  ObjectCheck libbpf = CheckObject(checked, target, options);
  NoteModulesNotGiven(contracts, target, &libbpf.findings);
  AddContractFindings(checked, contracts, &libbpf);
  MarkUnusedCandidates(out.plan, &libbpf);
  MarkRevisionedCalls(out.plan, &libbpf);
  out.check.object = object.path;
  out.check.kernel = libbpf.kernel;
  out.check.load_profile = profile.label;
  out.check.libbpf = choice;
  out.check.findings = PlanFindings(out.plan, object);
  out.check.findings.insert(out.check.findings.end(), profile.findings.begin(),
                            profile.findings.end());
  for (Finding& f : libbpf.findings) out.check.findings.push_back(std::move(f));
  return out;
}

std::string RefusalOf(const PreparedCheck& prepared) {
  if (prepared.plan.refused()) return prepared.plan.RefusalMessage();
  // The error that stops the load: the first of the verdict's stage.
  const Finding* first = nullptr;
  int errors = 0;
  for (const Finding& f : prepared.check.findings) {
    if (f.severity != Severity::kError) continue;
    if (first == nullptr && StoppingStage(f) == prepared.check.verdict) first = &f;
    ++errors;
  }
  if (first == nullptr) return "";
  std::string more = errors > 1 ? absl::StrFormat(" (and %d more errors: run kcontract check)",
                                                  errors - 1)
                                : "";
  return absl::StrFormat("%s cannot run on %s: [%s] %s: %s%s", prepared.check.object,
                         prepared.check.kernel, first->code, first->subject, first->message,
                         more);
}

}  // namespace kcontract
