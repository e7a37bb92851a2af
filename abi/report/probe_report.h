// Reporters for `kcontract probe`: a terse table (bpftool's manners) and
// versioned JSON.
#ifndef KCONTRACT_ABI_REPORT_PROBE_REPORT_H_
#define KCONTRACT_ABI_REPORT_PROBE_REPORT_H_

#include <string>

#include "abi/report/output_format.h"
#include "abi/revision/revision_matcher.h"

namespace kcontract {

// Bumped whenever a JSON field changes meaning or disappears.
inline constexpr int kProbeJsonVersion = 1;

// Text: a header naming the kernel, then one line per interface (kind,
// name, stability, revision, where the kernel has it, the governing entry);
// under an unrecorded one, its signature in this kernel, indented; then a
// line for each interface the contracts say is withdrawn or deprecated that
// this kernel still has, and for each unrecorded one.
// JSON: {"format_version", "tool", "version", "kernel": {...},
// "interfaces": [...]}.
std::string RenderProbe(const ProbeResult& result, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_PROBE_REPORT_H_
