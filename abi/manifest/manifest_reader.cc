#include "abi/manifest/manifest_reader.h"

#include <algorithm>
#include <span>
#include <set>
#include <string>
#include <utility>

// toml++ is used header-only and without exceptions, in this file alone:
// parse errors come back as values, and the process links no extra library.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include "abi/manifest/toml_text.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"
#include "btfdiff/model/type_name.h"

namespace kcontract {
namespace {

// Real manifests are kilobytes; the largest generated one is ~100 KB.
constexpr uint64_t kMaxManifestSize = 16ull << 20;

constexpr std::string_view kRootKeys[] = {"format_version", "contract",
                                                              "interface"};
constexpr std::string_view kContractKeys[] = {"name", "owner", "notes",
                                                                  "links"};
constexpr std::string_view kInterfaceKeys[] = {
    "name", "kind",   "stability", "opt_in", "since",   "remove",
    "use",  "module", "notes",     "links",  "revision"};
constexpr std::string_view kRevisionKeys[] = {"name", "signature",
                                                                  "first_seen"};

bool IsIdentifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
  });
}

// Releases as people write them: "6.12", "7.1", "6.1.0-50", "6.13-rc1".
bool IsRelease(std::string_view text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '+' || c == '~' || c == '_';
  });
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
}

// Levenshtein distance, for "did you mean" on misspelt keys.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date";
    default: return "nothing";
  }
}

class ManifestParser {
 public:
  ManifestParser(const std::string& path, ContractOrigin origin)
      : path_(path), origin_(origin) {}

  ManifestReadResult Parse(std::string_view text) {
    toml::parse_result parsed = toml::parse(text, path_);
    if (!parsed) {
      const toml::parse_error& error = parsed.error();
      if (Contains(error.description(), "utf-8")) {
        // toml++ places a malformed UTF-8 sequence at the character before
        // it; the byte itself is where the mistake is.
        ReportInvalidUtf8(text);
      } else {
        Error(error.source(), std::string(error.description()));
      }
      return Finish(std::nullopt);
    }
    Contract contract;
    contract.path = path_;
    contract.origin = origin_;
    ParseRoot(parsed.table(), contract);
    return Finish(std::move(contract));
  }

 private:
  SourceLocation Location(const toml::source_region& region) const {
    return SourceLocation{path_, static_cast<int>(region.begin.line),
                          static_cast<int>(region.begin.column)};
  }

  void ReportInvalidUtf8(std::string_view text) {
    size_t offset = FirstInvalidUtf8(text);
    if (offset == std::string_view::npos) offset = text.size();
    std::string_view before = text.substr(0, offset);
    size_t line_start = before.rfind('\n');
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    // Columns count characters, as toml++'s do: the line so far is valid
    // UTF-8, so its characters are its bytes that do not continue one.
    int column = 1;
    for (char c : before.substr(line_start)) column += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    diagnostics_.push_back(LocatedDiagnostic(
        SourceLocation{path_, line, column}, Severity::kError,
        absl::StrFormat("not UTF-8 text: byte 0x%02X cannot start or continue a character",
                        offset < text.size() ? static_cast<uint8_t>(text[offset]) : 0)));
  }

  void Error(const toml::source_region& region, std::string message) {
    diagnostics_.push_back(LocatedDiagnostic(Location(region), Severity::kError, std::move(message)));
  }
  void Warning(const toml::source_region& region, std::string message) {
    diagnostics_.push_back(
        LocatedDiagnostic(Location(region), Severity::kWarning, std::move(message)));
  }

  ManifestReadResult Finish(std::optional<Contract> contract) {
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::make_pair(a.location.line, a.location.column) <
                              std::make_pair(b.location.line, b.location.column);
                     });
    bool has_error = std::any_of(diagnostics_.begin(), diagnostics_.end(),
                                 [](const Diagnostic& d) { return d.severity == Severity::kError; });
    ManifestReadResult result;
    if (!has_error) result.contract = std::move(contract);
    result.diagnostics = std::move(diagnostics_);
    return result;
  }

  // Unknown keys are errors: a misspelt "stabilty" must not silently leave
  // an interface without its level.
  void CheckKeys(const toml::table& table, std::span<const std::string_view> allowed,
                 std::string_view where) {
    for (auto&& [key, node] : table) {
      std::string_view name = key.str();
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      std::string message = absl::StrFormat("unknown key '%s' in %s", name, where);
      // The closest allowed key within two edits: "note" is 'notes', not
      // 'name' (both are within two).
      std::string_view closest;
      size_t best = 3;
      for (std::string_view candidate : allowed) {
        size_t distance = EditDistance(name, candidate);
        if (distance < best) {
          best = distance;
          closest = candidate;
        }
      }
      if (!closest.empty()) message += absl::StrFormat(" (did you mean '%s'?)", closest);
      Error(key.source(), message);
    }
  }

  // A string value; nullopt (with an error) when present with another type,
  // or absent and `required`.
  std::optional<std::string> GetString(const toml::table& table, std::string_view key,
                                       std::string_view where, bool required,
                                       std::string_view hint = {}) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) Error(table.source(), absl::StrFormat("%s has no '%s'", where, key));
      return std::nullopt;
    }
    if (const auto* value = node->as_string()) return value->get();
    std::string message =
        absl::StrFormat("'%s' must be a string, not %s", key, TomlTypeName(*node));
    if (!hint.empty()) message += absl::StrFormat(" (%s)", hint);
    Error(node->source(), message);
    return std::nullopt;
  }

  std::vector<std::string> GetStringArray(const toml::table& table, std::string_view key,
                                          bool* present = nullptr) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (present != nullptr) *present = node != nullptr;
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      Error(node->source(), absl::StrFormat("'%s' must be an array of strings, not %s", key,
                                            TomlTypeName(*node)));
      return out;
    }
    for (const toml::node& element : *array) {
      if (const auto* value = element.as_string()) {
        out.push_back(value->get());
      } else {
        Error(element.source(), absl::StrFormat("'%s' must hold strings only, not %s", key,
                                                TomlTypeName(element)));
      }
    }
    return out;
  }

  const toml::node& NodeOr(const toml::table& table, std::string_view key) {
    const toml::node* node = table.get(key);
    return node != nullptr ? *node : table;
  }

  void ParseRoot(const toml::table& root, Contract& contract) {
    CheckKeys(root, kRootKeys, "the manifest");
    ParseFormatVersion(root);
    const toml::node* header = root.get("contract");
    if (header == nullptr || !header->is_table()) {
      Error(header != nullptr ? header->source() : root.source(),
            "the manifest needs a [contract] table with its name");
    } else {
      ParseContract(*header->as_table(), contract);
    }
    const toml::node* interfaces = root.get("interface");
    if (interfaces == nullptr) {
      Warning(root.source(), "the manifest declares no [[interface]]");
      return;
    }
    const toml::array* array = interfaces->as_array();
    if (array == nullptr) {
      Error(interfaces->source(), "'interface' must be an array of tables: write [[interface]]");
      return;
    }
    for (const toml::node& element : *array) {
      if (const toml::table* table = element.as_table()) {
        ParseInterface(*table, contract);
      } else {
        Error(element.source(), "each 'interface' must be a table: write [[interface]]");
      }
    }
  }

  void ParseFormatVersion(const toml::table& root) {
    const toml::node* node = root.get("format_version");
    if (node == nullptr) {
      Error(root.source(),
            absl::StrFormat("the manifest has no 'format_version' (this kcontract reads %d)",
                            kManifestFormatVersion));
      return;
    }
    const auto* value = node->as_integer();
    if (value == nullptr || value->get() != kManifestFormatVersion) {
      Error(node->source(),
            absl::StrFormat("unsupported format_version (this kcontract reads %d)",
                            kManifestFormatVersion));
    }
  }

  void ParseContract(const toml::table& table, Contract& contract) {
    CheckKeys(table, kContractKeys, "[contract]");
    if (auto name = GetString(table, "name", "[contract]", true)) {
      if (!IsToken(*name)) {
        Error(NodeOr(table, "name").source(),
              "the contract's name may hold letters, digits, '_', '-' and '.' only");
      }
      contract.name = *name;
    }
    contract.owner = GetString(table, "owner", "[contract]", false).value_or("");
    contract.notes = GetString(table, "notes", "[contract]", false).value_or("");
    contract.links = GetStringArray(table, "links");
    CheckLinks(table, contract.links);
  }

  void CheckLinks(const toml::table& table, const std::vector<std::string>& links) {
    for (const std::string& link : links) {
      if (link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0) {
        Warning(NodeOr(table, "links").source(),
                absl::StrFormat("link '%s' is not an http(s) URL", link));
      }
    }
  }

  void ParseInterface(const toml::table& table, Contract& contract) {
    CheckKeys(table, kInterfaceKeys, "[[interface]]");
    Interface interface;
    interface.location = Location(table.source());
    interface.contract = contract.name;
    std::optional<std::string> name = GetString(table, "name", "[[interface]]", true);
    std::optional<std::string> kind_text = GetString(
        table, "kind", "[[interface]]", true,
        "one of kfunc, struct_ops, struct_ops_member, kernel_type");
    if (!name || !kind_text) return;
    interface.name = *name;
    std::optional<InterfaceKind> kind = ParseInterfaceKind(*kind_text);
    if (!kind) {
      Error(NodeOr(table, "kind").source(),
            absl::StrFormat("unknown kind '%s' (one of kfunc, struct_ops, struct_ops_member, "
                            "kernel_type)",
                            *kind_text));
      return;
    }
    interface.kind = *kind;
    CheckInterfaceName(table, interface);
    ParseLevel(table, interface);
    ParseRevisions(table, interface);
    CheckDuplicate(table, interface);
    contract.interfaces.push_back(std::move(interface));
  }

  void CheckInterfaceName(const toml::table& table, const Interface& interface) {
    const toml::source_region& where = NodeOr(table, "name").source();
    if (interface.kind == InterfaceKind::kStructOpsMember) {
      size_t dot = interface.name.find('.');
      if (dot == std::string::npos ||
          !IsIdentifier(std::string_view(interface.name).substr(0, dot)) ||
          !IsIdentifier(std::string_view(interface.name).substr(dot + 1))) {
        Error(where, absl::StrFormat("a struct_ops_member is named 'table.member', not '%s'",
                                     interface.name));
      }
      return;
    }
    if (interface.kind == InterfaceKind::kKernelType) {
      // Named as in C, as kernel BTF tags name them: "struct task_struct",
      // "enum tva_type", or a typedef's bare name.
      if (!IsIdentifier(SplitKindKeyword(interface.name).name)) {
        Error(where, absl::StrFormat("a kernel_type is named as in C ('struct task_struct', or a "
                                     "typedef's name), not '%s'",
                                     interface.name));
      }
      return;
    }
    if (!IsIdentifier(interface.name)) {
      Error(where, absl::StrFormat("'%s' is not a C identifier", interface.name));
    }
  }

  std::string GetRelease(const toml::table& table, std::string_view key) {
    std::optional<std::string> value = GetString(table, key, "[[interface]]", false,
                                                 "write releases as strings: \"6.12\"");
    if (!value) return "";
    if (!IsRelease(*value)) {
      Error(NodeOr(table, key).source(),
            absl::StrFormat("'%s' is not a kernel release such as \"6.12\" or \"7.1\"", *value));
    }
    return *value;
  }

  void ParseLevel(const toml::table& table, Interface& interface) {
    if (auto text = GetString(table, "stability", "[[interface]]", false)) {
      interface.stability = ParseStability(*text);
      if (!interface.stability) {
        Error(NodeOr(table, "stability").source(),
              absl::StrFormat("unknown stability '%s' (one of stable, experimental, deprecated, "
                              "withdrawn)",
                              *text));
      }
    }
    interface.opt_in = GetString(table, "opt_in", "[[interface]]", false).value_or("");
    interface.since = GetRelease(table, "since");
    interface.remove = GetRelease(table, "remove");
    interface.replacement = GetString(table, "use", "[[interface]]", false).value_or("");
    interface.module = GetString(table, "module", "[[interface]]", false).value_or("");
    interface.notes = GetString(table, "notes", "[[interface]]", false).value_or("");
    interface.links = GetStringArray(table, "links");
    CheckLinks(table, interface.links);
    CheckLevelFields(table, interface);
  }

  // What each level owes its users (STABILITY.md), checked field by field.
  void CheckLevelFields(const toml::table& table, const Interface& interface) {
    const toml::source_region& at = NodeOr(table, "stability").source();
    Stability level = interface.stability.value_or(Stability::kStable);
    if (!interface.opt_in.empty()) {
      if (!IsToken(interface.opt_in)) {
        Error(NodeOr(table, "opt_in").source(),
              "an opt_in token may hold letters, digits, '_', '-' and '.' only");
      }
      if (level != Stability::kExperimental) {
        Warning(NodeOr(table, "opt_in").source(),
                "'opt_in' only matters for an experimental interface");
      }
    }
    if (!interface.stability) return;
    switch (level) {
      case Stability::kStable:
        if (!interface.remove.empty()) {
          Error(NodeOr(table, "remove").source(),
                "a stable interface has no removal release: make it deprecated first");
        }
        break;
      case Stability::kDeprecated:
        if (interface.remove.empty()) {
          Error(at, "a deprecated interface must name the release it goes away in: 'remove'");
        }
        if (interface.replacement.empty()) {
          Warning(at, "a deprecated interface should name its replacement: 'use'");
        }
        break;
      case Stability::kWithdrawn:
        // 'remove' names the release it went in when it was ever in one;
        // hooks NACKed before merging (mthp_ext) were in none, so its
        // absence is no mistake.
        break;
      case Stability::kExperimental:
        break;
    }
  }

  void ParseRevisions(const toml::table& table, Interface& interface) {
    const toml::node* node = table.get("revision");
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      Error(node->source(), "'revision' must be an array of tables: write [[interface.revision]]");
      return;
    }
    for (const toml::node& element : *array) {
      const toml::table* revision_table = element.as_table();
      if (revision_table == nullptr) {
        Error(element.source(), "each 'revision' must be a table: write [[interface.revision]]");
        continue;
      }
      ParseRevision(*revision_table, interface);
    }
  }

  void ParseRevision(const toml::table& table, Interface& interface) {
    CheckKeys(table, kRevisionKeys, "[[interface.revision]]");
    Revision revision;
    revision.location = Location(table.source());
    std::optional<std::string> name = GetString(table, "name", "[[interface.revision]]", true);
    bool has_signature = false;
    revision.signature = GetStringArray(table, "signature", &has_signature);
    revision.first_seen =
        GetString(table, "first_seen", "[[interface.revision]]", false).value_or("");
    if (!has_signature) {
      Error(table.source(), "[[interface.revision]] has no 'signature'");
    } else if (revision.signature.empty() ||
               std::any_of(revision.signature.begin(), revision.signature.end(),
                           [](const std::string& line) { return line.empty(); })) {
      Error(NodeOr(table, "signature").source(),
            "a signature lists one non-empty declaration per line");
    }
    if (!name) return;
    revision.name = *name;
    for (const Revision& earlier : interface.revisions) {
      if (earlier.name == revision.name) {
        Error(NodeOr(table, "name").source(),
              absl::StrFormat("revision '%s' of %s is already declared at line %d",
                              revision.name, interface.name, earlier.location.line));
      } else if (!revision.signature.empty() && earlier.signature == revision.signature) {
        Error(NodeOr(table, "signature").source(),
              absl::StrFormat("revision '%s' has the same signature as revision '%s' (line %d)",
                              revision.name, earlier.name, earlier.location.line));
      }
    }
    interface.revisions.push_back(std::move(revision));
  }

  void CheckDuplicate(const toml::table& table, const Interface& interface) {
    auto [it, inserted] =
        seen_.try_emplace(std::make_pair(interface.kind, interface.name), interface.location.line);
    if (!inserted) {
      Error(NodeOr(table, "name").source(),
            absl::StrFormat("%s %s is already declared at line %d",
                            InterfaceKindName(interface.kind), interface.name, it->second));
    }
  }

  std::string path_;
  ContractOrigin origin_;
  std::vector<Diagnostic> diagnostics_;
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, int> seen_;
};

}  // namespace

ManifestReadResult ParseManifest(std::string_view text, const std::string& path,
                                 ContractOrigin origin) {
  return ManifestParser(path, origin).Parse(text);
}

ManifestReadResult ReadManifest(const std::string& path, ContractOrigin origin) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path, kMaxManifestSize);
  if (!file.ok()) {
    ManifestReadResult result;
    result.diagnostics.push_back(LocatedDiagnostic(SourceLocation{path, 0, 0}, Severity::kError,
                                                   std::string(file.status().message())));
    return result;
  }
  ByteView bytes = file->bytes();
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return ParseManifest(text, path, origin);
}

}  // namespace kcontract
