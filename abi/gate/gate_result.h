// The packaging gate's result: a matrix of objects (rows) by kernels
// (columns), one load verdict per cell, with what waived it and, given a
// baseline kernel, whether it is a regression. One model; the renderers in
// abi/report/ (text, markdown, JSON, JUnit, SARIF, HTML) draw it, and
// `gate merge` joins the results of shards into one.
#ifndef KCONTRACT_ABI_GATE_GATE_RESULT_H_
#define KCONTRACT_ABI_GATE_GATE_RESULT_H_

#include <optional>
#include <string>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/gate/gate_waivers.h"
#include "absl/status/statusor.h"
#include "btfdiff/base/diagnostic.h"

namespace kcontract {

// One kernel's verdict on one object.
struct GateCell {
  LoadStage verdict = LoadStage::kNone;  // kNone: the object loads
  std::vector<Finding> findings;         // severities set by the policy
  // Waivers (their locations, "waivers.toml:4:1") that accept every error
  // of a failing cell; non-empty means the cell is waived.
  std::vector<std::string> waived_by;
  // Its kernel could not be read: no verdict (GateResult::kernel_errors
  // says why).
  bool kernel_unreadable = false;
};

// One distinct object (its bytes' sha256), or one input that could not be
// read (error set, no cells).
struct GateRow {
  std::string name;                // the first of its names: "package:path@offset"
  std::vector<std::string> names;  // every name it was found under, sorted
  std::string sha256;
  std::string error;               // one line: why the input could not be read
  // The verdict on the baseline kernel, when one was given.
  std::optional<LoadStage> baseline;
  std::vector<GateCell> cells;     // one per kernel of the result, in its order
};

// What a cell means for the gate.
enum class CellState {
  kLoads,
  kFixed,    // loads; fails on the baseline
  kFails,    // fails; without a baseline, or loads there (a regression): blocks
  kKnown,    // fails on the baseline too: not a regression
  kWaived,   // fails, every error accepted by a waiver
  kUnreadable,  // its kernel could not be read: no verdict
};
// "ok", "fixed", "FAIL", "known", "waived", "unreadable": the matrix's words.
std::string_view CellStateWord(CellState state);
CellState StateOf(const GateRow& row, const GateCell& cell);

struct GateShard {
  int index = 1;  // 1-based
  int count = 1;
};

struct GateResult {
  std::vector<std::string> kernels;  // labels, in --kernel order
  // Parallel to kernels: why a kernel could not be read, one line naming the
  // file; empty for a kernel that was read. An unreadable kernel is labelled
  // by its source as given, and its cells are kUnreadable.
  std::vector<std::string> kernel_errors;
  std::string baseline_kernel;       // label; empty without --baseline-kernel
  // Why the baseline kernel could not be read; then no row has a baseline
  // verdict, and every failing cell blocks.
  std::string baseline_error;
  // The libbpf release the cells were judged by, as LibbpfChoice::Describe
  // says it ("1.1 (linked)", "1.5 (--libbpf)"); empty when not known (a
  // result of an older kcontract). A load profile entry may choose another
  // for its objects.
  std::string libbpf;
  std::vector<GateRow> rows;         // sorted by name
  std::vector<Waiver> waivers;       // with how many cells each waived
  // Of the run: kernel, contract and profile warnings; not the waivers'
  // (WaiverDiagnostics derives those, so that merged shards count together).
  std::vector<Diagnostic> diagnostics;
  GateShard shard;
};

struct GateTotals {
  int loads = 0;  // kLoads and kFixed
  int fails = 0;  // kFails
  int known = 0;
  int waived = 0;
  int fixed = 0;
  int regressions = 0;  // failing where the baseline loads, waived or not
};
GateTotals TotalsForKernel(const GateResult& result, size_t kernel);
// Why kernel `kernel` could not be read; empty when it was.
std::string_view KernelError(const GateResult& result, size_t kernel);
// The kernels, baseline included, that could not be read.
int UnreadableKernels(const GateResult& result);
GateTotals TotalsForRow(const GateRow& row);
bool IsRegression(const GateRow& row, const GateCell& cell);

// Adds a diagnostic of the run unless one that reads the same is there
// (a manifest's warning repeats for every kernel; shards repeat the
// kernels' warnings).
void AddRunDiagnostic(Diagnostic diagnostic, GateResult* result);

// A load profile's setting that names what an object lacks, or that
// changes nothing, is a mistake in the gate's own configuration rather than
// a fact about one cell: each is added to the run's diagnostics, once, so
// that every format shows it and it sets the warnings bit.
void RaiseProfileWarnings(GateResult* result);

// Every diagnostic of the run: its own, then the waivers' (expired: error;
// matched nothing: warning).
std::vector<Diagnostic> AllDiagnostics(const GateResult& result);

// What the exit status reports.
struct GateOutcome {
  bool blocked = false;     // a cell in kFails, or an error diagnostic (expired waiver)
  bool warnings = false;    // a warning diagnostic (a waiver that matched nothing)
  bool unreadable = false;  // a row with an error, or a kernel that could not be read
};
GateOutcome OutcomeOf(const GateResult& result);

// Joins shard results of one gate: the same kernels, baseline and waivers;
// rows disjoint. Fails naming the first difference. The run's diagnostics
// are joined without repeats; a kernel one shard could not read is
// unreadable in the whole. A warning diagnostic says when shards are
// missing.
absl::StatusOr<GateResult> MergeGateResults(std::vector<GateResult> shards);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_GATE_GATE_RESULT_H_
