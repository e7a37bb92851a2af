// Reporters for `kcontract manifest check` and `manifest update`: compiler
// lines (or a terse summary) as text, and versioned JSON.
#ifndef KCONTRACT_ABI_REPORT_MANIFEST_REPORT_H_
#define KCONTRACT_ABI_REPORT_MANIFEST_REPORT_H_

#include <string>

#include "abi/manifest/manifest_validation.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/report/output_format.h"

namespace kcontract {

// Bumped whenever a JSON field changes meaning or disappears.
inline constexpr int kManifestJsonVersion = 1;

// Text: one "file:line:col: severity: message" line per diagnostic, then a
// count line ("2 manifests: 1 error, 0 warnings, 1 note").
// JSON: {"format_version", "tool", "version", "files", "diagnostics": [{"file",
// "line", "column", "severity", "message"}], "errors", "warnings", "notes"}.
std::string RenderManifestCheck(const ManifestCheckResult& result, OutputFormat format);

// Text: a line per added revision or interface and per interface absent
// from the kernel, then a count line. JSON: {"format_version", "tool",
// "version", "manifest", "kernel", "changed", "interfaces": [{"kind", "name",
// "outcome", "revision", "signature"}], counts}.
std::string RenderManifestUpdate(const ManifestUpdate& update, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_MANIFEST_REPORT_H_
