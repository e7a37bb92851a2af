#include "abi/report/gate_report.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "abi/report/finding_json.h"
#include "abi/report/finding_text.h"
#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

constexpr char kUnreadable[] = "unreadable";

std::string TotalsText(const GateTotals& t, bool baseline) {
  std::vector<std::string> parts = {absl::StrFormat("%d ok", t.loads),
                                    absl::StrFormat("%d FAIL", t.fails),
                                    absl::StrFormat("%d waived", t.waived)};
  if (baseline) {
    parts.push_back(absl::StrFormat("%d known", t.known));
    parts.push_back(absl::StrFormat("%d fixed", t.fixed));
    parts.push_back(absl::StrFormat("%d regressions", t.regressions));
  }
  return absl::StrJoin(parts, ", ");
}

GateTotals AllTotals(const GateResult& result) {
  GateTotals all;
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    GateTotals t = TotalsForKernel(result, k);
    all.loads += t.loads;
    all.fails += t.fails;
    all.known += t.known;
    all.waived += t.waived;
    all.fixed += t.fixed;
    all.regressions += t.regressions;
  }
  return all;
}

int UnreadableCount(const GateResult& result) {
  return static_cast<int>(std::count_if(result.rows.begin(), result.rows.end(),
                                        [](const GateRow& row) { return !row.error.empty(); }));
}

// "; unreadable kernels: N" when any could not be read.
std::string UnreadableKernelsText(const GateResult& result) {
  int count = UnreadableKernels(result);
  return count == 0 ? "" : absl::StrFormat("; unreadable kernels: %d", count);
}

std::string Heading(const GateResult& result) {
  std::string heading = absl::StrFormat(
      "kcontract gate: %d objects x %d kernels", result.rows.size(), result.kernels.size());
  if (!result.baseline_kernel.empty()) {
    absl::StrAppend(&heading, ", baseline ", result.baseline_kernel);
  }
  if (result.shard.count > 1) {
    absl::StrAppendFormat(&heading, ", shard %d/%d", result.shard.index, result.shard.count);
  }
  if (!result.libbpf.empty()) absl::StrAppend(&heading, ", libbpf ", result.libbpf);
  return heading;
}

std::string BaselineWord(const GateResult& result, const GateRow& row) {
  if (!result.baseline_error.empty()) return kUnreadable;
  if (!row.baseline) return "-";
  return *row.baseline == LoadStage::kNone ? "ok" : "fails";
}

// The findings worth reading of a cell that does not load: errors and
// warnings (notes stay in JSON).
struct FailingCell {
  const GateRow* row;
  size_t kernel;
  std::vector<Finding> findings;
  std::string summary;
};

std::vector<FailingCell> FailingCells(const GateResult& result) {
  std::vector<FailingCell> out;
  for (const GateRow& row : result.rows) {
    for (size_t k = 0; k < row.cells.size(); ++k) {
      const GateCell& cell = row.cells[k];
      if (cell.verdict == LoadStage::kNone) continue;
      FailingCell failing{&row, k, {}, ""};
      for (const Finding& f : cell.findings) {
        if (f.severity != Severity::kNote) failing.findings.push_back(f);
      }
      CellState state = StateOf(row, cell);
      failing.summary = absl::StrFormat("%s on %s: fails at %s (%s", row.name, result.kernels[k],
                                        LoadStageName(cell.verdict), CellStateWord(state));
      if (state == CellState::kWaived) {
        absl::StrAppend(&failing.summary, " by ", absl::StrJoin(cell.waived_by, ", "));
      }
      absl::StrAppend(&failing.summary, ")");
      out.push_back(std::move(failing));
    }
  }
  return out;
}

std::string FindingsText(const std::vector<FailingCell>& failing) {
  std::vector<FindingBlock> blocks;
  for (const FailingCell& cell : failing) {
    blocks.push_back({cell.row->name, &cell.findings, cell.summary});
  }
  return FindingBlocksText(blocks);
}

std::string DiagnosticsText(const GateResult& result) {
  std::string out;
  for (const Diagnostic& d : AllDiagnostics(result)) {
    absl::StrAppend(&out, FormatDiagnosticLine(d), "\n");
  }
  return out;
}

std::string RenderText(const GateResult& result) {
  const bool baseline = !result.baseline_kernel.empty();
  std::vector<std::string> header = {"OBJECT"};
  if (baseline) header.push_back("baseline");
  for (const std::string& kernel : result.kernels) header.push_back(kernel);
  std::vector<size_t> widths;
  for (const std::string& h : header) widths.push_back(h.size());
  for (const GateRow& row : result.rows) widths[0] = std::max(widths[0], row.name.size());
  for (size_t& width : widths) width = std::max<size_t>(width, 6);
  // The columns of kernels that could not be read say so in every cell.
  const size_t unreadable = std::string_view(kUnreadable).size();
  if (!result.baseline_error.empty()) widths[1] = std::max(widths[1], unreadable);
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    size_t& width = widths[1 + (baseline ? 1 : 0) + k];
    if (!KernelError(result, k).empty()) width = std::max(width, unreadable);
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i + 1 == cells.size()) {
        absl::StrAppend(&text, cells[i]);
      } else {
        absl::StrAppendFormat(&text, "%-*s  ", static_cast<int>(widths[i]), cells[i]);
      }
    }
    return text + "\n";
  };
  std::string out = Heading(result) + "\n\n" + line(header);
  for (const GateRow& row : result.rows) {
    if (!row.error.empty()) {
      out += line({row.name, absl::StrFormat("%s: %s", kUnreadable, row.error)});
      continue;
    }
    std::vector<std::string> cells = {row.name};
    if (baseline) cells.push_back(BaselineWord(result, row));
    for (const GateCell& cell : row.cells) {
      cells.push_back(std::string(CellStateWord(StateOf(row, cell))));
    }
    out += line(cells);
    for (size_t i = 1; i < row.names.size(); ++i) {
      absl::StrAppendFormat(&out, "  same bytes: %s\n", row.names[i]);
    }
  }
  absl::StrAppendFormat(&out, "\ntotals: %s; %d unreadable%s\n",
                        TotalsText(AllTotals(result), baseline), UnreadableCount(result),
                        UnreadableKernelsText(result));
  if (!result.baseline_error.empty()) {
    absl::StrAppendFormat(&out, "  baseline %s: %s: %s\n", result.baseline_kernel, kUnreadable,
                          result.baseline_error);
  }
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    std::string_view error = KernelError(result, k);
    absl::StrAppendFormat(&out, "  %s: %s\n", result.kernels[k],
                          error.empty() ? TotalsText(TotalsForKernel(result, k), baseline)
                                        : absl::StrFormat("%s: %s", kUnreadable, error));
  }
  std::vector<FailingCell> failing = FailingCells(result);
  if (!failing.empty()) absl::StrAppend(&out, "\n", FindingsText(failing));
  std::string diagnostics = DiagnosticsText(result);
  if (!diagnostics.empty()) absl::StrAppend(&out, "\n", diagnostics);
  return out;
}

// A table cell's text: pipes and newlines would break the row.
std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderMarkdown(const GateResult& result) {
  const bool baseline = !result.baseline_kernel.empty();
  std::string out = absl::StrFormat("### %s\n\n| object |", Heading(result));
  std::string rule = "|---|";
  if (baseline) {
    out += " baseline |";
    rule += "---|";
  }
  for (const std::string& kernel : result.kernels) {
    absl::StrAppend(&out, " ", MarkdownCell(kernel), " |");
    rule += "---|";
  }
  absl::StrAppend(&out, "\n", rule, "\n");
  for (const GateRow& row : result.rows) {
    absl::StrAppend(&out, "| `", MarkdownCell(row.name), "` |");
    if (!row.error.empty()) {
      absl::StrAppend(&out, " **", kUnreadable, "**: ", MarkdownCell(row.error), " |\n");
      continue;
    }
    if (baseline) {
      std::string word = BaselineWord(result, row);
      absl::StrAppend(&out, " ", result.baseline_error.empty() ? word : "**" + word + "**", " |");
    }
    for (const GateCell& cell : row.cells) {
      CellState state = StateOf(row, cell);
      std::string word(CellStateWord(state));
      const bool bold = state == CellState::kFails || state == CellState::kUnreadable;
      absl::StrAppend(&out, " ", bold ? "**" + word + "**" : word, " |");
    }
    out += "\n";
  }
  absl::StrAppendFormat(&out, "\n**Totals**: %s; %d unreadable%s\n\n",
                        TotalsText(AllTotals(result), baseline), UnreadableCount(result),
                        UnreadableKernelsText(result));
  if (!result.baseline_error.empty()) {
    absl::StrAppendFormat(&out, "- baseline `%s`: **%s**: %s\n",
                          MarkdownCell(result.baseline_kernel), kUnreadable,
                          MarkdownCell(result.baseline_error));
  }
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    std::string_view error = KernelError(result, k);
    absl::StrAppendFormat(&out, "- `%s`: %s\n", result.kernels[k],
                          error.empty() ? TotalsText(TotalsForKernel(result, k), baseline)
                                        : absl::StrFormat("**%s**: %s", kUnreadable,
                                                          MarkdownCell(error)));
  }
  std::vector<FailingCell> failing = FailingCells(result);
  if (!failing.empty()) {
    absl::StrAppend(&out, "\n<details><summary>Findings of the cells that do not load",
                    "</summary>\n\n```text\n", FindingsText(failing), "```\n\n</details>\n");
  }
  std::string diagnostics = DiagnosticsText(result);
  if (!diagnostics.empty()) absl::StrAppend(&out, "\n```text\n", diagnostics, "```\n");
  return out;
}

ordered_json TotalsJson(const GateTotals& t) {
  ordered_json j;
  j["loads"] = t.loads;
  j["fails"] = t.fails;
  j["waived"] = t.waived;
  j["known"] = t.known;
  j["fixed"] = t.fixed;
  j["regressions"] = t.regressions;
  return j;
}

ordered_json LocationJson(const SourceLocation& location) {
  ordered_json j;
  j["file"] = location.file;
  j["line"] = location.line;
  j["column"] = location.column;
  return j;
}

ordered_json GateFindingJson(const Finding& f) {
  ordered_json j = FindingJson(f);
  if (!f.location.file.empty()) j["location"] = LocationJson(f.location);
  if (!f.hint.empty()) j["hint"] = f.hint;
  return j;
}

std::string RenderJson(const GateResult& result) {
  ordered_json j = JsonEnvelope(kGateJsonVersion);
  j["libbpf"] = result.libbpf.empty() ? ordered_json(nullptr) : ordered_json(result.libbpf);
  j["kernels"] = result.kernels;
  j["baseline_kernel"] =
      result.baseline_kernel.empty() ? ordered_json(nullptr) : ordered_json(result.baseline_kernel);
  j["baseline_error"] =
      result.baseline_error.empty() ? ordered_json(nullptr) : ordered_json(result.baseline_error);
  j["shard"] = {{"index", result.shard.index}, {"count", result.shard.count}};
  ordered_json totals = TotalsJson(AllTotals(result));
  totals["unreadable"] = UnreadableCount(result);
  totals["unreadable_kernels"] = UnreadableKernels(result);
  j["totals"] = std::move(totals);
  ordered_json per_kernel = ordered_json::array();
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    ordered_json t = TotalsJson(TotalsForKernel(result, k));
    t["kernel"] = result.kernels[k];
    std::string_view error = KernelError(result, k);
    t["error"] = error.empty() ? ordered_json(nullptr) : ordered_json(std::string(error));
    per_kernel.push_back(std::move(t));
  }
  j["kernel_totals"] = std::move(per_kernel);
  ordered_json objects = ordered_json::array();
  for (const GateRow& row : result.rows) {
    ordered_json o;
    o["name"] = row.name;
    o["names"] = row.names;
    o["sha256"] = row.sha256;
    o["error"] = row.error.empty() ? ordered_json(nullptr) : ordered_json(row.error);
    o["baseline"] = row.baseline ? ordered_json(VerdictName(*row.baseline)) : ordered_json(nullptr);
    o["totals"] = TotalsJson(TotalsForRow(row));
    ordered_json cells = ordered_json::array();
    for (size_t k = 0; k < row.cells.size(); ++k) {
      const GateCell& cell = row.cells[k];
      ordered_json c;
      c["kernel"] = k < result.kernels.size() ? result.kernels[k] : "";
      c["verdict"] =
          cell.kernel_unreadable ? ordered_json(nullptr) : ordered_json(VerdictName(cell.verdict));
      c["state"] = std::string(CellStateWord(StateOf(row, cell)));
      c["regression"] = IsRegression(row, cell);
      c["waived_by"] = cell.waived_by;
      ordered_json findings = ordered_json::array();
      for (const Finding& f : cell.findings) findings.push_back(GateFindingJson(f));
      c["findings"] = std::move(findings);
      cells.push_back(std::move(c));
    }
    o["cells"] = std::move(cells);
    objects.push_back(std::move(o));
  }
  j["objects"] = std::move(objects);
  ordered_json waivers = ordered_json::array();
  for (const Waiver& w : result.waivers) {
    ordered_json wj;
    wj["location"] = LocationJson(w.location);
    wj["object"] = w.object;
    wj["program"] = w.program;
    wj["code"] = w.code;
    wj["subject"] = w.subject;
    wj["kernel"] = w.kernel;
    wj["reason"] = w.reason;
    wj["expires"] = w.expires;
    wj["expired"] = w.expired;
    wj["matched"] = w.matched;
    waivers.push_back(std::move(wj));
  }
  j["waivers"] = std::move(waivers);
  ordered_json diagnostics = ordered_json::array();
  for (const Diagnostic& d : AllDiagnostics(result)) {
    ordered_json dj;
    dj["severity"] = std::string(SeverityName(d.severity));
    dj["code"] = d.code;
    dj["message"] = d.message;
    dj["location"] = LocationJson(d.location);
    diagnostics.push_back(std::move(dj));
  }
  j["diagnostics"] = std::move(diagnostics);
  return DumpJson(j);
}

SourceLocation LocationFromJson(const ordered_json& j) {
  SourceLocation location;
  if (!j.is_object()) return location;
  location.file = j.value("file", "");
  location.line = j.value("line", 0);
  location.column = j.value("column", 0);
  return location;
}

absl::StatusOr<GateResult> FromJson(const ordered_json& j) {
  if (j.value("tool", "") != "kcontract" || j.value("format_version", 0) != kGateJsonVersion ||
      !j.contains("objects") || !j.contains("kernels")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "not a kcontract gate result of format_version %d", kGateJsonVersion));
  }
  GateResult result;
  result.kernels = j.at("kernels").get<std::vector<std::string>>();
  if (j.at("baseline_kernel").is_string()) result.baseline_kernel = j.at("baseline_kernel");
  if (j.contains("baseline_error") && j.at("baseline_error").is_string()) {
    result.baseline_error = j.at("baseline_error");
  }
  if (j.contains("libbpf") && j.at("libbpf").is_string()) result.libbpf = j.at("libbpf");
  result.kernel_errors.resize(result.kernels.size());
  if (j.contains("kernel_totals")) {
    const ordered_json& per_kernel = j.at("kernel_totals");
    for (size_t k = 0; k < per_kernel.size() && k < result.kernels.size(); ++k) {
      if (per_kernel[k].contains("error") && per_kernel[k].at("error").is_string()) {
        result.kernel_errors[k] = per_kernel[k].at("error");
      }
    }
  }
  result.shard.index = j.at("shard").value("index", 1);
  result.shard.count = j.at("shard").value("count", 1);
  for (const ordered_json& o : j.at("objects")) {
    GateRow row;
    row.name = o.at("name");
    row.names = o.at("names").get<std::vector<std::string>>();
    row.sha256 = o.value("sha256", "");
    if (o.at("error").is_string()) row.error = o.at("error");
    if (o.at("baseline").is_string()) {
      absl::StatusOr<LoadStage> baseline = VerdictFromName(o.at("baseline").get<std::string>());
      if (!baseline.ok()) return baseline.status();
      row.baseline = *baseline;
    }
    for (const ordered_json& c : o.at("cells")) {
      GateCell cell;
      if (c.at("verdict").is_null()) {
        cell.kernel_unreadable = true;
      } else {
        absl::StatusOr<LoadStage> verdict = VerdictFromName(c.at("verdict").get<std::string>());
        if (!verdict.ok()) return verdict.status();
        cell.verdict = *verdict;
      }
      cell.waived_by = c.at("waived_by").get<std::vector<std::string>>();
      for (const ordered_json& f : c.at("findings")) {
        absl::StatusOr<Finding> finding = FindingFromJson(f);
        if (!finding.ok()) return finding.status();
        cell.findings.push_back(std::move(*finding));
      }
      row.cells.push_back(std::move(cell));
    }
    if (row.error.empty() && row.cells.size() != result.kernels.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("'%s' has %d cells for %d kernels", row.name, row.cells.size(),
                          result.kernels.size()));
    }
    result.rows.push_back(std::move(row));
  }
  for (const ordered_json& wj : j.at("waivers")) {
    Waiver w;
    w.location = LocationFromJson(wj.at("location"));
    w.object = wj.value("object", "");
    w.program = wj.value("program", "");
    w.code = wj.value("code", "");
    w.subject = wj.value("subject", "");
    w.kernel = wj.value("kernel", "");
    w.reason = wj.value("reason", "");
    w.expires = wj.value("expires", "");
    w.expired = wj.value("expired", false);
    w.matched = wj.value("matched", 0);
    result.waivers.push_back(std::move(w));
  }
  for (const ordered_json& dj : j.at("diagnostics")) {
    std::string code = dj.value("code", "");
    // The waivers' diagnostics are derived again from the waivers.
    if (code == "waiver-expired" || code == "waiver-unused") continue;
    std::string severity = dj.value("severity", "note");
    Diagnostic d = LocatedDiagnostic(LocationFromJson(dj.at("location")),
                                     severity == "error"     ? Severity::kError
                                     : severity == "warning" ? Severity::kWarning
                                                             : Severity::kNote,
                                     dj.value("message", ""));
    d.code = code;
    result.diagnostics.push_back(std::move(d));
  }
  return result;
}

}  // namespace

std::string RenderGate(const GateResult& result, GateFormat format) {
  switch (format) {
    case GateFormat::kText: return RenderText(result);
    case GateFormat::kMarkdown: return RenderMarkdown(result);
    case GateFormat::kJson: return RenderJson(result);
  }
  return RenderText(result);
}

absl::StatusOr<GateResult> ParseGateJson(std::string_view text, std::string_view what) {
  ordered_json j =
      ordered_json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not JSON", what));
  }
  // nlohmann throws on a missing key or a wrong type; nothing leaves here as
  // an exception.
  try {
    absl::StatusOr<GateResult> result = FromJson(j);
    if (!result.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: %s", what, result.status().message()));
    }
    return result;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a kcontract gate result: %s", what, e.what()));
  }
}

}  // namespace kcontract
