#include "abi/revision/revision_plan.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/kfunc_inventory.h"

namespace kcontract {
namespace {

std::string Revisions(const std::vector<StructOpsRevisionTag>& tags) {
  std::vector<std::string> names;
  for (const StructOpsRevisionTag& tag : tags) names.push_back(tag.revision);
  return absl::StrFormat("%s %s", names.size() == 1 ? "revision" : "revisions",
                         absl::StrJoin(names, ", "));
}

class Planner {
 public:
  Planner(const BpfObject& object, const CheckTarget& target, const ContractSet& contracts)
      : object_(object), target_(target), contracts_(contracts), matcher_(target.inventory()) {}

  RevisionPlan Plan() {
    RevisionPlan plan;
    plan.object = object_.path;
    plan.kernel = target_.label();
    if (object_.btf == nullptr) return plan;
    RevisionTags tags = ReadRevisionTags(*object_.btf);
    plan.warnings = std::move(tags.warnings);
    PlanStructOps(tags.struct_ops, &plan);
    for (KfuncSlot& slot : tags.kfunc_slots) PlanSlot(std::move(slot), &plan);
    for (const ProgramGateTag& gate : tags.program_gates) PlanGate(gate, &plan);
    return plan;
  }

 private:
  // --- struct_ops ---------------------------------------------------------

  const BpfMap* FindMap(std::string_view name) const {
    for (const BpfMap& map : object_.maps) {
      if (map.name == name && !map.struct_ops_type.empty()) return &map;
    }
    return nullptr;
  }

  void PlanStructOps(const std::vector<StructOpsRevisionTag>& tags, RevisionPlan* plan) {
    // Group by interface, in the order the object first names each.
    std::vector<StructOpsPlan> by_interface;
    for (const StructOpsRevisionTag& tag : tags) {
      if (FindMap(tag.map) == nullptr) {
        plan->warnings.push_back(TagWarning{
            PrintableName(tag.map), "tag on a variable that is no struct_ops map: ignored"});
        continue;
      }
      auto it = std::find_if(by_interface.begin(), by_interface.end(),
                             [&](const StructOpsPlan& p) { return p.interface == tag.interface; });
      if (it == by_interface.end()) {
        by_interface.emplace_back();
        it = by_interface.end() - 1;
        it->interface = tag.interface;
      }
      bool duplicate = std::any_of(
          it->object_revisions.begin(), it->object_revisions.end(),
          [&](const StructOpsRevisionTag& other) { return other.revision == tag.revision; });
      if (duplicate) {
        plan->warnings.push_back(TagWarning{
            tag.map, absl::StrFormat("%s revision %s is implemented by an earlier map too; the "
                                     "first is used",
                                     tag.interface, tag.revision)});
      }
      it->object_revisions.push_back(tag);
    }
    for (StructOpsPlan& p : by_interface) {
      Decide(&p);
      for (const std::string& map : p.disabled_maps) plan->disabled_maps.push_back(map);
      plan->struct_ops.push_back(std::move(p));
    }
    DisableOrphanedPrograms(plan);
  }

  // What the kernel has of `interface`, with or without a contract.
  void ProbeKernel(StructOpsPlan* p) {
    if (const Interface* governing = contracts_.Find(InterfaceKind::kStructOps, p->interface)) {
      p->governing = *governing;
      p->kernel = matcher_.ProbeInterface(contracts_, *governing);
      return;
    }
    p->kernel.kind = InterfaceKind::kStructOps;
    p->kernel.name = p->interface;
    p->kernel.present =
        target_.names().FindInVmlinux(p->interface, BTF_KIND_STRUCT).has_value() &&
        target_.names().FindInVmlinux("bpf_struct_ops_" + p->interface, BTF_KIND_STRUCT).has_value();
    p->kernel.match = p->kernel.present ? RevisionMatch::kNoRevisions : RevisionMatch::kAbsent;
  }

  void Decide(StructOpsPlan* p) {
    ProbeKernel(p);
    if (p->kernel.present && p->kernel.match == RevisionMatch::kRecorded) {
      for (const StructOpsRevisionTag& tag : p->object_revisions) {
        if (tag.revision == p->kernel.revision && p->enabled_map.empty()) {
          p->enabled_map = tag.map;
          p->enabled_revision = tag.revision;
        }
      }
    }
    // A map may be chosen and the load still refused: the kernel can keep a
    // revision of an interface its contract withdrew.
    std::string implements = "the object implements " + Revisions(p->object_revisions);
    std::string contract =
        "contract: " + (p->governing ? DescribeContractWord(*p->governing) : "none names it");
    std::string kernel = DescribeKernelRevision(p->kernel);
    if (p->governing && p->governing->stability == Stability::kWithdrawn) {
      p->refusal = absl::StrFormat("struct_ops %s is withdrawn; %s; %s; %s", p->interface,
                                   implements, kernel, contract);
    } else if (!p->kernel.present) {
      p->refusal = absl::StrFormat("struct_ops %s is not in this kernel; %s; %s", p->interface,
                                   implements, contract);
    } else if (p->kernel.match == RevisionMatch::kNoRevisions) {
      p->refusal = absl::StrFormat(
          "struct_ops %s: no contract records its revisions, so which of the object's fits "
          "this kernel cannot be told; %s; %s",
          p->interface, implements, contract);
    } else if (p->enabled_map.empty()) {  // unrecorded, or one the object lacks
      p->refusal =
          absl::StrFormat("struct_ops %s: %s; %s; %s", p->interface, kernel, implements, contract);
    }
    if (p->enabled_map.empty()) return;
    for (const StructOpsRevisionTag& tag : p->object_revisions) {
      if (tag.map != p->enabled_map) p->disabled_maps.push_back(tag.map);
    }
  }

  // Programs that only left-out maps use are left out too: libbpf 1.1.2
  // cannot load a struct_ops program whose map it skipped.
  void DisableOrphanedPrograms(RevisionPlan* plan) const {
    std::set<std::string> disabled(plan->disabled_maps.begin(), plan->disabled_maps.end());
    std::set<std::string> kept_users;
    std::set<std::string> orphans;
    for (const BpfMap& map : object_.maps) {
      bool off = disabled.count(map.name) > 0;
      for (const StructOpsMemberUse& use : map.struct_ops_programs) {
        (off ? orphans : kept_users).insert(use.program);
      }
    }
    for (const BpfProgram& program : object_.programs) {
      if (orphans.count(program.name) && !kept_users.count(program.name)) {
        plan->disabled_programs.push_back(program.name);
      }
    }
  }

  // --- kfunc slots ----------------------------------------------------------

  bool Declares(std::string_view kfunc) const {
    return std::any_of(object_.externs.begin(), object_.externs.end(), [&](const BpfExtern& e) {
      return e.kind == ExternKind::kKfunc && e.name == kfunc;
    });
  }


  // Why this kernel does not provide `ref`, or "" when it does.
  std::string Unfit(const KfuncRef& ref) {
    if (!Declares(ref.name)) {
      return absl::StrFormat("the object does not declare %s (a typo in the slot?)", ref.name);
    }
    if (!target_.names().Find(ref.name, BTF_KIND_FUNC)) {
      return absl::StrFormat("%s is not in the kernel", ref.name);
    }
    // Empty when the kernel's BTF does not say which functions are kfuncs.
    const KfuncSet& inventory = target_.inventory().kfuncs();
    if (inventory.methods_used != 0 && inventory.Find(ref.name) == nullptr) {
      return absl::StrFormat("%s is a function of the kernel but not a kfunc there", ref.name);
    }
    const Interface* governing = contracts_.Find(InterfaceKind::kKfunc, ref.name);
    if (governing && governing->stability == Stability::kWithdrawn) {
      return absl::StrFormat("%s is %s", ref.name, DescribeContractWord(*governing));
    }
    if (ref.revision.empty()) return "";
    if (governing == nullptr) {
      return absl::StrFormat("no contract records revisions of %s, so revision %s cannot be told",
                             ref.name, ref.revision);
    }
    InterfaceProbe probe = matcher_.ProbeInterface(contracts_, *governing);
    if (probe.match == RevisionMatch::kRecorded && probe.revision == ref.revision) return "";
    return absl::StrFormat("%s: %s, not %s", ref.name, DescribeKernelRevision(probe),
                           ref.revision);
  }

  void PlanSlot(KfuncSlot slot, RevisionPlan* plan) {
    KfuncSlotPlan p;
    for (size_t i = 0; i < slot.candidates.size() && p.chosen < 0; ++i) {
      std::vector<std::string> why;
      for (const KfuncRef& ref : slot.candidates[i].kfuncs) {
        std::string unfit = Unfit(ref);
        if (!unfit.empty()) why.push_back(std::move(unfit));
      }
      if (why.empty()) {
        p.chosen = static_cast<int>(i);
      } else {
        p.rejected.push_back(
            absl::StrFormat("%s: %s", slot.candidates[i].Text(), absl::StrJoin(why, ", ")));
      }
    }
    if (p.chosen < 0 && slot.required) {
      p.refusal = absl::StrFormat("kfunc choice %s: the object needs one of %s; %s", slot.name,
                                  slot.CandidatesText(), absl::StrJoin(p.rejected, "; "));
    }
    plan->rodata.push_back(RodataValue{slot.section, slot.variable, slot.offset, p.chosen});
    p.slot = std::move(slot);
    plan->kfunc_slots.push_back(std::move(p));
  }

  // --- programs gated on a slot -------------------------------------------

  void PlanGate(const ProgramGateTag& gate, RevisionPlan* plan) {
    std::string tag = absl::StrFormat("%s%s on %s",
                                      gate.when_chosen ? kProgramIfTagPrefix
                                                       : kProgramUnlessTagPrefix,
                                      gate.slot, PrintableName(gate.program));
    bool is_program = std::any_of(object_.programs.begin(), object_.programs.end(),
                                  [&](const BpfProgram& p) { return p.name == gate.program; });
    if (!is_program) {
      plan->warnings.push_back(TagWarning{tag, "is on a function that is no program: ignored"});
      return;
    }
    auto slot = std::find_if(plan->kfunc_slots.begin(), plan->kfunc_slots.end(),
                             [&](const KfuncSlotPlan& p) { return p.slot.name == gate.slot; });
    if (slot == plan->kfunc_slots.end()) {
      plan->warnings.push_back(
          TagWarning{tag, absl::StrFormat("names no kfunc slot of the object (%s): ignored",
                                          PrintableName(gate.slot))});
      return;
    }
    bool load = (slot->chosen >= 0) == gate.when_chosen;
    (load ? slot->programs_loaded : slot->programs_left_out).push_back(gate.program);
    if (!load && std::find(plan->disabled_programs.begin(), plan->disabled_programs.end(),
                           gate.program) == plan->disabled_programs.end()) {
      plan->disabled_programs.push_back(gate.program);
    }
  }

  const BpfObject& object_;
  const CheckTarget& target_;
  const ContractSet& contracts_;
  RevisionMatcher matcher_;
};

}  // namespace

bool RevisionPlan::refused() const {
  for (const StructOpsPlan& p : struct_ops) {
    if (!p.refusal.empty()) return true;
  }
  for (const KfuncSlotPlan& p : kfunc_slots) {
    if (!p.refusal.empty()) return true;
  }
  return false;
}

bool RevisionPlan::struct_ops_selected() const {
  return std::all_of(struct_ops.begin(), struct_ops.end(),
                     [](const StructOpsPlan& p) { return !p.enabled_map.empty(); });
}

std::string RevisionPlan::RefusalMessage() const {
  std::vector<std::string> reasons;
  for (const StructOpsPlan& p : struct_ops) {
    if (!p.refusal.empty()) reasons.push_back(p.refusal);
  }
  for (const KfuncSlotPlan& p : kfunc_slots) {
    if (!p.refusal.empty()) reasons.push_back(p.refusal);
  }
  if (reasons.empty()) return "";
  return absl::StrFormat("%s cannot run on %s: %s", object, kernel, absl::StrJoin(reasons, " | "));
}

std::vector<std::string> RevisionPlan::KfuncsInUse() const {
  std::set<std::string> used;
  for (const KfuncSlotPlan& p : kfunc_slots) {
    if (p.chosen < 0) continue;
    for (const KfuncRef& ref : p.slot.candidates[p.chosen].kfuncs) used.insert(ref.name);
  }
  return {used.begin(), used.end()};
}

std::vector<std::string> RevisionPlan::KfuncsNotUsed() const {
  std::vector<std::string> used = KfuncsInUse();
  std::set<std::string> named;
  for (const KfuncSlotPlan& p : kfunc_slots) {
    for (const KfuncCandidate& candidate : p.slot.candidates) {
      for (const KfuncRef& ref : candidate.kfuncs) named.insert(ref.name);
    }
  }
  std::vector<std::string> unused;
  for (const std::string& name : named) {
    if (!std::binary_search(used.begin(), used.end(), name)) unused.push_back(name);
  }
  return unused;
}

std::string DescribeKernelRevision(const InterfaceProbe& probe) {
  if (!probe.present) return "the kernel does not have it";
  switch (probe.match) {
    case RevisionMatch::kRecorded:
      return absl::StrFormat("the kernel has revision %s", probe.revision);
    case RevisionMatch::kUnrecorded:
      return "the kernel has an unrecorded revision (its signature matches none the contracts "
             "record)";
    case RevisionMatch::kNoRevisions:
    case RevisionMatch::kAbsent:
      break;
  }
  return "the kernel has it (no contract records its revisions)";
}

std::string DescribeContractWord(const Interface& entry) {
  std::string word;
  if (!entry.stability) {
    word = "no level (unstable by default)";
  } else {
    word = std::string(StabilityName(*entry.stability));
    switch (*entry.stability) {
      case Stability::kWithdrawn: {
        const std::string& since = entry.since.empty() ? entry.remove : entry.since;
        if (!since.empty()) word += " since " + since;
        break;
      }
      case Stability::kDeprecated:
        if (!entry.remove.empty()) word += ", to be removed in " + entry.remove;
        break;
      case Stability::kExperimental:
        word += absl::StrFormat(", opt-in \"%s\"", entry.OptInToken());
        break;
      case Stability::kStable:
        if (!entry.since.empty()) word += " since " + entry.since;
        break;
    }
  }
  if (!entry.replacement.empty()) word += ", use " + entry.replacement;
  std::string where = FormatLocation(entry.location);
  if (!entry.contract.empty() && entry.location.line > 0) {
    where = absl::StrFormat("contract %s, %s", entry.contract, where);
  }
  return absl::StrFormat("%s (%s)", word, where);
}

RevisionPlan PlanRevisions(const BpfObject& object, const CheckTarget& target,
                           const ContractSet& contracts) {
  return Planner(object, target, contracts).Plan();
}

}  // namespace kcontract
