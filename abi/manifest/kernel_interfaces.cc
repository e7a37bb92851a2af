#include "abi/manifest/kernel_interfaces.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"

namespace kcontract {
namespace {

const Btf* BlobOf(const KernelBtf& kernel, const std::optional<std::string>& module) {
  if (!module) return kernel.vmlinux.get();
  const ModuleBtf* found = kernel.FindModule(*module);
  return found == nullptr ? nullptr : found->btf.get();
}

// Keeps one entry per (kind, name): vmlinux's over a module's, then the
// module first by name, whatever order they were found in.
class Selection {
 public:
  void Offer(KernelInterface candidate) {
    auto key = std::make_pair(candidate.kind, candidate.name);
    auto [it, inserted] = chosen_.try_emplace(key, candidate);
    if (inserted) return;
    const KernelInterface& held = it->second;
    bool better = candidate.module.empty() != held.module.empty()
                      ? candidate.module.empty()
                      : candidate.module < held.module;
    if (better) it->second = std::move(candidate);
  }

  std::vector<KernelInterface> Sorted() && {
    std::vector<KernelInterface> out;
    out.reserve(chosen_.size());
    for (auto& [key, interface] : chosen_) out.push_back(std::move(interface));
    std::sort(out.begin(), out.end(), [](const KernelInterface& a, const KernelInterface& b) {
      return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    });
    return out;
  }

 private:
  absl::flat_hash_map<std::pair<InterfaceKind, std::string>, KernelInterface> chosen_;
};

}  // namespace

std::string RevisionNameOf(const KernelBtf& kernel) {
  if (!kernel.release.empty()) return kernel.release;
  std::filesystem::path source(kernel.source);
  std::string name = source.filename().string();
  // "dir/" has an empty file name; its parent component names it.
  if (name.empty()) name = source.parent_path().filename().string();
  return name.empty() ? kernel.source : name;
}

bool MatchesAnyGlob(const std::string& name, const std::vector<std::string>& globs) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

std::vector<KernelInterface> CollectKernelInterfaces(const LazyInventory& inventory,
                                                     const std::vector<std::string>& globs) {
  const KernelBtf& kernel = inventory.kernel();
  Selection selection;
  for (const Kfunc& kfunc : inventory.kfuncs().kfuncs) {
    if (!MatchesAnyGlob(kfunc.name, globs)) continue;
    const Btf* btf = BlobOf(kernel, kfunc.module);
    if (btf == nullptr) continue;
    selection.Offer({InterfaceKind::kKfunc, kfunc.name, kfunc.module.value_or(""),
                     KfuncSignature(*btf, kfunc.id)});
  }
  for (const StructOpsType& type : inventory.struct_ops()) {
    if (!MatchesAnyGlob(type.name, globs)) continue;
    const Btf* btf = BlobOf(kernel, type.module);
    if (btf == nullptr) continue;
    selection.Offer({InterfaceKind::kStructOps, type.name, type.module.value_or(""),
                     StructOpsSignature(*btf, type.id)});
  }
  return std::move(selection).Sorted();
}

}  // namespace kcontract
