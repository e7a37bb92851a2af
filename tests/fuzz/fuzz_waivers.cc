// Gate waiver files (`gate --waivers FILE`): read as the gate reads them,
// then matched against a fixed gate result (the fixture objects checked on
// the real and the model kernel, and hand-made cells with every kind of
// finding), rendered in every format. Invariants: the file and its text read
// alike; a cell is waived exactly when every error in it is matched by an
// unexpired waiver; the JSON reads back (as `gate merge` reads it) and
// renders to the same bytes.
#include <nlohmann/json.hpp>

#include "abi/gate/gate_result.h"
#include "abi/gate/gate_run.h"
#include "abi/gate/gate_waivers.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "abi/report/gate_report.h"
#include "tests/fuzz/fuzz_support.h"

namespace kcontract::fuzz {
namespace {

// What expiry is judged against: fixed, so that a run is reproducible.
constexpr std::string_view kToday = "2026-06-01";

Finding MadeFinding(Severity severity, std::string code, std::string subject,
                    std::string program) {
  Finding f;
  f.severity = severity;
  f.code = std::move(code);
  f.subject = std::move(subject);
  f.program = std::move(program);
  f.message = "made by the fuzz target";
  f.effect = LoadEffect::kLibbpfRejects;
  f.stage = LoadStage::kExterns;
  return f;
}

GateCell Cell(std::vector<Finding> findings) {
  GateCell cell;
  for (const Finding& f : findings) {
    if (f.severity == Severity::kError) cell.verdict = LoadStage::kExterns;
  }
  cell.findings = std::move(findings);
  return cell;
}

GateRow Row(std::string name, std::vector<std::string> more_names) {
  GateRow row;
  row.names = {name};
  for (std::string& other : more_names) row.names.push_back(std::move(other));
  std::sort(row.names.begin(), row.names.end());
  row.name = std::move(name);
  row.sha256 = std::string(64, 'c');
  return row;
}

// The cells every waiver file is matched against: three kernels (the real
// one, the model one, and the model one again under a 6.1-like label), the
// fixture objects' real verdicts, named as files and as package members,
// and hand-made rows.
GateResult MakeBaseResult() {
  const Fixtures& f = GetFixtures();
  GateResult result;
  result.kernels = {"6.18.44-host", "6.12.111+deb12-amd64", "6.1.0-50-amd64"};
  result.baseline_kernel = "6.1.0-50-amd64";
  const KernelBtf* kernels[] = {f.real_kernel.get(), f.model_kernel.get(),
                                f.model_kernel.get()};
  ContractSet contracts = MakeContracts();
  std::vector<std::unique_ptr<CheckTarget>> targets;
  for (const KernelBtf* kernel : kernels) targets.push_back(std::make_unique<CheckTarget>(*kernel));
  for (const auto& object : f.objects) {
    std::string base = object->path.substr(object->path.find_last_of('/') + 1);
    GateRow row = Row(object->path, {"bpf-tools_1.0_amd64.deb:usr/lib/bpf/" + base,
                                     "bpf-tools_1.0_amd64.deb:usr/bin/tool@0x" +
                                         std::to_string(base.size() * 64)});
    for (const auto& target : targets) {
      ObjectCheck check = CheckPrepared(*object, *target, contracts).check;
      JudgeCheck(CheckPolicy(), &check);
      GateCell cell;
      cell.verdict = check.verdict;
      cell.findings = std::move(check.findings);
      row.cells.push_back(std::move(cell));
    }
    row.baseline = row.cells.back().verdict;
    result.rows.push_back(std::move(row));
  }
  GateRow made = Row("pkg/stall.bpf.o", {"pkg/usr/lib/bpf-policies/stall.bpf.o"});
  made.cells.push_back(Cell({MadeFinding(Severity::kError, "kfunc-missing", "bpf_cgroup_stall",
                                         "handle_exec")}));
  made.cells.push_back(Cell({MadeFinding(Severity::kError, "kfunc-proto", "bpf_task_from_pid",
                                         "p"),
                             MadeFinding(Severity::kError, "kfunc-missing", "bpf_x", "q"),
                             MadeFinding(Severity::kWarning, "kfunc-unstable", "bpf_y", "")}));
  made.cells.push_back(Cell({}));
  result.rows.push_back(std::move(made));
  GateRow known = Row("pkg/[legacy]*?.o", {});
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    known.cells.push_back(Cell({MadeFinding(Severity::kError, "struct-ops-member-missing",
                                            "tcp_congestion_ops.cong_control", "")}));
  }
  known.baseline = LoadStage::kExterns;
  result.rows.push_back(std::move(known));
  GateRow bad = Row("pkg/broken.o", {});
  bad.error = "truncated ELF header";
  result.rows.push_back(std::move(bad));
  std::sort(result.rows.begin(), result.rows.end(),
            [](const GateRow& a, const GateRow& b) { return a.name < b.name; });
  return result;
}

const GateResult& BaseResult() {
  static const GateResult* result = new GateResult(MakeBaseResult());
  return *result;
}

bool MatchedByUnexpired(const GateResult& result, const GateRow& row, size_t kernel,
                        const Finding& finding) {
  for (const Waiver& waiver : result.waivers) {
    if (!waiver.expired && WaiverMatches(waiver, row.names, result.kernels[kernel], finding)) {
      return true;
    }
  }
  return false;
}

void CheckWaived(const GateResult& result) {
  for (const GateRow& row : result.rows) {
    for (size_t k = 0; k < row.cells.size(); ++k) {
      const GateCell& cell = row.cells[k];
      bool errors = false, all_matched = true;
      for (const Finding& finding : cell.findings) {
        if (finding.severity != Severity::kError) continue;
        errors = true;
        all_matched &= MatchedByUnexpired(result, row, k, finding);
      }
      const bool should = cell.verdict != LoadStage::kNone && errors && all_matched;
      if (should != !cell.waived_by.empty()) {
        Broken("cell " + row.name + " on " + result.kernels[k] +
               (should ? " is not waived, yet every error in it is matched"
                       : " is waived, yet not every error in it is matched"));
      }
    }
  }
}

void CheckJsonRoundTrip(const GateResult& result) {
  const std::string json = RenderGate(result, GateFormat::kJson);
  absl::StatusOr<GateResult> parsed = ParseGateJson(json, "fuzz.json");
  if (!parsed.ok()) Broken("the gate's JSON does not read back: " + parsed.status().ToString());
  if (RenderGate(*parsed, GateFormat::kJson) != json) {
    Broken("the gate's JSON read back renders differently");
  }
  absl::StatusOr<GateResult> merged = MergeGateResults({std::move(*parsed)});
  if (!merged.ok()) Broken("gate merge of one result failed: " + merged.status().ToString());
  if (!nlohmann::json::accept(RenderGateSarif(result))) Broken("SARIF is not JSON");
}

}  // namespace
}  // namespace kcontract::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kcontract;
  fuzz::GetFixtures();
  const GateResult& base = fuzz::BaseResult();
  std::string path = fuzz::WriteScratchFile("waivers.toml", data, size);
  WaiverReadResult read = ReadWaivers(path);
  WaiverReadResult parsed =
      ParseWaivers(std::string_view(reinterpret_cast<const char*>(data), size), path);
  if (read.ok() != parsed.ok() || read.waivers.size() != parsed.waivers.size()) {
    fuzz::Broken("the waiver file and its text read differently");
  }
  for (const Diagnostic& d : parsed.diagnostics) fuzz::Consume(FormatDiagnosticLine(d));
  if (!parsed.ok()) return 0;

  GateResult result = base;
  result.waivers = std::move(parsed.waivers);
  ApplyWaivers(fuzz::kToday, &result);
  fuzz::CheckWaived(result);
  for (const Diagnostic& d : AllDiagnostics(result)) fuzz::Consume(FormatDiagnosticLine(d));
  GateOutcome outcome = OutcomeOf(result);
  fuzz::Consume(outcome.blocked ? "blocked" : "passes");
  for (GateFormat format : {GateFormat::kText, GateFormat::kMarkdown}) {
    fuzz::Consume(RenderGate(result, format));
  }
  fuzz::Consume(RenderGateJunit(result));
  fuzz::Consume(RenderGateHtml(result));
  fuzz::CheckJsonRoundTrip(result);
  return 0;
}
