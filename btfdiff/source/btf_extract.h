// Choosing the raw BTF blob to write out for `kcontract btf extract`.
#ifndef KCONTRACT_BTFDIFF_SOURCE_BTF_EXTRACT_H_
#define KCONTRACT_BTFDIFF_SOURCE_BTF_EXTRACT_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

// The vmlinux BTF, or with `module` that module's split BTF (only its own
// types, as bpftool's `-B base` expects). A module source with a single
// module picks it without being told.
absl::StatusOr<const Btf*> SelectBtf(const KernelBtf& kernel,
                                     std::optional<std::string_view> module);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_SOURCE_BTF_EXTRACT_H_
