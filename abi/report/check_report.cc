#include "abi/report/check_report.h"

#include <nlohmann/json.hpp>

#include "abi/report/finding_text.h"
#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

ordered_json FindingJson(const Finding& f) {
  ordered_json j;
  j["severity"] = std::string(SeverityName(f.severity));
  j["code"] = f.code;
  j["subject"] = f.subject;
  j["program"] = f.program.empty() ? ordered_json(nullptr) : ordered_json(f.program);
  j["message"] = f.message;
  j["effect"] = std::string(LoadEffectName(f.effect));
  j["stage"] = std::string(LoadStageName(f.stage));
  j["guarded"] = f.guarded;
  j["optional"] = f.optional;
  if (f.effect == LoadEffect::kRejectedIfReached) {
    j["reach"] = std::string(ReachName(f.reach));
    if (!f.reach_detail.empty()) j["reach_detail"] = f.reach_detail;
    // Each instruction, per program that loads it: what a tool needs to
    // point at the line, without parsing the message.
    ordered_json evidence = ordered_json::array();
    for (const ReachEvidence& e : f.evidence) {
      ordered_json ej;
      ej["program"] = e.program;
      ej["instruction"] = e.insn;
      if (!e.location.file.empty()) {
        ej["file"] = e.location.file;
        ej["line"] = e.location.line;
        if (e.location.column > 0) ej["column"] = e.location.column;
        ej["source"] = e.source;
      }
      ej["reach"] = std::string(ReachName(e.reach));
      if (!e.detail.empty()) ej["detail"] = e.detail;
      evidence.push_back(std::move(ej));
    }
    j["evidence"] = std::move(evidence);
  }
  return j;
}

// "loads", or the stage that stops the load: "fails at relocation".
std::string VerdictText(LoadStage verdict) {
  if (verdict == LoadStage::kNone) return "loads";
  return absl::StrFormat("fails at %s", LoadStageName(verdict));
}

}  // namespace

std::string RenderChecks(const std::vector<ObjectCheck>& checks, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kCheckJsonVersion);
    ordered_json results = ordered_json::array();
    for (const ObjectCheck& check : checks) {
      ordered_json r;
      r["object"] = check.object;
      r["kernel"] = check.kernel;
      r["verdict"] = check.verdict == LoadStage::kNone ? "loads"
                                                        : std::string(LoadStageName(check.verdict));
      // The load profile entry the object was checked with ("file:line:col").
      r["load_profile"] = check.load_profile.empty() ? ordered_json(nullptr)
                                                     : ordered_json(check.load_profile);
      ordered_json findings = ordered_json::array();
      for (const Finding& f : check.findings) findings.push_back(FindingJson(f));
      r["findings"] = std::move(findings);
      results.push_back(std::move(r));
    }
    j["results"] = std::move(results);
    return DumpJson(j);
  }
  std::vector<FindingBlock> blocks;
  for (const ObjectCheck& check : checks) {
    blocks.push_back({check.object, &check.findings,
                      absl::StrFormat("%s on %s: %s", check.object, check.kernel,
                                      VerdictText(check.verdict))});
  }
  return FindingBlocksText(blocks);
}

std::string RenderLint(const std::vector<ContractReport>& reports, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kLintJsonVersion);
    ordered_json results = ordered_json::array();
    for (const ContractReport& report : reports) {
      ordered_json r;
      r["object"] = report.object;
      r["opt_ins"] = report.opt_ins;
      ordered_json findings = ordered_json::array();
      for (const Finding& f : report.findings) findings.push_back(FindingJson(f));
      r["findings"] = std::move(findings);
      results.push_back(std::move(r));
    }
    j["results"] = std::move(results);
    return DumpJson(j);
  }
  std::vector<FindingBlock> blocks;
  for (const ContractReport& report : reports) {
    const bool violated = CountDiagnostics(report.findings).errors > 0;
    blocks.push_back({report.object, &report.findings,
                      absl::StrFormat("%s: %s", report.object,
                                      violated ? "contracts violated" : "contracts kept")});
  }
  return FindingBlocksText(blocks);
}

}  // namespace kcontract
