// The interfaces a kernel offers BPF that a manifest can record, with their
// canonical signatures: what `kcontract manifest init` writes and `manifest
// update --add-new` adds. Signatures are computed exactly as
// RevisionMatcher computes them (on the BTF blob that holds the interface),
// so a recorded revision is recognised by `probe` and `check`.
#ifndef KCONTRACT_ABI_MANIFEST_KERNEL_INTERFACES_H_
#define KCONTRACT_ABI_MANIFEST_KERNEL_INTERFACES_H_

#include <string>
#include <vector>

#include "abi/contract/stability.h"
#include "btfdiff/inventory/lazy_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/signature.h"

namespace kcontract {

struct KernelInterface {
  InterfaceKind kind = InterfaceKind::kKfunc;
  std::string name;
  std::string module;  // "" for vmlinux
  Signature signature;
};

// The revision name a manifest records for a kernel: the release
// ("6.1.0-50-amd64"), else the source's file name ("thp_v9.btf") when the
// source holds no release. (KernelLabel keeps the source as given.)
std::string RevisionNameOf(const KernelBtf& kernel);

// True when `name` matches any of the shell globs (fnmatch(3)).
bool MatchesAnyGlob(const std::string& name, const std::vector<std::string>& globs);

// The kfuncs and struct_ops types of `kernel` whose names match any of
// `globs`, sorted by (kind, name). One entry per name: a name the kernel
// has in several places (vmlinux and a module, or two modules) is recorded
// where RevisionMatcher would look first for an entry without a module:
// vmlinux, else the first module by name.
std::vector<KernelInterface> CollectKernelInterfaces(const LazyInventory& kernel,
                                                     const std::vector<std::string>& globs);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_MANIFEST_KERNEL_INTERFACES_H_
