// The one text writer for findings, used by `check` and `lint`: every
// finding as "OBJ: severity: [code] subject: message", then one summary
// line per block, "<summary> (N errors, N warnings, N notes)".
#ifndef KCONTRACT_ABI_REPORT_FINDING_TEXT_H_
#define KCONTRACT_ABI_REPORT_FINDING_TEXT_H_

#include <string>
#include <vector>

#include "abi/finding/finding.h"

namespace kcontract {

// The findings about one object (on one kernel, for check).
struct FindingBlock {
  std::string object;                     // begins each of its finding lines
  const std::vector<Finding>* findings;   // not owned
  std::string summary;                    // "a.o on 6.12: loads", before the counts
};

// All blocks' finding lines first, then all summaries, so that a reader
// sees every finding before any verdict. A line that repeats (the same
// finding about one object on several kernels) is printed once, with "(N
// times)"; the summaries count every finding.
std::string FindingBlocksText(const std::vector<FindingBlock>& blocks);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_FINDING_TEXT_H_
