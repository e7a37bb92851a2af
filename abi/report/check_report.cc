#include "abi/report/check_report.h"

#include <nlohmann/json.hpp>

#include "abi/libbpf/libbpf_requirement.h"
#include "abi/report/finding_json.h"
#include "abi/report/finding_text.h"
#include "abi/report/json_envelope.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

// "loads", or the stage that stops the load: "fails at relocation".
std::string VerdictText(LoadStage verdict) {
  if (verdict == LoadStage::kNone) return "loads";
  return absl::StrFormat("fails at %s", LoadStageName(verdict));
}

}  // namespace

std::string RenderChecks(const std::vector<ObjectCheck>& checks, OutputFormat format,
                         const LibbpfChoice& libbpf) {
  if (format == OutputFormat::kJson) {
    ordered_json j = JsonEnvelope(kCheckJsonVersion);
    j["libbpf"] = libbpf.Describe();
    ordered_json results = ordered_json::array();
    for (const ObjectCheck& check : checks) {
      ordered_json r;
      r["object"] = check.object;
      r["kernel"] = check.kernel;
      r["libbpf"] = check.libbpf.version.ToString();
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
    // A release other than the header's: a load profile chose it.
    std::string with = check.libbpf.version.ToString() == libbpf.version.ToString()
                           ? std::string()
                           : " with libbpf " + check.libbpf.version.ToString();
    blocks.push_back({check.object, &check.findings,
                      absl::StrFormat("%s on %s%s: %s", check.object, check.kernel, with,
                                      VerdictText(check.verdict))});
  }
  return absl::StrFormat("libbpf %s\n", libbpf.Describe()) + FindingBlocksText(blocks);
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
    // --libbpf-min's errors are no contract's: the summary says which kind
    // of error the object has.
    bool violated = false, too_old = false;
    for (const Finding& f : report.findings) {
      if (f.severity != Severity::kError) continue;
      (f.code == kLibbpfTooOldCode ? too_old : violated) = true;
    }
    std::string summary = violated ? "contracts violated" : "contracts kept";
    if (too_old) absl::StrAppend(&summary, "; needs a newer libbpf");
    blocks.push_back({report.object, &report.findings,
                      absl::StrFormat("%s: %s", report.object, summary)});
  }
  return FindingBlocksText(blocks);
}

}  // namespace kcontract
