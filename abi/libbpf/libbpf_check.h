// The pre-load compatibility check: what a BPF object needs (BpfObject)
// against what a kernel has (KernelBtf), judged by the rules of one libbpf
// release (libbpf_version.h; default: the one kcontract is linked against).
// `kcontract check` and the loader helper both call CheckObject.
#ifndef KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_
#define KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/libbpf_version.h"
#include "abi/object/bpf_object.h"
#include "abi/reach/program_linker.h"
#include "btfdiff/inventory/lazy_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/name_index.h"

namespace kcontract {

// One kernel, as every object checked against it sees it: its label, its
// name index (KernelBtf::names(), indexed once however many ask) and its
// inventory (collected once, whichever object asks first).
class CheckTarget {
 public:
  explicit CheckTarget(const KernelBtf& kernel)
      : kernel_(kernel), label_(KernelLabel(kernel)), inventory_(kernel) {}

  const KernelBtf& kernel() const { return kernel_; }
  // How findings name the kernel (KernelLabel).
  const std::string& label() const { return label_; }
  const KernelNameIndex& names() const { return kernel_.names(); }
  const LazyInventory& inventory() const { return inventory_; }

 private:
  const KernelBtf& kernel_;
  std::string label_;
  LazyInventory inventory_;
};

// The finding of an object without BTF: nothing of what it needs from a
// kernel can be checked.
inline constexpr std::string_view kNoBtfCode = "no-btf";

struct ObjectCheck {
  std::string object;  // BpfObject::path
  std::string kernel;  // CheckTarget::label
  // Where the load profile entry applied is ("tools.toml:3:1"); "" when none.
  std::string load_profile;
  // The libbpf release whose rules judged it, and who chose it.
  LibbpfChoice libbpf = LinkedLibbpf();
  std::vector<Finding> findings;
  // The verdict, once the policy judged the findings (JudgeCheck in
  // abi/policy/finding_policy.h): the first stage in load order with an
  // error, kNone when the object loads.
  LoadStage verdict = LoadStage::kNone;
};

// What the loader does before load that the check must know.
struct CheckOptions {
  // .rodata variables the loader sets (a load profile's rodata settings).
  std::vector<LoaderSetRodata> rodata;
  // The libbpf release that loads the object.
  LibbpfChoice libbpf = LinkedLibbpf();
};

// Findings are facts: their severity is set afterwards by policy
// (abi/policy/finding_policy.h). Findings about instructions the verifier
// rejects if it reaches them carry the reach analysis' answer.
ObjectCheck CheckObject(const BpfObject& object, const CheckTarget& target,
                        const CheckOptions& options = {});

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_
