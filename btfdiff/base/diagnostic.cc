#include "btfdiff/base/diagnostic.h"

#include <utility>

#include "absl/strings/str_format.h"

namespace kcontract {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "note";
}

std::string FormatLocation(const SourceLocation& location) {
  if (location.line <= 0) return location.file;
  if (location.column <= 0) return absl::StrFormat("%s:%d", location.file, location.line);
  return absl::StrFormat("%s:%d:%d", location.file, location.line, location.column);
}

std::string FormatDiagnosticLine(const Diagnostic& diagnostic) {
  return absl::StrFormat("%s: %s: %s", FormatLocation(diagnostic.location),
                         SeverityName(diagnostic.severity), diagnostic.message);
}

Diagnostic LocatedDiagnostic(SourceLocation location, Severity severity, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.location = std::move(location);
  diagnostic.message = std::move(message);
  return diagnostic;
}

}  // namespace kcontract
