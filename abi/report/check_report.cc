#include "abi/report/check_report.h"

#include <nlohmann/json.hpp>

#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

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
  return j;
}

struct Counts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};

Counts Count(const std::vector<Finding>& findings) {
  Counts c;
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::kError: ++c.errors; break;
      case Severity::kWarning: ++c.warnings; break;
      case Severity::kNote: ++c.notes; break;
    }
  }
  return c;
}

// "OBJ: severity: [code] subject: message". Subjects are names read from
// untrusted objects: escaped so that they cannot forge lines.
void AppendFindingLine(const std::string& object, const Finding& f, std::string* out) {
  absl::StrAppendFormat(out, "%s: %s: [%s] %s: %s\n", object, SeverityName(f.severity), f.code,
                        PrintableName(f.subject), f.message);
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
      r["outcome"] = std::string(PredictedOutcomeName(check.outcome));
      ordered_json findings = ordered_json::array();
      for (const Finding& f : check.findings) findings.push_back(FindingJson(f));
      r["findings"] = std::move(findings);
      results.push_back(std::move(r));
    }
    j["results"] = std::move(results);
    return DumpJson(j);
  }
  std::string out;
  for (const ObjectCheck& check : checks) {
    for (const Finding& f : check.findings) AppendFindingLine(check.object, f, &out);
  }
  for (const ObjectCheck& check : checks) {
    Counts c = Count(check.findings);
    absl::StrAppendFormat(&out, "%s on %s: %s (%d errors, %d warnings, %d notes)\n", check.object,
                          check.kernel, PredictedOutcomeName(check.outcome), c.errors, c.warnings,
                          c.notes);
  }
  return out;
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
  std::string out;
  for (const ContractReport& report : reports) {
    for (const Finding& f : report.findings) AppendFindingLine(report.object, f, &out);
  }
  for (const ContractReport& report : reports) {
    Counts c = Count(report.findings);
    absl::StrAppendFormat(&out, "%s: %s (%d errors, %d warnings, %d notes)\n", report.object,
                          c.errors > 0 ? "contracts violated" : "contracts kept", c.errors,
                          c.warnings, c.notes);
  }
  return out;
}

}  // namespace kcontract
