#include "cli/exit_codes.h"

#include <cstdio>

namespace kcontract::cli {

int ReportError(const absl::Status& status) {
  std::fprintf(stderr, "kcontract: error: %.*s\n", static_cast<int>(status.message().size()),
               status.message().data());
  return kExitToolError;
}

void PrintWarning(std::string_view message) {
  std::fprintf(stderr, "kcontract: warning: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

}  // namespace kcontract::cli
