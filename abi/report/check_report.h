// Reporters for check results: compiler-style text and versioned JSON.
#ifndef KCONTRACT_ABI_REPORT_CHECK_REPORT_H_
#define KCONTRACT_ABI_REPORT_CHECK_REPORT_H_

#include <string>
#include <vector>

#include "abi/contract/contract_findings.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/report/output_format.h"

namespace kcontract {

// Bumped whenever a field changes meaning or disappears.
inline constexpr int kCheckJsonVersion = 2;  // 2: "verdict" replaces "outcome"

// Text: a header line naming the libbpf release judged ("libbpf 1.1.2
// (linked)"), one line per finding, "OBJ: severity: [code] subject:
// message", then one summary line per object and kernel (saying "with
// libbpf V" where a load profile chose another release). JSON: "libbpf"
// after the envelope, and per result the release that judged it.
// `libbpf`: the command's release (--libbpf, else the linked one).
std::string RenderChecks(const std::vector<ObjectCheck>& checks, OutputFormat format,
                         const LibbpfChoice& libbpf = LinkedLibbpf());

// `kcontract lint`: the same finding lines, then one summary line per
// object ("OBJ: contracts kept (0 errors, 1 warnings, 2 notes)"); JSON has
// its own schema version.
inline constexpr int kLintJsonVersion = 1;
std::string RenderLint(const std::vector<ContractReport>& reports, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_CHECK_REPORT_H_
