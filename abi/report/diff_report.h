// Reporters for `kcontract diff`: a short text report fit to paste in a
// commit message (counts first, then the changes in a stable order), and
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
inline constexpr int kDiffJsonVersion = 1;

// How many interfaces the text names for a type before "and N more".
inline constexpr size_t kDiffTextInterfaces = 3;

std::string RenderDiff(const KernelDiff& diff, const DiffVerdict& verdict, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_DIFF_REPORT_H_
