// The BTF DATASEC that describes one ELF section of a BPF object (.maps,
// .struct_ops, .ksyms, .kconfig): the variables the section holds.
#ifndef KCONTRACT_ABI_OBJECT_DATASEC_H_
#define KCONTRACT_ABI_OBJECT_DATASEC_H_

#include <optional>
#include <span>
#include <string_view>

#include "btfdiff/model/btf.h"

namespace kcontract {

// The entries of the DATASEC named `name` in `btf`; nullopt when `btf` is
// null or has no such DATASEC.
inline std::optional<std::span<const btf_var_secinfo>> DatasecEntries(const Btf* btf,
                                                                      std::string_view name) {
  if (btf == nullptr) return std::nullopt;
  for (TypeId id : btf->IdsOfKind(BTF_KIND_DATASEC)) {
    if (btf->Name(id) != name) continue;
    const btf_type* datasec = btf->Type(id);
    return std::span<const btf_var_secinfo>(btf_var_secinfos(datasec), btf_vlen(datasec));
  }
  return std::nullopt;
}

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_DATASEC_H_
