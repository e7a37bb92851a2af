#include "btfdiff/model/kernel_btf.h"

#include <algorithm>

#include "btfdiff/base/text.h"

namespace kcontract {

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kRunning: return "running";
    case SourceKind::kRawBtf: return "raw-btf";
    case SourceKind::kVmlinux: return "vmlinux";
    case SourceKind::kBzImage: return "bzimage";
    case SourceKind::kCompressed: return "compressed";
    case SourceKind::kModule: return "module";
    case SourceKind::kDirectory: return "directory";
    case SourceKind::kDebPackage: return "deb";
    case SourceKind::kSnapshot: return "snapshot";
  }
  return "unknown";
}

uint64_t KernelBtf::TypeCount() const {
  uint64_t count = vmlinux ? vmlinux->own_type_count() : 0;
  for (const ModuleBtf& module : modules) count += module.btf->own_type_count();
  return count;
}

const ModuleBtf* KernelBtf::FindModule(std::string_view name) const {
  for (const ModuleBtf& module : modules) {
    if (module.name == name) return &module;
  }
  return nullptr;
}

const KernelNameIndex& KernelBtf::names() const {
  if (names_ == nullptr) names_ = std::make_unique<KernelNameIndex>(*this);
  return *names_;
}

namespace {

// The first names of a search, enough to recognise it, and how many more.
constexpr size_t kNamesShown = 8;

std::string SomeNames(const std::vector<std::string>& names) {
  if (names.size() <= kNamesShown) return Join(names, ", ");
  std::vector<std::string> shown(names.begin(), names.begin() + kNamesShown);
  return Join(shown, ", ") + " and " + std::to_string(names.size() - kNamesShown) + " more";
}

std::string ModuleCount(const ModuleSearch& search) {
  return std::to_string(search.names.size()) +
         (search.names.size() == 1 ? " module" : " modules");
}

}  // namespace

std::string ModuleSearchText(const ModuleSearch& search) {
  if (search.names.empty()) return "no module; kfuncs and types of modules are not searched";
  return ModuleCount(search) + " (" + SomeNames(search.names) +
         "); other modules are not searched";
}

std::string ModuleSearchNote(const KernelBtf& kernel) {
  if (!kernel.module_search) return "";
  if (kernel.module_search->names.empty()) return " (no module searched)";
  return " (only " + ModuleCount(*kernel.module_search) +
         " searched: " + SomeNames(kernel.module_search->names) + ")";
}

std::string KernelLabel(const KernelBtf& kernel) {
  return kernel.release.empty() ? kernel.source : kernel.release;
}

KernelConfig ParseKernelConfig(std::string_view text) {
  KernelConfig config;
  for (std::string_view line : SplitView(text, '\n')) {
    line = StripWhitespace(line);
    if (!line.starts_with("CONFIG_")) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    config[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  return config;
}

bool IsKernelConfig(ByteView bytes) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                        std::min<size_t>(bytes.size(), 4096));
  return text.starts_with("#\n# Automatically generated file; DO NOT EDIT.") ||
         (text.starts_with("#") && Contains(text, "Kernel Configuration") &&
          Contains(text, "CONFIG_"));
}

std::string ReleaseFromConfig(std::string_view text) {
  text = text.substr(0, std::min<size_t>(text.size(), 4096));
  for (std::string_view line : SplitView(text, '\n')) {
    if (!line.starts_with("# Linux/") || !line.ends_with(" Kernel Configuration")) {
      continue;
    }
    std::vector<std::string_view> words = SplitView(line, ' ', /*skip_empty=*/true);
    if (words.size() >= 3) return std::string(words[2]);
  }
  return "";
}

}  // namespace kcontract
