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

struct ProbeTextOptions {
  // Every interface gets a row; by default those this kernel lacks are
  // counted on one line instead.
  bool all = false;
  // Manifests under this directory (the installed ones) are named relative
  // to it in the text.
  std::string manifest_dir;
};

// Text: a header naming the kernel, then one line per interface this kernel
// has (kind, name, stability, revision, where the kernel has it, the
// governing entry), and one line counting the interfaces it lacks (with
// `all`, a row for each of them too); under an unrecorded one, its
// signature in this kernel, indented; then a line for each interface the
// contracts say is withdrawn or deprecated that this kernel still has, and
// for each unrecorded one.
// JSON: {"format_version", "tool", "version", "kernel": {...},
// "interfaces": [...]}, every interface, paths as read.
std::string RenderProbe(const ProbeResult& result, OutputFormat format,
                        const ProbeTextOptions& options = {});

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_PROBE_REPORT_H_
