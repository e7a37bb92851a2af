// LazyInventory: one kernel's kfuncs and struct_ops types, each collected
// on first use and then shared by every reader, threads included. A gate
// checks every object against one kernel, and each object's revision plan
// asks the same questions of it: collecting the inventory once per kernel,
// not once per object, is what this is for.
#ifndef KCONTRACT_BTFDIFF_INVENTORY_LAZY_INVENTORY_H_
#define KCONTRACT_BTFDIFF_INVENTORY_LAZY_INVENTORY_H_

#include <mutex>
#include <vector>

#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

class LazyInventory {
 public:
  explicit LazyInventory(const KernelBtf& kernel) : kernel_(kernel) {}
  LazyInventory(const LazyInventory&) = delete;
  LazyInventory& operator=(const LazyInventory&) = delete;

  const KernelBtf& kernel() const { return kernel_; }
  // CollectKfuncs(kernel()), collected once.
  const KfuncSet& kfuncs() const;
  // CollectStructOps(kernel()), collected once.
  const std::vector<StructOpsType>& struct_ops() const;

 private:
  const KernelBtf& kernel_;
  mutable std::once_flag kfuncs_once_;
  mutable KfuncSet kfuncs_;
  mutable std::once_flag struct_ops_once_;
  mutable std::vector<StructOpsType> struct_ops_;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_LAZY_INVENTORY_H_
