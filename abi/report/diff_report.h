// Reporters for `kcontract diff`: a short text report fit to paste in a
// commit message (counts first, then the changes: breaking, needs review,
// compatible; then those the configs explain and the internal ones), and
// versioned JSON. They render the change model with the policy's verdict,
// so they live beside the policy rather than in btfdiff/.
#ifndef KCONTRACT_ABI_REPORT_DIFF_REPORT_H_
#define KCONTRACT_ABI_REPORT_DIFF_REPORT_H_

#include <string>

#include "abi/policy/diff_policy.h"
#include "abi/report/output_format.h"
#include "btfdiff/diff/abi_change.h"

namespace kcontract {

// Bumped whenever a JSON field changes meaning or disappears.
// 2: changes in report order (breaking first; then the config and internal
// groups), "group" and "config_cause" per change, per-kind compatibility
// counts, internal changes out of the counts unless included, needs review
// a warning.
inline constexpr int kDiffJsonVersion = 2;

// How many interfaces the text names for a type before "and N more".
inline constexpr size_t kDiffTextInterfaces = 3;

std::string RenderDiff(const KernelDiff& diff, const DiffVerdict& verdict, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_DIFF_REPORT_H_
