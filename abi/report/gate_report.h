// Renderers of the packaging gate's result (abi/gate/gate_result.h): one
// model, drawn as a text matrix, markdown (for merge requests), JSON (the
// common envelope; `gate merge` reads it back), JUnit XML, SARIF 2.1.0 and a
// self-contained HTML page.
#ifndef KCONTRACT_ABI_REPORT_GATE_REPORT_H_
#define KCONTRACT_ABI_REPORT_GATE_REPORT_H_

#include <string>
#include <string_view>

#include "abi/gate/gate_result.h"
#include "absl/status/statusor.h"

namespace kcontract {

// Bumped whenever a field changes meaning or disappears.
inline constexpr int kGateJsonVersion = 1;

enum class GateFormat { kText, kMarkdown, kJson };

// Text: the objects x kernels matrix (one word per cell, CellStateWord) and
// totals per kernel, then the findings (errors and warnings) of every cell
// that does not load, then the run's diagnostics. Markdown: the same as a
// table and a collapsed block. JSON: totals, per kernel and per object,
// every cell with all its findings, the waivers and the diagnostics.
std::string RenderGate(const GateResult& result, GateFormat format);

// Reads a document RenderGate wrote as JSON; `what` names it in errors.
absl::StatusOr<GateResult> ParseGateJson(std::string_view text, std::string_view what);

// JUnit XML: a testsuite per kernel, a testcase per object; a failure for
// a blocking cell (its findings in the body), skipped for waived and known
// failures, an error for an input or a kernel that could not be read (a
// baseline that could not be read is a testsuite of such errors).
std::string RenderGateJunit(const GateResult& result);

// SARIF 2.1.0: one run, a rule per finding code, a result per finding of
// every cell (level from its severity), one per input or kernel that could
// not be read; located at the C source line when
// the object has line info, else at the object; findings of waived cells
// carry an external suppression with the waiver's reason.
std::string RenderGateSarif(const GateResult& result);

// One HTML page, no external resource: the matrix as a coloured grid (a
// click on a cell shows its findings), filters by kernel and by state, and
// a view of the regressions alone.
std::string RenderGateHtml(const GateResult& result);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_GATE_REPORT_H_
