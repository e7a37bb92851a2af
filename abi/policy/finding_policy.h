// Policy: turns a finding's facts into a severity. Kept apart from the
// checks, which never set one, so that a distro gate, a loader and a linter
// can differ on what is fatal without the checks knowing. Callers run the
// checks, then ApplyPolicy, then report.
#ifndef KCONTRACT_ABI_POLICY_FINDING_POLICY_H_
#define KCONTRACT_ABI_POLICY_FINDING_POLICY_H_

#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_check.h"

namespace kcontract {

struct CheckPolicy {
  // A poisoned relocation behind an existence check is how CO-RE programs
  // are meant to cope with older kernels: a warning by default.
  bool guarded_poison_is_error = false;
  // Use of an interface that no contract gives a level: "unstable", as the
  // kernel's kfunc documentation says of every kfunc. A note by default.
  Severity unknown_interface = Severity::kNote;
};

Severity JudgeFinding(const Finding& finding, const CheckPolicy& policy);

// Sets the severity of every finding, once: where a fact of the finding
// (not_used_here, planned_as) lowers it, the message gains that fact.
void ApplyPolicy(const CheckPolicy& policy, std::vector<Finding>* findings);

// The verdict the findings' severities give: the first stage, in load
// order, that has an error; kNone when there is none (the object loads).
// An error with no stage of its own is the policy's refusal: kContract.
LoadStage VerdictOf(const std::vector<Finding>& findings);

// ApplyPolicy on a check's findings, then its verdict: what `check`, the
// packaging gate and the loader helper do before they report or refuse.
void JudgeCheck(const CheckPolicy& policy, ObjectCheck* check);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_POLICY_FINDING_POLICY_H_
