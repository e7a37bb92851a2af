// The one diagnostic type: what every check, contract, manifest reader and
// the kernel diff report to people, with one severity vocabulary. A check
// fills in the facts (code, subject, location, message, hint); the severity
// is decided afterwards by policy (abi/policy/), never by the check, so that
// a distribution gate, a loader and a linter can weigh one observation
// differently. Reports (abi/report/) render diagnostics; nothing else does.
#ifndef KCONTRACT_BTFDIFF_BASE_DIAGNOSTIC_H_
#define KCONTRACT_BTFDIFF_BASE_DIAGNOSTIC_H_

#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

// Ordered by gravity.
enum class Severity { kNote, kWarning, kError };

// "note", "warning", "error".
std::string_view SeverityName(Severity severity);

// A place in a text file: a manifest's key, an object's C source line.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when the source has no lines
  int column = 0;  // 1-based; 0 when unknown
};
// "file:line:col", "file:line" or "file".
std::string FormatLocation(const SourceLocation& location);

struct Diagnostic {
  Severity severity = Severity::kNote;  // set by policy
  std::string code;      // "kfunc-missing", "contract-withdrawn", ...; stable, for tools
  std::string subject;   // the interface or thing it is about: "bpf_task_from_pid"
  SourceLocation location;  // where, when a file and line are known
  std::string program;   // the BPF program concerned, when one is
  std::string message;   // one line for people
  std::string hint;      // what to do about it, when something can be done
};

// "file:line:col: severity: message", as compilers write them.
std::string FormatDiagnosticLine(const Diagnostic& diagnostic);

// A diagnostic located in a file, with the severity its reader gives it
// (a file that cannot be used has errors; nothing else weighs those).
Diagnostic LocatedDiagnostic(SourceLocation location, Severity severity, std::string message);

struct DiagnosticCounts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};

template <typename Range>
DiagnosticCounts CountDiagnostics(const Range& diagnostics) {
  DiagnosticCounts counts;
  for (const Diagnostic& d : diagnostics) {
    switch (d.severity) {
      case Severity::kError: ++counts.errors; break;
      case Severity::kWarning: ++counts.warnings; break;
      case Severity::kNote: ++counts.notes; break;
    }
  }
  return counts;
}

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_BASE_DIAGNOSTIC_H_
