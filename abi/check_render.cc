#include "abi/check_render.h"

#include <nlohmann/json.hpp>

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
  return j;
}

struct Counts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};

Counts Count(const ObjectCheck& check) {
  Counts c;
  for (const Finding& f : check.findings) {
    switch (f.severity) {
      case Severity::kError: ++c.errors; break;
      case Severity::kWarning: ++c.warnings; break;
      case Severity::kNote: ++c.notes; break;
    }
  }
  return c;
}

}  // namespace

std::string RenderChecks(const std::vector<ObjectCheck>& checks, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    ordered_json j;
    j["format_version"] = kCheckJsonVersion;
    j["tool"] = "kcontract";
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
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string out;
  for (const ObjectCheck& check : checks) {
    for (const Finding& f : check.findings) {
      absl::StrAppendFormat(&out, "%s: %s: [%s] %s: %s\n", check.object, SeverityName(f.severity),
                            f.code, f.subject, f.message);
    }
  }
  for (const ObjectCheck& check : checks) {
    Counts c = Count(check);
    absl::StrAppendFormat(&out, "%s on %s: %s (%d errors, %d warnings, %d notes)\n", check.object,
                          check.kernel, PredictedOutcomeName(check.outcome), c.errors, c.warnings,
                          c.notes);
  }
  return out;
}

}  // namespace kcontract
