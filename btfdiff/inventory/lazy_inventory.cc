#include "btfdiff/inventory/lazy_inventory.h"

namespace kcontract {

const KfuncSet& LazyInventory::kfuncs() const {
  std::call_once(kfuncs_once_, [this] { kfuncs_ = CollectKfuncs(kernel_); });
  return kfuncs_;
}

const std::vector<StructOpsType>& LazyInventory::struct_ops() const {
  std::call_once(struct_ops_once_, [this] { struct_ops_ = CollectStructOps(kernel_); });
  return struct_ops_;
}

}  // namespace kcontract
