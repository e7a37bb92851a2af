// Reporters for the kernel inventory: the same model rendered as terse text
// (bpftool's manners) or JSON.
#ifndef KCONTRACT_BTFDIFF_INVENTORY_RENDER_H_
#define KCONTRACT_BTFDIFF_INVENTORY_RENDER_H_

#include <string>
#include <vector>

#include "btfdiff/kernel_btf.h"
#include "btfdiff/kfunc_inventory.h"
#include "btfdiff/struct_ops_inventory.h"

namespace kcontract {

enum class OutputFormat { kText, kJson };

// Bumped whenever a JSON field changes meaning or disappears.
inline constexpr int kInventoryJsonVersion = 1;

struct KernelInventory {
  const KernelBtf* kernel = nullptr;
  KfuncSet kfuncs;
  std::vector<StructOpsType> struct_ops;
};

KernelInventory TakeInventory(const KernelBtf& kernel);

std::string RenderKernelShow(const KernelInventory& inventory, OutputFormat format);
// JSON: an array of {"name","proto","flags","module","found_by",...}.
std::string RenderKfuncs(const KfuncSet& kfuncs, OutputFormat format);
std::string RenderStructOps(const std::vector<StructOpsType>& types, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_RENDER_H_
