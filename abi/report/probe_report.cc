#include "abi/report/probe_report.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

ordered_json StringOrNull(const std::string& value) {
  return value.empty() ? ordered_json(nullptr) : ordered_json(value);
}

std::string StabilityText(const std::optional<Stability>& stability) {
  // No level: what the kernel's kfunc documentation calls every kfunc.
  return stability ? std::string(StabilityName(*stability)) : "unstable";
}

std::string RevisionText(const InterfaceProbe& probe) {
  switch (probe.match) {
    case RevisionMatch::kRecorded: return probe.revision;
    case RevisionMatch::kUnrecorded: return "unrecorded";
    case RevisionMatch::kNoRevisions:
    case RevisionMatch::kAbsent: return "-";
  }
  return "?";
}

std::string WhereText(const InterfaceProbe& probe) {
  if (!probe.present) return "absent";
  return probe.module.value_or("vmlinux");
}

ordered_json InterfaceJson(const InterfaceProbe& probe) {
  ordered_json j;
  j["kind"] = std::string(InterfaceKindName(probe.kind));
  j["name"] = probe.name;
  j["present"] = probe.present;
  j["module"] = probe.module ? ordered_json(*probe.module) : ordered_json(nullptr);
  j["stability"] =
      probe.stability ? ordered_json(std::string(StabilityName(*probe.stability))) : nullptr;
  j["match"] = std::string(RevisionMatchName(probe.match));
  j["revision"] = StringOrNull(probe.revision);
  j["revision_recorded_at"] = probe.match == RevisionMatch::kRecorded
                                  ? ordered_json(FormatLocation(probe.revision_location))
                                  : ordered_json(nullptr);
  j["signature"] = probe.signature;
  j["governed_by"] = FormatLocation(probe.governed_by);
  j["origin"] = std::string(ContractOriginName(probe.origin));
  j["contract"] = StringOrNull(probe.contract);
  j["remove"] = StringOrNull(probe.remove);
  j["replacement"] = StringOrNull(probe.replacement);
  j["withdrawn_but_present"] = probe.withdrawn_but_present();
  j["deprecated_and_present"] = probe.deprecated_and_present();
  return j;
}

std::string RenderJson(const ProbeResult& result) {
  ordered_json j = JsonEnvelope(kProbeJsonVersion);
  j["kernel"] = {{"label", result.kernel},
                 {"source", result.source},
                 {"release", StringOrNull(result.release)}};
  ordered_json interfaces = ordered_json::array();
  for (const InterfaceProbe& probe : result.interfaces) interfaces.push_back(InterfaceJson(probe));
  j["interfaces"] = std::move(interfaces);
  return DumpJson(j);
}

constexpr size_t kColumns = 6;
using Row = std::array<std::string, kColumns>;

// The governing entry, its manifest named relative to the manifest directory
// when under it.
std::string GoverningText(const InterfaceProbe& probe, const ProbeTextOptions& options) {
  SourceLocation location = probe.governed_by;
  if (!options.manifest_dir.empty()) {
    std::filesystem::path relative = std::filesystem::path(location.file)
                                         .lexically_normal()
                                         .lexically_relative(std::filesystem::path(
                                             options.manifest_dir).lexically_normal());
    if (!relative.empty() && *relative.begin() != "..") location.file = relative.string();
  }
  return FormatLocation(location);
}

Row TableRow(const InterfaceProbe& probe, const ProbeTextOptions& options) {
  return {std::string(InterfaceKindName(probe.kind)), probe.name, StabilityText(probe.stability),
          RevisionText(probe), WhereText(probe), GoverningText(probe, options)};
}

std::string FormatRow(const Row& row, const std::array<size_t, kColumns>& widths) {
  std::string line;
  for (size_t i = 0; i + 1 < kColumns; ++i) {
    absl::StrAppendFormat(&line, "%-*s  ", widths[i], row[i]);
  }
  return line + row[kColumns - 1] + "\n";
}

std::string Subject(const InterfaceProbe& probe) {
  return absl::StrFormat("%s %s", InterfaceKindName(probe.kind), probe.name);
}

// What a reader should act on, after the table.
std::vector<std::string> Remarks(const ProbeResult& result, const ProbeTextOptions& options) {
  std::vector<std::string> lines;
  for (const InterfaceProbe& probe : result.interfaces) {
    std::string governed_by = GoverningText(probe, options);
    if (probe.withdrawn_but_present()) {
      lines.push_back(absl::StrFormat("warning: %s is withdrawn (%s) but this kernel still has it",
                                      Subject(probe), governed_by));
    }
    if (probe.deprecated_and_present()) {
      std::string detail;
      if (!probe.remove.empty()) absl::StrAppendFormat(&detail, ", removed in %s", probe.remove);
      if (!probe.replacement.empty()) absl::StrAppendFormat(&detail, ", use %s", probe.replacement);
      lines.push_back(absl::StrFormat("note: %s is deprecated (%s%s)", Subject(probe), governed_by,
                                      detail));
    }
    if (probe.match == RevisionMatch::kUnrecorded) {
      lines.push_back(absl::StrFormat(
          "warning: %s: this kernel's signature is no recorded revision (shown above)",
          Subject(probe)));
    }
  }
  return lines;
}

std::string RenderText(const ProbeResult& result, const ProbeTextOptions& options) {
  std::string out = absl::StrFormat("kernel %s", result.kernel);
  if (result.kernel != result.source) absl::StrAppendFormat(&out, " (%s)", result.source);
  out += "\n";
  if (result.interfaces.empty()) return out + "no contract names any interface\n";
  std::vector<const InterfaceProbe*> shown;
  size_t absent = 0;
  for (const InterfaceProbe& probe : result.interfaces) {
    if (!probe.present) ++absent;
    if (probe.present || options.all) shown.push_back(&probe);
  }
  std::vector<Row> rows = {{"kind", "name", "stability", "revision", "where", "governed by"}};
  for (const InterfaceProbe* probe : shown) rows.push_back(TableRow(*probe, options));
  std::array<size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  if (!shown.empty()) out += FormatRow(rows[0], widths);
  for (size_t i = 0; i < shown.size(); ++i) {
    out += FormatRow(rows[i + 1], widths);
    const InterfaceProbe& probe = *shown[i];
    if (probe.match != RevisionMatch::kUnrecorded) continue;
    for (const std::string& line : probe.signature) absl::StrAppendFormat(&out, "\t%s\n", line);
  }
  if (absent > 0 && !options.all) {
    absl::StrAppendFormat(&out, "%u of the %u interfaces the contracts name are absent from this "
                                "kernel (--all lists them)\n",
                          absent, result.interfaces.size());
  }
  for (const std::string& remark : Remarks(result, options)) out += remark + "\n";
  return out;
}

}  // namespace

std::string RenderProbe(const ProbeResult& result, OutputFormat format,
                        const ProbeTextOptions& options) {
  return format == OutputFormat::kJson ? RenderJson(result) : RenderText(result, options);
}

}  // namespace kcontract
