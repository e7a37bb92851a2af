// Reporters for the kernel inventory: the same model rendered as terse text
// (bpftool's manners) or JSON. Every JSON document starts with the common
// envelope (json_envelope.h).
#ifndef KCONTRACT_ABI_REPORT_INVENTORY_REPORT_H_
#define KCONTRACT_ABI_REPORT_INVENTORY_REPORT_H_

#include <string>
#include <vector>

#include "abi/report/output_format.h"
#include "btfdiff/inventory/kernel_inventory.h"

namespace kcontract {

// Bumped whenever a JSON field changes meaning or disappears.
inline constexpr int kInventoryJsonVersion = 1;

std::string RenderKernelShow(const KernelInventory& inventory, OutputFormat format);
// JSON: the envelope, then "kfuncs": [{"name","proto","flags","module","found_by",...}].
std::string RenderKfuncs(const KfuncSet& kfuncs, OutputFormat format);
// JSON: the envelope, then "struct_ops": [{"name","module","btf_id","members"}].
std::string RenderStructOps(const std::vector<StructOpsType>& types, OutputFormat format);

// What `kernel snapshot` wrote: one line of text, or JSON with the origin
// and the format version the file has.
std::string RenderSnapshotWritten(const KernelBtf& kernel, const KernelOrigin& origin,
                                  const std::string& path, uint64_t size,
                                  uint32_t format_version, OutputFormat format);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REPORT_INVENTORY_REPORT_H_
