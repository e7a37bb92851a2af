#include "abi/profile/load_profile.h"

#include <fnmatch.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "abi/toml/toml_document.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

// Real profiles are a few hundred bytes per object.
constexpr uint64_t kMaxProfileSize = 4ull << 20;

constexpr std::string_view kRootKeys[] = {"format_version", "object"};
constexpr std::string_view kObjectKeys[] = {"name",   "sha256", "autoload_off",   "attach",
                                            "rodata", "map_max_entries", "libbpf"};
constexpr std::string_view kUnknown = "unknown";

bool IsIdentifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
  });
}

bool IsSha256(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

class ProfileParser : TomlDocument {
 public:
  explicit ProfileParser(const std::string& path) : TomlDocument(path) {}

  LoadProfileReadResult Parse(std::string_view text) {
    LoadProfileReadResult result;
    const toml::table* root = TomlDocument::Parse(text);
    LoadProfile profile;
    profile.path = path();
    if (root != nullptr) ParseRoot(*root, profile);
    if (!has_errors()) result.profile = std::move(profile);
    result.diagnostics = TakeDiagnostics();
    return result;
  }

 private:
  void ParseRoot(const toml::table& root, LoadProfile& profile) {
    CheckKeys(root, kRootKeys, "the load profile");
    CheckFormatVersion(root, kLoadProfileFormatVersion, "load profile");
    const toml::node* objects = root.get("object");
    if (objects == nullptr) {
      Warning(root.source(), "the load profile describes no [[object]]");
      return;
    }
    const toml::array* array = objects->as_array();
    if (array == nullptr) {
      Error(objects->source(), "'object' must be an array of tables: write [[object]]");
      return;
    }
    for (const toml::node& element : *array) {
      if (const toml::table* table = element.as_table()) {
        ParseObject(*table, profile);
      } else {
        Error(element.source(), "each 'object' must be a table: write [[object]]");
      }
    }
  }

  void ParseObject(const toml::table& table, LoadProfile& profile) {
    CheckKeys(table, kObjectKeys, "[[object]]");
    ObjectProfile object;
    object.location = Location(table.source());
    object.name = GetString(table, "name", "[[object]]", false).value_or("");
    object.sha256 = GetString(table, "sha256", "[[object]]", false).value_or("");
    if (object.name.empty() == object.sha256.empty()) {
      Error(table.source(),
            "each [[object]] names its object by 'name' (a glob over the file name) or by "
            "'sha256', one of the two");
    }
    if (!object.sha256.empty() && !IsSha256(object.sha256)) {
      Error(NodeOr(table, "sha256").source(),
            "'sha256' is 64 lowercase hexadecimal digits (sha256sum's output)");
    }
    for (const ObjectProfile& earlier : profile.objects) {
      if (earlier.name == object.name && earlier.sha256 == object.sha256) {
        Warning(table.source(), absl::StrFormat("this object is already described at line %d; "
                                                "only the first description applies",
                                                earlier.location.line));
      }
    }
    object.autoload_off = GetStringArray(table, "autoload_off");
    object.autoload_off_location = Location(NodeOr(table, "autoload_off").source());
    for (const std::string& program : object.autoload_off) {
      if (!IsIdentifier(program)) {
        Error(NodeOr(table, "autoload_off").source(),
              absl::StrFormat("'%s' is not a program name", PrintableName(program)));
      }
    }
    ParseAttach(table, object);
    ParseRodata(table, object);
    ParseMapSizes(table, object);
    ParseLibbpf(table, object);
    profile.objects.push_back(std::move(object));
  }

  // The libbpf release the object's loader runs with: "1.5" or "1.5.0".
  void ParseLibbpf(const toml::table& table, ObjectProfile& object) {
    std::optional<std::string> text = GetString(table, "libbpf", "[[object]]", false);
    if (!text) return;
    object.libbpf_location = Location(NodeOr(table, "libbpf").source());
    absl::StatusOr<LibbpfVersion> version = ParseLibbpfVersion(*text);
    if (!version.ok()) {
      Error(NodeOr(table, "libbpf").source(), std::string(version.status().message()));
      return;
    }
    object.libbpf = *version;
  }

  const toml::table* SubTable(const toml::table& table, std::string_view key,
                              std::string_view what) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return nullptr;
    const toml::table* sub = node->as_table();
    if (sub == nullptr) {
      Error(node->source(), absl::StrFormat("'%s' must be a table of %s, not %s", key, what,
                                            TomlTypeName(*node)));
    }
    return sub;
  }

  void ParseAttach(const toml::table& table, ObjectProfile& object) {
    const toml::table* attach = SubTable(table, "attach", "program = \"target\"");
    if (attach == nullptr) return;
    for (auto&& [key, node] : *attach) {
      AttachSetting setting;
      setting.program = std::string(key.str());
      setting.location = Location(key.source());
      const auto* value = node.as_string();
      if (value == nullptr || value->get().empty()) {
        Error(node.source(), absl::StrFormat("the attach target of %s must be a function or "
                                             "tracepoint name, or \"unknown\"",
                                             PrintableName(setting.program)));
        continue;
      }
      if (value->get() != kUnknown) setting.target = value->get();
      object.attach.push_back(std::move(setting));
    }
  }

  void ParseRodata(const toml::table& table, ObjectProfile& object) {
    const toml::table* rodata = SubTable(table, "rodata", "variable = value");
    if (rodata == nullptr) return;
    for (auto&& [key, node] : *rodata) {
      RodataSetting setting;
      setting.variable = std::string(key.str());
      setting.location = Location(key.source());
      if (const auto* integer = node.as_integer()) {
        setting.value = static_cast<uint64_t>(integer->get());
      } else if (const auto* boolean = node.as_boolean()) {
        setting.value = boolean->get() ? 1 : 0;
      } else if (const auto* text = node.as_string(); text != nullptr && text->get() == kUnknown) {
        setting.value = std::nullopt;
      } else {
        Error(node.source(),
              absl::StrFormat("the value of %s must be an integer, a boolean or \"unknown\" (set "
                              "by user space at run time), not %s",
                              PrintableName(setting.variable), TomlTypeName(node)));
        continue;
      }
      object.rodata.push_back(std::move(setting));
    }
  }

  void ParseMapSizes(const toml::table& table, ObjectProfile& object) {
    const toml::table* maps = SubTable(table, "map_max_entries", "map = entries");
    if (maps == nullptr) return;
    for (auto&& [key, node] : *maps) {
      const auto* integer = node.as_integer();
      if (integer == nullptr || integer->get() <= 0 ||
          integer->get() > std::numeric_limits<uint32_t>::max()) {
        Error(node.source(), absl::StrFormat("max_entries of map %s must be an integer from 1 "
                                             "to 4294967295",
                                             PrintableName(key.str())));
        continue;
      }
      object.map_max_entries.push_back(MapSizeSetting{std::string(key.str()),
                                                      static_cast<uint32_t>(integer->get()),
                                                      Location(key.source())});
    }
  }
};

// The file name an object path names: "dir/a.bpf.o" and "dir/tool@0x1000"
// give "a.bpf.o" and "tool".
std::string_view FileNameOf(std::string_view object_path) {
  size_t at = object_path.rfind('@');
  size_t slash = object_path.rfind('/');
  if (at != std::string_view::npos && (slash == std::string_view::npos || at > slash)) {
    object_path = object_path.substr(0, at);
  }
  slash = object_path.rfind('/');
  return slash == std::string_view::npos ? object_path : object_path.substr(slash + 1);
}

}  // namespace

const RodataSetting* ObjectProfile::FindRodata(std::string_view variable) const {
  for (const RodataSetting& s : rodata) {
    if (s.variable == variable) return &s;
  }
  return nullptr;
}

const AttachSetting* ObjectProfile::FindAttach(std::string_view program) const {
  for (const AttachSetting& s : attach) {
    if (s.program == program) return &s;
  }
  return nullptr;
}

bool ObjectProfile::AutoloadOff(std::string_view program) const {
  return std::find(autoload_off.begin(), autoload_off.end(), program) != autoload_off.end();
}

LoadProfileReadResult ParseLoadProfile(std::string_view text, const std::string& path) {
  return ProfileParser(path).Parse(text);
}

LoadProfileReadResult ReadLoadProfile(const std::string& path) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path, kMaxProfileSize);
  if (!file.ok()) {
    LoadProfileReadResult result;
    // "PATH: cannot open: ...": the location already names the file.
    std::string_view reason(file.status().message().data(), file.status().message().size());
    if (reason.starts_with(path + ": ")) reason.remove_prefix(path.size() + 2);
    result.diagnostics.push_back(
        LocatedDiagnostic(SourceLocation{path, 0, 0}, Severity::kError, std::string(reason)));
    return result;
  }
  ByteView bytes = file->bytes();
  return ParseLoadProfile(
      AsText(bytes), path);
}

bool LoadProfileSet::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

LoadProfileSet ReadLoadProfiles(const std::vector<std::string>& paths) {
  LoadProfileSet set;
  for (const std::string& path : paths) {
    LoadProfileReadResult result = ReadLoadProfile(path);
    if (result.profile) set.profiles.push_back(std::move(*result.profile));
    set.diagnostics.insert(set.diagnostics.end(), std::make_move_iterator(result.diagnostics.begin()),
                           std::make_move_iterator(result.diagnostics.end()));
  }
  return set;
}

const ObjectProfile* FindObjectProfile(const std::vector<LoadProfile>& profiles,
                                       std::string_view object_path, std::string_view sha256) {
  for (const LoadProfile& profile : profiles) {
    for (const ObjectProfile& object : profile.objects) {
      if (!object.sha256.empty() && object.sha256 == sha256) return &object;
    }
  }
  std::string name(FileNameOf(object_path));
  for (const LoadProfile& profile : profiles) {
    for (const ObjectProfile& object : profile.objects) {
      if (!object.name.empty() && fnmatch(object.name.c_str(), name.c_str(), 0) == 0) {
        return &object;
      }
    }
  }
  return nullptr;
}

}  // namespace kcontract
