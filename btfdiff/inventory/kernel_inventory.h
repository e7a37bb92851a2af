// KernelInventory: what BPF programs can use in one kernel, taken once: its
// kfuncs (kfunc_inventory.h) and struct_ops types (struct_ops_inventory.h).
// Reports, the kernel diff and the revision matcher all read it.
#ifndef KCONTRACT_BTFDIFF_INVENTORY_KERNEL_INVENTORY_H_
#define KCONTRACT_BTFDIFF_INVENTORY_KERNEL_INVENTORY_H_

#include <vector>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

struct KernelInventory {
  const KernelBtf* kernel = nullptr;
  KfuncSet kfuncs;
  std::vector<StructOpsType> struct_ops;
};

KernelInventory TakeInventory(const KernelBtf& kernel);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_KERNEL_INVENTORY_H_
