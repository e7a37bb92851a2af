#include "btfdiff/source/btf_extract.h"

#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"

namespace kcontract {

absl::StatusOr<const Btf*> SelectBtf(const KernelBtf& kernel,
                                     std::optional<std::string_view> module) {
  if (!module && kernel.original_kind() == SourceKind::kModule && kernel.modules.size() == 1) {
    return kernel.modules.front().btf.get();
  }
  if (!module) {
    if (kernel.vmlinux == nullptr) {
      return absl::NotFoundError(absl::StrFormat("%s: no vmlinux BTF", kernel.source));
    }
    return kernel.vmlinux.get();
  }
  if (const ModuleBtf* found = kernel.FindModule(*module)) return found->btf.get();
  std::vector<std::string> names;
  for (const ModuleBtf& m : kernel.modules) names.push_back(m.name);
  return absl::NotFoundError(absl::StrFormat(
      "%s: no module %s with BTF (have: %s)", kernel.source, *module,
      names.empty() ? "none" : Join(names, ", ")));
}

}  // namespace kcontract
