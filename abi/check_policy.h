// Policy: turns a finding's facts into a severity. Kept apart from the
// checks so that a distro gate, a loader and a linter can differ on what is
// fatal without the checks knowing.
#ifndef KCONTRACT_ABI_CHECK_POLICY_H_
#define KCONTRACT_ABI_CHECK_POLICY_H_

#include "abi/finding.h"

namespace kcontract {

struct CheckPolicy {
  // A poisoned relocation behind an existence check is how CO-RE programs
  // are meant to cope with older kernels: a warning by default.
  bool guarded_poison_is_error = false;
  // Use of an interface that no contract gives a level: "unstable", as the
  // kernel's kfunc documentation says of every kfunc. A note by default.
  Severity unknown_interface = Severity::kNote;
};

Severity JudgeFinding(const Finding& finding, const CheckPolicy& policy = {});

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CHECK_POLICY_H_
