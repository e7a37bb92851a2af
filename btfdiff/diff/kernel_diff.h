// `kcontract diff`: what changed in the BPF-facing ABI between two kernels.
//
// Kfuncs are matched by name, struct_ops types by name and their members by
// name. Kernel types count when an interface reaches them: the types a
// kfunc's prototype or a struct_ops member names, followed through members
// embedded by value, and through at most `max_pointer_hops` pointers (1: the
// objects a program is handed, not the objects those point to). Each type is
// reported once, with every interface that reaches it.
#ifndef KCONTRACT_BTFDIFF_DIFF_KERNEL_DIFF_H_
#define KCONTRACT_BTFDIFF_DIFF_KERNEL_DIFF_H_

#include <cstdint>

#include "btfdiff/diff/abi_change.h"
#include "btfdiff/diff/type_comparison.h"
#include "btfdiff/inventory/kernel_inventory.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

struct DiffOptions {
  uint32_t max_pointer_hops = 1;
};

// With `stats`, the counters of every type comparison the diff made
// (vmlinux's and each module's), added up; the diff itself is the same.
KernelDiff DiffKernels(const KernelBtf& old_kernel, const KernelBtf& new_kernel,
                       const DiffOptions& options = {}, ComparisonStats* stats = nullptr);

// The same on inventories taken already (their `kernel` set), so that
// callers (and tests on C models, which have no .BTF_ids) can supply the
// kfunc list.
KernelDiff DiffInventories(const KernelInventory& old_inventory,
                           const KernelInventory& new_inventory,
                           const DiffOptions& options = {}, ComparisonStats* stats = nullptr);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_KERNEL_DIFF_H_
