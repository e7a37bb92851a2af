#include "abi/report/finding_text.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/diagnostic.h"
#include "btfdiff/base/text.h"

namespace kcontract {

std::string FindingBlocksText(const std::vector<FindingBlock>& blocks) {
  // Identical lines (a contract finding about one object on several
  // kernels) are printed once, where they first appear, with their count.
  std::vector<std::string> lines;
  absl::flat_hash_map<std::string, size_t> index;
  std::vector<int> counts;
  for (const FindingBlock& block : blocks) {
    for (const Finding& f : *block.findings) {
      // Subjects are names read from untrusted objects: escaped so that
      // they cannot forge lines.
      std::string line = absl::StrFormat("%s: %s: [%s] %s: %s", block.object,
                                         SeverityName(f.severity), f.code,
                                         PrintableName(f.subject), f.message);
      auto [it, inserted] = index.try_emplace(line, lines.size());
      if (inserted) {
        lines.push_back(std::move(line));
        counts.push_back(0);
      }
      ++counts[it->second];
    }
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (counts[i] > 1) absl::StrAppendFormat(&out, " (%d times)", counts[i]);
    out += "\n";
  }
  for (const FindingBlock& block : blocks) {
    DiagnosticCounts c = CountDiagnostics(*block.findings);
    absl::StrAppendFormat(&out, "%s (%d errors, %d warnings, %d notes)\n", block.summary, c.errors,
                          c.warnings, c.notes);
  }
  return out;
}

}  // namespace kcontract
