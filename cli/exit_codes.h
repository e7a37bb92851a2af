// Exit status bits, shared by every command (the convention of libabigail's
// abidiff and of STG): they can be combined.
#ifndef KCONTRACT_CLI_EXIT_CODES_H_
#define KCONTRACT_CLI_EXIT_CODES_H_

#include <cstdio>
#include <string_view>

#include "absl/status/status.h"
#include "btfdiff/base/diagnostic.h"

namespace kcontract::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitToolError = 1;     // unreadable or malformed input, I/O
inline constexpr int kExitUsageError = 2;    // bad command line
inline constexpr int kExitWarnings = 4;      // changes or warnings found
inline constexpr int kExitIncompatible = 8;  // incompatible, or a contract violated

// The exit bits of a command's diagnostics: kExitIncompatible for errors,
// kExitWarnings for warnings.
int ExitBitsOf(const DiagnosticCounts& counts);

// Prints "kcontract: <message>" on stderr and returns the exit bits for it.
int ReportError(const absl::Status& status);
void PrintWarning(std::string_view message);

// Writes a command's report to `stream` (WriteOutput: whole and flushed).
// Returns kExitOk, or, when it cannot be written, reports that as an error
// and returns its exit bits.
int PrintReport(std::string_view text, std::FILE* stream = stdout);

}  // namespace kcontract::cli

#endif  // KCONTRACT_CLI_EXIT_CODES_H_
