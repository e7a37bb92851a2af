#include "btfdiff/inventory/kernel_inventory.h"

namespace kcontract {

KernelInventory TakeInventory(const KernelBtf& kernel) {
  return KernelInventory{&kernel, CollectKfuncs(kernel), CollectStructOps(kernel)};
}

}  // namespace kcontract
