#include "abi/report/finding_text.h"

#include "absl/strings/str_format.h"
#include "btfdiff/base/diagnostic.h"
#include "btfdiff/base/text.h"

namespace kcontract {

std::string FindingBlocksText(const std::vector<FindingBlock>& blocks) {
  std::string out;
  for (const FindingBlock& block : blocks) {
    for (const Finding& f : *block.findings) {
      // Subjects are names read from untrusted objects: escaped so that
      // they cannot forge lines.
      absl::StrAppendFormat(&out, "%s: %s: [%s] %s: %s\n", block.object, SeverityName(f.severity),
                            f.code, PrintableName(f.subject), f.message);
    }
  }
  for (const FindingBlock& block : blocks) {
    DiagnosticCounts c = CountDiagnostics(*block.findings);
    absl::StrAppendFormat(&out, "%s (%d errors, %d warnings, %d notes)\n", block.summary, c.errors,
                          c.warnings, c.notes);
  }
  return out;
}

}  // namespace kcontract
