// The pre-load check of a BPF object as the loader helper prepares it: the
// revision plan (revision_plan.h), libbpf's and the verifier's view of the
// object with the revisions the kernel does not get left out (CheckObject),
// and the contract findings (contract_findings.h). `kcontract check` prints it;
// the loader helper (loader.h) refuses when it has an error, and otherwise
// applies the plan. An object without revision tags is checked exactly as
// CheckObject + AddContractFindings check it.
#ifndef KCONTRACT_ABI_PREPARED_PREPARED_CHECK_H_
#define KCONTRACT_ABI_PREPARED_PREPARED_CHECK_H_

#include <optional>

#include "abi/contract/contract.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/object/bpf_object.h"
#include "abi/profile/apply_profile.h"
#include "abi/revision/revision_plan.h"

namespace kcontract {

struct PreparedCheck {
  RevisionPlan plan;
  // Findings in this order: the plan's (refusals, then choices), the load
  // profile's, libbpf's and the verifier's, then the contracts'. The outcome stays libbpf's,
  // for the object as the loader would hand it to libbpf.
  ObjectCheck check;
};

// Findings are facts; the caller applies the policy (ApplyPolicy) before
// reporting or refusing. With a load profile entry for the object
// (MatchProfile), the object is checked as the loader leaves it once it did
// what the entry says (ApplyProfile), and the entry's findings come after
// the plan's. The libbpf release judged is `libbpf` (--libbpf), else the
// profile entry's, else the one kcontract is linked against (ChooseLibbpf).
PreparedCheck CheckPrepared(const BpfObject& object, const CheckTarget& target,
                            const ContractSet& contracts, const AppliedProfile& profile = {},
                            std::optional<LibbpfVersion> libbpf = std::nullopt);

// Which libbpf release judges an object: an option wins over the load
// profile's entry, which wins over the linked libbpf.
LibbpfChoice ChooseLibbpf(std::optional<LibbpfVersion> option, const AppliedProfile& profile);

// What the loader refuses with, or "" when it would prepare the object: the
// plan's refusal, else the first error of the verdict's stage, the one
// `check` says stops the load (once JudgeCheck has set severities and the
// verdict).
std::string RefusalOf(const PreparedCheck& prepared);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_PREPARED_PREPARED_CHECK_H_
