#include "btfdiff/diff/config_cause.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

// "n" when the config does not set it ("# CONFIG_FOO is not set").
std::string_view Value(const KernelConfig& config, const std::string& option) {
  auto it = config.find(option);
  return it == config.end() ? std::string_view("n") : std::string_view(it->second);
}

std::optional<uint64_t> Number(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// The size a change's text gives: "long unsigned int bits[128]" -> 128,
// "1024 bytes" -> 1024; nullopt for anything else (bitfield widths).
std::optional<uint64_t> SizeIn(std::string_view text) {
  if (text.ends_with(" bytes")) return Number(text.substr(0, text.size() - 6));
  if (text.ends_with("]")) {
    size_t open = text.rfind('[');
    if (open == std::string_view::npos) return std::nullopt;
    return Number(text.substr(open + 1, text.size() - open - 2));
  }
  return std::nullopt;
}

// The options whose values differ between two configs, sorted, with both
// values: found once per diff (a config has about 10k options, a diff
// hundreds of changes to explain).
struct ConfigDelta {
  struct Option {
    std::string name;
    std::string_view before, after;
  };
  std::vector<Option> changed;

  ConfigDelta(const KernelConfig& old_config, const KernelConfig& new_config) {
    auto consider = [&](const std::string& option) {
      std::string_view before = Value(old_config, option), after = Value(new_config, option);
      if (before != after) changed.push_back(Option{option, before, after});
    };
    for (const auto& [option, value] : old_config) consider(option);
    for (const auto& [option, value] : new_config) {
      if (!old_config.contains(option)) consider(option);
    }
    std::sort(changed.begin(), changed.end(),
              [](const Option& a, const Option& b) { return a.name < b.name; });
  }

  // The changed options whose values `pick` accepts, sorted.
  template <typename Pick>
  std::vector<std::string> Options(Pick pick) const {
    std::vector<std::string> options;
    for (const Option& option : changed) {
      if (pick(option.before, option.after)) options.push_back(option.name);
    }
    return options;
  }
};

std::string Describe(const std::string& option, const KernelConfig& old_config,
                     const KernelConfig& new_config) {
  return absl::StrFormat("%s %s -> %s", option, Value(old_config, option),
                         Value(new_config, option));
}

// A kfunc or struct_ops type in a module one kernel builds and the other
// does not, or builds in: the option of that module, among those that
// changed `before` -> `after` ("m" -> "y" for a module built in now).
std::string ModuleCause(std::string_view module, std::string_view before,
                        std::string_view after, const KernelConfig& old_config,
                        const KernelConfig& new_config, const ConfigDelta& delta) {
  std::vector<std::string> candidates =
      delta.Options([&](std::string_view old_value, std::string_view new_value) {
        return old_value == before && new_value == after;
      });
  std::string option = ModuleOption(module, candidates);
  return option.empty() ? std::string() : Describe(option, old_config, new_config);
}

// An array or a type sized by a numeric option: the sizes before and after
// are the option's values, or the bytes (/8) or longs (/64) of a bitmap of
// that many bits, in both kernels alike.
std::string SizeCause(const AbiChange& change, const KernelConfig& old_config,
                      const KernelConfig& new_config, const ConfigDelta& delta) {
  std::optional<uint64_t> before = SizeIn(change.old_text), after = SizeIn(change.new_text);
  if (!before || !after || *before == *after) return "";
  std::vector<std::string> numeric = delta.Options([](std::string_view a, std::string_view b) {
    return Number(a).has_value() && Number(b).has_value();
  });
  std::string best;
  for (const std::string& option : numeric) {
    uint64_t a = *Number(Value(old_config, option)), b = *Number(Value(new_config, option));
    if (a < 2 || b < 2) continue;
    for (uint64_t unit : {1, 8, 64}) {
      if (*before * unit != a || *after * unit != b) continue;
      // NR_CPUS over NR_CPUS_DEFAULT and its kin: the shortest name.
      if (best.empty() || option.size() < best.size()) best = option;
    }
  }
  return best.empty() ? std::string() : Describe(best, old_config, new_config);
}

}  // namespace

std::string ModuleOption(std::string_view module, const std::vector<std::string>& candidates) {
  std::string upper;
  for (char c : module) upper += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  std::string direct = "CONFIG_" + upper;
  if (std::find(candidates.begin(), candidates.end(), direct) != candidates.end()) return direct;
  std::string last = "_" + upper.substr(upper.rfind('_') == std::string::npos
                                            ? 0
                                            : upper.rfind('_') + 1);
  std::string found;
  for (const std::string& option : candidates) {
    if (!option.ends_with(last)) continue;
    if (!found.empty()) return "";  // several: the name does not tell
    found = option;
  }
  return found;
}

namespace {

std::string CauseOf(const AbiChange& change, const KernelConfig& old_config,
                    const KernelConfig& new_config, const ConfigDelta& delta) {
  switch (change.kind) {
    case ChangeKind::kKfuncModuleChanged:
      // "tcp_bbr -> vmlinux": a module built in now; "vmlinux -> tcp_bbr":
      // the other way.
      if (change.old_text == "vmlinux") {
        return ModuleCause(change.new_text, "y", "m", old_config, new_config, delta);
      }
      if (change.new_text == "vmlinux") {
        return ModuleCause(change.old_text, "m", "y", old_config, new_config, delta);
      }
      return "";
    case ChangeKind::kKfuncAdded:
    case ChangeKind::kStructOpsAdded:
      return change.module ? ModuleCause(*change.module, "n", "m", old_config, new_config, delta) : "";
    case ChangeKind::kKfuncRemoved:
    case ChangeKind::kStructOpsRemoved:
      return change.module ? ModuleCause(*change.module, "m", "n", old_config, new_config, delta) : "";
    case ChangeKind::kTypeMemberResized:
    case ChangeKind::kTypeSizeChanged:
      return SizeCause(change, old_config, new_config, delta);
    default:
      return "";
  }
}

}  // namespace

std::string ConfigCause(const AbiChange& change, const KernelConfig& old_config,
                        const KernelConfig& new_config) {
  return CauseOf(change, old_config, new_config, ConfigDelta(old_config, new_config));
}

void LabelConfigCauses(const KernelBtf& old_kernel, const KernelBtf& new_kernel,
                       KernelDiff* diff) {
  if (!old_kernel.config || !new_kernel.config) return;
  const ConfigDelta delta(*old_kernel.config, *new_kernel.config);
  for (AbiChange& change : diff->changes) {
    change.config_cause = CauseOf(change, *old_kernel.config, *new_kernel.config, delta);
  }
}

}  // namespace kcontract
