// The gate's result for CI systems: JUnit XML and SARIF 2.1.0.
#include <map>
#include <nlohmann/json.hpp>

#include "abi/report/gate_report.h"
#include "abi/report/json_envelope.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kcontract {
namespace {

using nlohmann::ordered_json;

// Text for an XML attribute or element: the five entities escaped, and the
// control characters XML 1.0 forbids replaced.
std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string FindingLines(const GateCell& cell, Severity at_least) {
  std::string out;
  for (const Finding& f : cell.findings) {
    if (f.severity < at_least) continue;
    absl::StrAppendFormat(&out, "%s: [%s] %s: %s\n", SeverityName(f.severity), f.code, f.subject,
                          f.message);
  }
  return out;
}

const Waiver* FindWaiver(const GateResult& result, const std::string& label) {
  for (const Waiver& w : result.waivers) {
    if (WaiverLabel(w) == label) return &w;
  }
  return nullptr;
}

std::string WaivedMessage(const GateResult& result, const GateCell& cell) {
  std::vector<std::string> reasons;
  for (const std::string& label : cell.waived_by) {
    const Waiver* w = FindWaiver(result, label);
    reasons.push_back(w != nullptr
                          ? absl::StrFormat("%s (%s, until %s)", w->reason, label, w->expires)
                          : label);
  }
  return absl::StrJoin(reasons, "; ");
}

// The file part of an object's name: "pkg.deb:usr/lib/a.o@0x40" -> the
// package, "dir/a.o@0x40" -> "dir/a.o".
std::string ObjectFile(const std::string& name) {
  std::string file = name.substr(0, name.rfind('@'));
  if (size_t deb = file.find(".deb:"); deb != std::string::npos) file.resize(deb + 4);
  return file;
}

// A relative path or file URI reference as SARIF wants: characters outside
// the unreserved set and '/' percent-encoded.
std::string UriReference(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

// "kernel 6.1.0: cannot be read: no such file or directory".
std::string KernelUnreadableMessage(std::string_view what, std::string_view label,
                                    std::string_view error) {
  return absl::StrFormat("%s %s cannot be read: %s", what, label, error);
}

std::string SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "note";
}

// Where a finding points: its own location, else the first evidence with
// a C source line.
SourceLocation SourceOf(const Finding& f) {
  if (!f.location.file.empty()) return f.location;
  for (const ReachEvidence& e : f.evidence) {
    if (!e.location.file.empty()) return e.location;
  }
  return {};
}

}  // namespace

std::string RenderGateJunit(const GateResult& result) {
  struct Suite {
    std::string name;
    std::string kernel_error;  // the kernel could not be read: every testcase is an error
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    std::string body;
  };
  // A testsuite per kernel; the baseline only when it could not be read
  // (then its testcases say so).
  std::vector<Suite> suites;
  if (!result.baseline_error.empty()) {
    suites.push_back({"baseline " + result.baseline_kernel,
                      KernelUnreadableMessage("baseline kernel", result.baseline_kernel,
                                              result.baseline_error)});
  }
  const size_t first_kernel = suites.size();
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    std::string_view error = KernelError(result, k);
    suites.push_back({result.kernels[k],
                      error.empty() ? std::string()
                                    : KernelUnreadableMessage("kernel", result.kernels[k],
                                                              error)});
  }
  for (const GateRow& row : result.rows) {
    for (size_t s = 0; s < suites.size(); ++s) {
      Suite& suite = suites[s];
      ++suite.tests;
      absl::StrAppendFormat(&suite.body, "    <testcase classname=\"%s\" name=\"%s\">",
                            XmlEscape(suite.name), XmlEscape(row.name));
      const size_t k = s - first_kernel;
      if (!row.error.empty()) {
        ++suite.errors;
        absl::StrAppendFormat(&suite.body,
                              "\n      <error type=\"unreadable\" message=\"%s\"/>\n    ",
                              XmlEscape(row.error));
      } else if (!suite.kernel_error.empty()) {
        ++suite.errors;
        absl::StrAppendFormat(&suite.body,
                              "\n      <error type=\"unreadable-kernel\" message=\"%s\"/>\n    ",
                              XmlEscape(suite.kernel_error));
      } else if (s >= first_kernel && k < row.cells.size()) {
        const GateCell& cell = row.cells[k];
        std::string message = absl::StrFormat("fails at %s", LoadStageName(cell.verdict));
        switch (StateOf(row, cell)) {
          case CellState::kLoads:
          case CellState::kFixed:
          case CellState::kUnreadable:  // the suite's kernel_error said so
            break;
          case CellState::kFails:
            ++suite.failures;
            absl::StrAppendFormat(
                &suite.body, "\n      <failure type=\"%s\" message=\"%s\">%s</failure>\n    ",
                LoadStageName(cell.verdict), XmlEscape(message),
                XmlEscape(FindingLines(cell, Severity::kWarning)));
            break;
          case CellState::kWaived:
            ++suite.skipped;
            absl::StrAppendFormat(&suite.body, "\n      <skipped message=\"%s\"/>\n    ",
                                  XmlEscape(message + ", waived: " + WaivedMessage(result, cell)));
            break;
          case CellState::kKnown:
            ++suite.skipped;
            absl::StrAppendFormat(&suite.body, "\n      <skipped message=\"%s\"/>\n    ",
                                  XmlEscape(message + ", as on the baseline kernel " +
                                            result.baseline_kernel));
            break;
        }
      }
      suite.body += "</testcase>\n";
    }
  }
  Suite all;
  std::string body;
  for (size_t k = 0; k < suites.size(); ++k) {
    const Suite& s = suites[k];
    all.tests += s.tests;
    all.failures += s.failures;
    all.errors += s.errors;
    all.skipped += s.skipped;
    absl::StrAppendFormat(&body,
                          "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                          "skipped=\"%d\">\n%s  </testsuite>\n",
                          XmlEscape(s.name), s.tests, s.failures, s.errors, s.skipped,
                          s.body);
  }
  return absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"kcontract gate\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
      "skipped=\"%d\">\n%s</testsuites>\n",
      all.tests, all.failures, all.errors, all.skipped, body);
}

std::string RenderGateSarif(const GateResult& result) {
  ordered_json rules = ordered_json::array();
  std::map<std::string, size_t> rule_index;
  ordered_json results = ordered_json::array();
  auto rule_for = [&](const std::string& code) {
    auto [it, inserted] = rule_index.try_emplace(code, rule_index.size());
    if (inserted) {
      ordered_json rule;
      rule["id"] = code;
      rule["name"] = code;
      rule["shortDescription"] = {{"text", code}};
      rules.push_back(std::move(rule));
    }
    return it->second;
  };
  auto unreadable_kernel = [&](std::string_view what, const std::string& label,
                                std::string_view error) {
    ordered_json r;
    r["ruleId"] = "unreadable-kernel";
    r["ruleIndex"] = rule_for("unreadable-kernel");
    r["level"] = "error";
    r["message"] = {{"text", KernelUnreadableMessage(what, label, error)}};
    ordered_json artifact = {{"uri", UriReference(label)}};
    r["locations"] =
        ordered_json::array({{{"physicalLocation", {{"artifactLocation", artifact}}}}});
    results.push_back(std::move(r));
  };
  if (!result.baseline_error.empty()) {
    unreadable_kernel("baseline kernel", result.baseline_kernel, result.baseline_error);
  }
  for (size_t k = 0; k < result.kernels.size(); ++k) {
    std::string_view error = KernelError(result, k);
    if (!error.empty()) unreadable_kernel("kernel", result.kernels[k], error);
  }
  for (const GateRow& row : result.rows) {
    if (!row.error.empty()) {
      ordered_json r;
      r["ruleId"] = "unreadable-input";
      r["ruleIndex"] = rule_for("unreadable-input");
      r["level"] = "error";
      r["message"] = {{"text", absl::StrFormat("%s cannot be read: %s", row.name, row.error)}};
      ordered_json artifact = {{"uri", UriReference(ObjectFile(row.name))}};
      r["locations"] =
          ordered_json::array({{{"physicalLocation", {{"artifactLocation", artifact}}}}});
      results.push_back(std::move(r));
      continue;
    }
    for (size_t k = 0; k < row.cells.size() && k < result.kernels.size(); ++k) {
      const GateCell& cell = row.cells[k];
      const CellState state = StateOf(row, cell);
      for (const Finding& f : cell.findings) {
        std::string code = f.code.empty() ? "finding" : f.code;
        ordered_json r;
        r["ruleId"] = code;
        r["ruleIndex"] = rule_for(code);
        r["level"] = SarifLevel(f.severity);
        r["message"] = {{"text", absl::StrFormat("%s on %s: %s: %s", row.name, result.kernels[k],
                                                 f.subject, f.message)}};
        ordered_json physical;
        SourceLocation source = SourceOf(f);
        if (!source.file.empty()) {
          physical["artifactLocation"] = {{"uri", UriReference(source.file)}};
          if (source.line > 0) {
            ordered_json region = {{"startLine", source.line}};
            if (source.column > 0) region["startColumn"] = source.column;
            physical["region"] = std::move(region);
          }
        } else {
          physical["artifactLocation"] = {{"uri", UriReference(ObjectFile(row.name))}};
        }
        ordered_json location;
        location["physicalLocation"] = std::move(physical);
        location["logicalLocations"] = ordered_json::array(
            {{{"name", row.name}, {"kind", "module"}, {"fullyQualifiedName", row.name}}});
        r["locations"] = ordered_json::array({std::move(location)});
        if (state == CellState::kWaived && f.severity == Severity::kError) {
          r["suppressions"] = ordered_json::array(
              {{{"kind", "external"}, {"status", "accepted"},
                {"justification", WaivedMessage(result, cell)}}});
        }
        ordered_json properties;
        properties["kernel"] = result.kernels[k];
        properties["object"] = row.name;
        properties["stage"] = std::string(LoadStageName(f.stage));
        properties["cell"] = std::string(CellStateWord(state));
        if (!f.program.empty()) properties["program"] = f.program;
        r["properties"] = std::move(properties);
        results.push_back(std::move(r));
      }
    }
  }
  ordered_json driver;
  driver["name"] = "kcontract";
  driver["version"] = KCONTRACT_VERSION;
  driver["rules"] = std::move(rules);
  ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["results"] = std::move(results);
  ordered_json sarif;
  sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  sarif["version"] = "2.1.0";
  sarif["runs"] = ordered_json::array({std::move(run)});
  return DumpJson(sarif);
}

}  // namespace kcontract
