#include "abi/manifest/manifest_reader.h"

#include <algorithm>
#include <span>
#include <set>
#include <string>
#include <utility>

#include "abi/toml/toml_document.h"
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
    "use",  "module", "notes",     "links",  "revision", "internal"};
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

class ManifestParser : TomlDocument {
 public:
  ManifestParser(const std::string& path, ContractOrigin origin)
      : TomlDocument(path), origin_(origin) {}

  ManifestReadResult Parse(std::string_view text) {
    const toml::table* root = TomlDocument::Parse(text);
    if (root == nullptr) return Finish(std::nullopt);
    Contract contract;
    contract.path = path();
    contract.origin = origin_;
    ParseRoot(*root, contract);
    return Finish(std::move(contract));
  }

 private:
  ManifestReadResult Finish(std::optional<Contract> contract) {
    ManifestReadResult result;
    if (!has_errors()) result.contract = std::move(contract);
    result.diagnostics = TakeDiagnostics();
    return result;
  }

  void ParseRoot(const toml::table& root, Contract& contract) {
    CheckKeys(root, kRootKeys, "the manifest");
    CheckFormatVersion(root, kManifestFormatVersion, "manifest");
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
    std::string problem = InterfaceNameProblem(interface.kind, interface.name);
    if (!problem.empty()) Error(NodeOr(table, "name").source(), problem);
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
    if (const toml::node* internal = table.get("internal")) {
      if (const toml::value<bool>* flag = internal->as_boolean()) {
        interface.internal = flag->get();
      } else {
        Error(internal->source(), absl::StrFormat("'internal' is true or false, not %s",
                                                  TomlTypeName(*internal)));
      }
    }
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

  ContractOrigin origin_;
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, int> seen_;
};

}  // namespace

std::string InterfaceNameProblem(InterfaceKind kind, std::string_view name) {
  if (kind == InterfaceKind::kStructOpsMember) {
    size_t dot = name.find('.');
    if (dot == std::string_view::npos || !IsIdentifier(name.substr(0, dot)) ||
        !IsIdentifier(name.substr(dot + 1))) {
      return absl::StrFormat("a struct_ops_member is named 'table.member', not '%s'", name);
    }
    return "";
  }
  if (kind == InterfaceKind::kKernelType) {
    // Named as in C, as kernel BTF tags name them: "struct task_struct",
    // "enum tva_type", or a typedef's bare name.
    if (!IsIdentifier(SplitKindKeyword(name).name)) {
      return absl::StrFormat("a kernel_type is named as in C ('struct task_struct', or a "
                             "typedef's name), not '%s'",
                             name);
    }
    return "";
  }
  if (!IsIdentifier(name)) return absl::StrFormat("'%s' is not a C identifier", name);
  return "";
}

ManifestReadResult ParseManifest(std::string_view text, const std::string& path,
                                 ContractOrigin origin) {
  return ManifestParser(path, origin).Parse(text);
}

ManifestReadResult ReadManifest(const std::string& path, ContractOrigin origin) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path, kMaxManifestSize);
  if (!file.ok()) {
    ManifestReadResult result;
    // The location names the file: the message says only what is wrong.
    std::string_view message(file.status().message().data(), file.status().message().size());
    std::string prefix = path + ": ";
    if (message.substr(0, prefix.size()) == prefix) message.remove_prefix(prefix.size());
    result.diagnostics.push_back(LocatedDiagnostic(SourceLocation{path, 0, 0}, Severity::kError,
                                                   std::string(message)));
    return result;
  }
  ByteView bytes = file->bytes();
  std::string_view text = AsText(bytes);
  return ParseManifest(text, path, origin);
}

}  // namespace kcontract
