#include "abi/gate/gate_waivers.h"

#include <fnmatch.h>

#include <algorithm>
#include <ctime>

#include "abi/toml/toml_document.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"

namespace kcontract {
namespace {

// A waiver file is a list of a few hundred entries at most.
constexpr uint64_t kMaxWaiverFileSize = 4ull << 20;

constexpr std::string_view kRootKeys[] = {"format_version", "waiver"};
constexpr std::string_view kWaiverKeys[] = {"object", "program", "code",   "subject",
                                            "kernel", "reason",  "expires"};

bool IsIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  int month = (text[5] - '0') * 10 + (text[6] - '0');
  int day = (text[8] - '0') * 10 + (text[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool GlobMatches(const std::string& glob, const std::string& text) {
  return fnmatch(glob.c_str(), text.c_str(), 0) == 0;
}

class WaiverParser : TomlDocument {
 public:
  explicit WaiverParser(const std::string& path) : TomlDocument(path) {}

  WaiverReadResult Parse(std::string_view text) {
    WaiverReadResult result;
    if (const toml::table* root = TomlDocument::Parse(text)) ParseRoot(*root, &result.waivers);
    result.diagnostics = TakeDiagnostics();
    if (has_errors()) result.waivers.clear();
    return result;
  }

 private:
  void ParseRoot(const toml::table& root, std::vector<Waiver>* waivers) {
    CheckKeys(root, kRootKeys, "the waiver file");
    CheckFormatVersion(root, kWaiverFormatVersion, "waiver file");
    const toml::node* entries = root.get("waiver");
    if (entries == nullptr) {
      Warning(root.source(), "the waiver file holds no [[waiver]]");
      return;
    }
    const toml::array* array = entries->as_array();
    if (array == nullptr) {
      Error(entries->source(), "'waiver' must be an array of tables: write [[waiver]]");
      return;
    }
    for (const toml::node& element : *array) {
      if (const toml::table* table = element.as_table()) {
        ParseWaiver(*table, waivers);
      } else {
        Error(element.source(), "each 'waiver' must be a table: write [[waiver]]");
      }
    }
  }

  void ParseWaiver(const toml::table& table, std::vector<Waiver>* waivers) {
    CheckKeys(table, kWaiverKeys, "[[waiver]]");
    Waiver waiver;
    waiver.location = Location(table.source());
    const char* where = "[[waiver]]";
    waiver.object = GetString(table, "object", where, /*required=*/true,
                              "a glob over the object's name").value_or("");
    waiver.program = GetString(table, "program", where, false).value_or("");
    waiver.code = GetString(table, "code", where, false).value_or("");
    waiver.subject = GetString(table, "subject", where, false).value_or("");
    waiver.kernel = GetString(table, "kernel", where, false).value_or("");
    std::optional<std::string> reason = GetString(table, "reason", where, /*required=*/true,
                                                  "why the failure is accepted");
    if (reason && reason->empty()) {
      Error(NodeOr(table, "reason").source(), "'reason' must say why the failure is accepted");
    }
    waiver.reason = reason.value_or("");
    waiver.expires = ReadExpiry(table);
    waivers->push_back(std::move(waiver));
  }

  // A TOML local date (2026-12-31) or the same as a string.
  std::string ReadExpiry(const toml::table& table) {
    const toml::node* node = table.get("expires");
    if (node == nullptr) {
      Error(table.source(),
            "[[waiver]] has no 'expires': every waiver ends (expires = 2026-12-31)");
      return "";
    }
    if (const auto* date = node->as_date()) {
      const toml::date& d = date->get();
      return absl::StrFormat("%04d-%02d-%02d", d.year, d.month, d.day);
    }
    if (const auto* text = node->as_string(); text != nullptr && IsIsoDate(text->get())) {
      return text->get();
    }
    Error(node->source(), absl::StrFormat("'expires' must be a date, YYYY-MM-DD, not %s",
                                          node->is_string() ? "this string" : TomlTypeName(*node)));
    return "";
  }
};

}  // namespace

std::string WaiverLabel(const Waiver& waiver) { return FormatLocation(waiver.location); }

bool WaiverReadResult::ok() const { return CountDiagnostics(diagnostics).errors == 0; }

WaiverReadResult ParseWaivers(std::string_view text, const std::string& path) {
  return WaiverParser(path).Parse(text);
}

WaiverReadResult ReadWaivers(const std::string& path) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path, kMaxWaiverFileSize);
  if (!file.ok()) {
    WaiverReadResult result;
    result.diagnostics.push_back(LocatedDiagnostic(SourceLocation{path, 0, 0}, Severity::kError,
                                                   std::string(file.status().message())));
    return result;
  }
  ByteView bytes = file->bytes();
  return ParseWaivers(AsText(bytes),
                      path);
}

bool WaiverMatches(const Waiver& waiver, const std::vector<std::string>& names,
                   std::string_view kernel, const Finding& finding) {
  if (!waiver.kernel.empty() && !GlobMatches(waiver.kernel, std::string(kernel))) return false;
  if (!waiver.program.empty() && waiver.program != finding.program) return false;
  if (!waiver.code.empty() && waiver.code != finding.code) return false;
  if (!waiver.subject.empty() && waiver.subject != finding.subject) return false;
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& name) { return GlobMatches(waiver.object, name); });
}

std::string TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return absl::StrFormat("%04d-%02d-%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

std::vector<Diagnostic> WaiverDiagnostics(const std::vector<Waiver>& waivers) {
  std::vector<Diagnostic> out;
  for (const Waiver& waiver : waivers) {
    Diagnostic d;
    if (waiver.expired) {
      d = LocatedDiagnostic(waiver.location, Severity::kError,
                            absl::StrFormat("waiver for '%s' expired on %s and waives nothing "
                                            "(%s): renew it or fix the object",
                                            waiver.object, waiver.expires, waiver.reason));
      d.code = "waiver-expired";
    } else if (waiver.matched == 0) {
      d = LocatedDiagnostic(waiver.location, Severity::kWarning,
                            absl::StrFormat("waiver for '%s' waived no cell (no failing cell "
                                            "has only errors it matches): remove it",
                                            waiver.object));
      d.code = "waiver-unused";
    } else {
      continue;
    }
    d.subject = waiver.object;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace kcontract
