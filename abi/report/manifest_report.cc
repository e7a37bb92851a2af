#include "abi/report/manifest_report.h"

#include <nlohmann/json.hpp>

#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

std::string Plural(size_t count, std::string_view noun) {
  return absl::StrFormat("%d %s%s", count, std::string(noun), count == 1 ? "" : "s");
}

std::string CheckJson(const ManifestCheckResult& result) {
  ordered_json j = JsonEnvelope(kManifestJsonVersion);
  j["files"] = result.files;
  ordered_json diagnostics = ordered_json::array();
  for (const Diagnostic& d : result.diagnostics) {
    diagnostics.push_back({{"file", d.location.file},
                           {"line", d.location.line},
                           {"column", d.location.column},
                           {"severity", std::string(SeverityName(d.severity))},
                           {"message", d.message}});
  }
  j["diagnostics"] = std::move(diagnostics);
  DiagnosticCounts counts = CountDiagnostics(result.diagnostics);
  j["errors"] = counts.errors;
  j["warnings"] = counts.warnings;
  j["notes"] = counts.notes;
  return DumpJson(j);
}

std::string CheckText(const ManifestCheckResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnosticLine(d) + "\n";
  DiagnosticCounts counts = CountDiagnostics(result.diagnostics);
  out += absl::StrFormat("%s: %s, %s, %s\n", Plural(result.files.size(), "manifest"),
                         Plural(counts.errors, "error"), Plural(counts.warnings, "warning"),
                         Plural(counts.notes, "note"));
  return out;
}

std::string UpdateJson(const ManifestUpdate& update) {
  ordered_json j = JsonEnvelope(kManifestJsonVersion);
  j["manifest"] = update.path;
  j["kernel"] = update.kernel;
  j["changed"] = update.changed();
  ordered_json interfaces = ordered_json::array();
  for (const UpdateEntry& entry : update.entries) {
    interfaces.push_back(
        {{"kind", std::string(InterfaceKindName(entry.kind))},
         {"name", entry.name},
         {"outcome", std::string(UpdateOutcomeName(entry.outcome))},
         {"revision", entry.revision.empty() ? ordered_json(nullptr) : ordered_json(entry.revision)},
         {"signature", entry.signature}});
  }
  j["interfaces"] = std::move(interfaces);
  for (UpdateOutcome outcome : {UpdateOutcome::kRevisionAdded, UpdateOutcome::kInterfaceAdded,
                                UpdateOutcome::kRecorded, UpdateOutcome::kAbsent,
                                UpdateOutcome::kNotSelected}) {
    j[std::string(UpdateOutcomeName(outcome))] = update.Count(outcome);
  }
  return DumpJson(j);
}

std::string UpdateText(const ManifestUpdate& update) {
  std::string out;
  for (const UpdateEntry& entry : update.entries) {
    std::string what = absl::StrFormat("%s %s", InterfaceKindName(entry.kind), entry.name);
    switch (entry.outcome) {
      case UpdateOutcome::kRevisionAdded:
        out += absl::StrFormat("%s: revision '%s' added\n", what, entry.revision);
        break;
      case UpdateOutcome::kInterfaceAdded:
        out += absl::StrFormat("%s: new interface, revision '%s'\n", what, entry.revision);
        break;
      case UpdateOutcome::kAbsent:
        out += absl::StrFormat("%s: not in %s (kept)\n", what, update.kernel);
        break;
      case UpdateOutcome::kRecorded:
      case UpdateOutcome::kNotSelected:
        break;  // nothing to say about each; counted below
    }
  }
  out += absl::StrFormat(
      "%s with %s: %s added, %s added, %d recorded, %d absent, %d not selected\n", update.path,
      update.kernel, Plural(update.Count(UpdateOutcome::kRevisionAdded), "revision"),
      Plural(update.Count(UpdateOutcome::kInterfaceAdded), "interface"),
      update.Count(UpdateOutcome::kRecorded), update.Count(UpdateOutcome::kAbsent),
      update.Count(UpdateOutcome::kNotSelected));
  return out;
}

}  // namespace

std::string RenderManifestCheck(const ManifestCheckResult& result, OutputFormat format) {
  return format == OutputFormat::kJson ? CheckJson(result) : CheckText(result);
}

std::string RenderManifestUpdate(const ManifestUpdate& update, OutputFormat format) {
  return format == OutputFormat::kJson ? UpdateJson(update) : UpdateText(update);
}

}  // namespace kcontract
