#include "abi/gate/gate_result.h"

#include <algorithm>
#include <set>

#include "abi/profile/profile_codes.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kcontract {

std::string_view CellStateWord(CellState state) {
  switch (state) {
    case CellState::kLoads: return "ok";
    case CellState::kFixed: return "fixed";
    case CellState::kFails: return "FAIL";
    case CellState::kKnown: return "known";
    case CellState::kWaived: return "waived";
    case CellState::kUnreadable: return "unreadable";
  }
  return "?";
}

bool IsRegression(const GateRow& row, const GateCell& cell) {
  return row.baseline.has_value() && *row.baseline == LoadStage::kNone &&
         cell.verdict != LoadStage::kNone;
}

CellState StateOf(const GateRow& row, const GateCell& cell) {
  if (cell.kernel_unreadable) return CellState::kUnreadable;
  const bool baseline_fails = row.baseline.has_value() && *row.baseline != LoadStage::kNone;
  if (cell.verdict == LoadStage::kNone) {
    return baseline_fails ? CellState::kFixed : CellState::kLoads;
  }
  if (!cell.waived_by.empty()) return CellState::kWaived;
  return baseline_fails ? CellState::kKnown : CellState::kFails;
}

namespace {

void Count(const GateRow& row, const GateCell& cell, GateTotals* totals) {
  switch (StateOf(row, cell)) {
    case CellState::kLoads: ++totals->loads; break;
    case CellState::kFixed: ++totals->loads; ++totals->fixed; break;
    case CellState::kFails: ++totals->fails; break;
    case CellState::kKnown: ++totals->known; break;
    case CellState::kWaived: ++totals->waived; break;
    case CellState::kUnreadable: break;
  }
  if (IsRegression(row, cell)) ++totals->regressions;
}

}  // namespace

GateTotals TotalsForKernel(const GateResult& result, size_t kernel) {
  GateTotals totals;
  for (const GateRow& row : result.rows) {
    if (kernel < row.cells.size()) Count(row, row.cells[kernel], &totals);
  }
  return totals;
}

GateTotals TotalsForRow(const GateRow& row) {
  GateTotals totals;
  for (const GateCell& cell : row.cells) Count(row, cell, &totals);
  return totals;
}

std::string_view KernelError(const GateResult& result, size_t kernel) {
  return kernel < result.kernel_errors.size() ? std::string_view(result.kernel_errors[kernel])
                                              : std::string_view();
}

int UnreadableKernels(const GateResult& result) {
  int count = result.baseline_error.empty() ? 0 : 1;
  for (const std::string& error : result.kernel_errors) count += !error.empty();
  return count;
}

void AddRunDiagnostic(Diagnostic diagnostic, GateResult* result) {
  const std::string line = FormatDiagnosticLine(diagnostic);
  for (const Diagnostic& d : result->diagnostics) {
    if (FormatDiagnosticLine(d) == line) return;
  }
  result->diagnostics.push_back(std::move(diagnostic));
}

void RaiseProfileWarnings(GateResult* result) {
  std::vector<Diagnostic> raised;
  for (const GateRow& row : result->rows) {
    for (const GateCell& cell : row.cells) {
      for (const Finding& f : cell.findings) {
        if (f.code == kProfileUnknownName || f.code == kProfileIneffective) {
          raised.push_back(static_cast<const Diagnostic&>(f));
        }
      }
    }
  }
  for (Diagnostic& d : raised) AddRunDiagnostic(std::move(d), result);
}

std::vector<Diagnostic> AllDiagnostics(const GateResult& result) {
  std::vector<Diagnostic> all = result.diagnostics;
  for (Diagnostic& d : WaiverDiagnostics(result.waivers)) all.push_back(std::move(d));
  return all;
}

GateOutcome OutcomeOf(const GateResult& result) {
  GateOutcome outcome;
  outcome.unreadable = UnreadableKernels(result) > 0;
  for (const GateRow& row : result.rows) {
    outcome.unreadable |= !row.error.empty();
    for (const GateCell& cell : row.cells) {
      outcome.blocked |= StateOf(row, cell) == CellState::kFails;
    }
  }
  DiagnosticCounts counts = CountDiagnostics(AllDiagnostics(result));
  outcome.blocked |= counts.errors > 0;
  outcome.warnings |= counts.warnings > 0;
  return outcome;
}

absl::StatusOr<GateResult> MergeGateResults(std::vector<GateResult> shards) {
  if (shards.empty()) return absl::InvalidArgumentError("gate merge: no results to merge");
  GateResult merged = std::move(shards.front());
  std::set<int> indices = {merged.shard.index};
  std::set<std::string> names;
  for (const GateRow& row : merged.rows) names.insert(row.name);
  merged.kernel_errors.resize(merged.kernels.size());
  for (size_t i = 1; i < shards.size(); ++i) {
    GateResult& shard = shards[i];
    std::string which = absl::StrFormat("result %d", i + 1);
    if (shard.kernels != merged.kernels || shard.baseline_kernel != merged.baseline_kernel) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "gate merge: %s checked other kernels than result 1 (a shard of another gate)", which));
    }
    if (shard.libbpf != merged.libbpf) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "gate merge: %s was judged by libbpf %s, result 1 by libbpf %s (a shard of another "
          "gate)",
          which, shard.libbpf.empty() ? "(not recorded)" : shard.libbpf,
          merged.libbpf.empty() ? "(not recorded)" : merged.libbpf));
    }
    if (shard.shard.count != merged.shard.count) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "gate merge: %s is a shard of %d, result 1 of %d", which, shard.shard.count,
          merged.shard.count));
    }
    if (!indices.insert(shard.shard.index).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "gate merge: shard %d/%d given twice", shard.shard.index, shard.shard.count));
    }
    if (shard.waivers.size() != merged.waivers.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("gate merge: %s used other waivers than result 1", which));
    }
    for (size_t w = 0; w < shard.waivers.size(); ++w) {
      if (WaiverLabel(shard.waivers[w]) != WaiverLabel(merged.waivers[w]) ||
          shard.waivers[w].object != merged.waivers[w].object) {
        return absl::InvalidArgumentError(
            absl::StrFormat("gate merge: %s used other waivers than result 1", which));
      }
      merged.waivers[w].matched += shard.waivers[w].matched;
      merged.waivers[w].expired |= shard.waivers[w].expired;
    }
    // A kernel one runner could not read is unreadable in the whole report.
    for (size_t k = 0; k < merged.kernels.size(); ++k) {
      std::string_view error = KernelError(shard, k);
      if (merged.kernel_errors[k].empty()) merged.kernel_errors[k] = std::string(error);
    }
    if (merged.baseline_error.empty()) merged.baseline_error = shard.baseline_error;
    for (GateRow& row : shard.rows) {
      if (!names.insert(row.name).second) {
        return absl::InvalidArgumentError(
            absl::StrFormat("gate merge: '%s' is in two results", row.name));
      }
      merged.rows.push_back(std::move(row));
    }
    for (Diagnostic& d : shard.diagnostics) AddRunDiagnostic(std::move(d), &merged);
  }
  std::sort(merged.rows.begin(), merged.rows.end(),
            [](const GateRow& a, const GateRow& b) { return a.name < b.name; });
  const int count = merged.shard.count;
  if (static_cast<int>(indices.size()) != count) {
    std::vector<std::string> missing;
    for (int index = 1; index <= count; ++index) {
      if (!indices.count(index)) missing.push_back(absl::StrFormat("%d/%d", index, count));
    }
    Diagnostic d = LocatedDiagnostic(
        SourceLocation{"gate merge", 0, 0}, Severity::kWarning,
        absl::StrFormat("shard %s missing: the objects it holds are not in this report",
                        absl::StrJoin(missing, ", ")));
    d.code = "shard-missing";
    merged.diagnostics.push_back(std::move(d));
  }
  merged.shard = {1, 1};
  return merged;
}

}  // namespace kcontract
