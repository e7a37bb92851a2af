#include "cli/exit_codes.h"

#include <cstdio>

#include "abi/report/output_writer.h"

namespace kcontract::cli {

int ExitBitsOf(const DiagnosticCounts& counts) {
  return (counts.errors > 0 ? kExitIncompatible : kExitOk) |
         (counts.warnings > 0 ? kExitWarnings : kExitOk);
}

int ReportError(const absl::Status& status) {
  std::fprintf(stderr, "kcontract: error: %.*s\n", static_cast<int>(status.message().size()),
               status.message().data());
  return kExitToolError;
}

void PrintWarning(std::string_view message) {
  std::fprintf(stderr, "kcontract: warning: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

int PrintReport(std::string_view text, std::FILE* stream) {
  absl::Status written =
      WriteOutput(text, stream, stream == stderr ? "standard error" : "standard output");
  return written.ok() ? kExitOk : ReportError(written);
}

}  // namespace kcontract::cli
