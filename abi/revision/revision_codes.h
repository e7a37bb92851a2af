// The finding codes of the revision plan (revision_plan.h) in a check
// (prepared_check.h), shared with the policy that gives them a severity
// (finding_policy.h).
#ifndef KCONTRACT_ABI_REVISION_REVISION_CODES_H_
#define KCONTRACT_ABI_REVISION_REVISION_CODES_H_

#include <string_view>

namespace kcontract {

// The object cannot run on this kernel: the loader helper refuses it.
inline constexpr std::string_view kRevisionRefused = "revision-refused";
// Which of the object's struct_ops revisions this kernel gets.
inline constexpr std::string_view kRevisionSelected = "revision-selected";
// Which candidate a kfunc slot gets on this kernel.
inline constexpr std::string_view kKfuncChoice = "kfunc-choice";
// A revision or slot tag the object carries but that cannot be used.
inline constexpr std::string_view kRevisionTag = "revision-tag";

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REVISION_REVISION_CODES_H_
