// `kcontract manifest check`: every file read as the reader reads it
// (manifest_reader.h), then what no single file can show: the same
// interface given different levels by two manifests, one contract name
// declared twice, a replacement ('use') no manifest declares.
#ifndef KCONTRACT_ABI_MANIFEST_CHECK_H_
#define KCONTRACT_ABI_MANIFEST_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/contract.h"

namespace kcontract {

enum class CheckSeverity {
  kError,    // the manifest cannot be used
  kWarning,  // usable, but probably not what its authors meant
  kNote,     // worth knowing; changes nothing
};
// "error", "warning", "note".
std::string_view CheckSeverityName(CheckSeverity severity);

struct CheckDiagnostic {
  SourceLocation location;
  CheckSeverity severity = CheckSeverity::kError;
  std::string message;
};
// "file:line:col: warning: message"
std::string FormatCheckDiagnostic(const CheckDiagnostic& diagnostic);

struct ManifestCheckResult {
  std::vector<std::string> files;            // as given
  std::vector<CheckDiagnostic> diagnostics;  // by file (as given), then line and column
  size_t Count(CheckSeverity severity) const;
};

// Reads each manifest (bounded in size) and cross-checks the readable ones.
ManifestCheckResult CheckManifests(const std::vector<std::string>& paths);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_CHECK_H_
