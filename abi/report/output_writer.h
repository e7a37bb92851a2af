// The one way a command's report reaches its stream: written whole and
// flushed, so that a full disk or a closed pipe is an error the command
// reports rather than a silently short report.
#ifndef KCONTRACT_ABI_REPORT_OUTPUT_WRITER_H_
#define KCONTRACT_ABI_REPORT_OUTPUT_WRITER_H_

#include <cstdio>
#include <string_view>

#include "absl/status/status.h"

namespace kcontract {

// Writes `text` to `stream` and flushes it. `what` names the stream in the
// error ("standard output"): "cannot write to standard output: No space
// left on device".
absl::Status WriteOutput(std::string_view text, std::FILE* stream, std::string_view what);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_OUTPUT_WRITER_H_
