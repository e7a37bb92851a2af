// The pre-load compatibility check: what a BPF object needs (BpfObject)
// against what a kernel has (KernelBtf), judged by libbpf 1.1.2's rules.
// `kcontract check` and the loader helper both call CheckObject.
#ifndef KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_
#define KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/libbpf/core_matcher.h"
#include "abi/object/bpf_object.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

// One kernel, indexed once (on first lookup) and shared by every object
// checked against it. Not thread-safe.
class CheckTarget {
 public:
  explicit CheckTarget(const KernelBtf& kernel);

  const KernelBtf& kernel() const { return kernel_; }
  // How findings name the kernel (KernelLabel).
  const std::string& label() const { return label_; }
  const CoreTargetIndex& core_index() const { return core_index_; }

  struct Found {
    const Btf* btf;
    TypeId id;
    const std::string* module;  // nullptr for vmlinux
  };
  // libbpf's lookup order: vmlinux (lowest id first), then modules.
  std::optional<Found> Find(std::string_view name, uint32_t kind) const;
  // vmlinux only (libbpf 1.1 looks up struct_ops types there alone).
  std::optional<Found> FindInVmlinux(std::string_view name, uint32_t kind) const;

 private:
  struct Entry {
    uint32_t blob;
    TypeId id;
  };
  void Build() const;
  std::optional<Found> Scan(std::string_view name, uint32_t kind) const;

  const KernelBtf& kernel_;
  std::string label_;
  CoreTargetIndex core_index_;
  std::vector<const Btf*> blobs_;
  std::vector<const std::string*> blob_modules_;
  // Built on first lookup; keys point into the kernel's BTF strings.
  mutable bool built_ = false;
  mutable int lookups_ = 0;
  mutable absl::flat_hash_map<std::string_view, absl::InlinedVector<Entry, 1>> by_name_;
};

// What libbpf would do with the whole object on this kernel, in the order
// libbpf meets the problems.
enum class PredictedOutcome {
  kLoads,             // every check passes (the verifier still has its say)
  kPoisoned,          // loads past relocation with poisoned instructions
  kExternFails,       // a kfunc, ksym or kconfig extern cannot be resolved
  kStructOpsFails,    // a struct_ops map cannot be initialised
  kRelocationFails,   // a CO-RE relocation makes libbpf give up
  kAttachFails,       // a program's attach target is missing
};

std::string_view PredictedOutcomeName(PredictedOutcome outcome);

// The finding of an object without BTF: nothing of what it needs from a
// kernel can be checked.
inline constexpr std::string_view kNoBtfCode = "no-btf";

struct ObjectCheck {
  std::string object;  // BpfObject::path
  std::string kernel;  // CheckTarget::label
  std::vector<Finding> findings;
  PredictedOutcome outcome = PredictedOutcome::kLoads;
};

// Findings are facts: their severity is set afterwards by policy
// (abi/policy/finding_policy.h).
ObjectCheck CheckObject(const BpfObject& object, const CheckTarget& target);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_LIBBPF_CHECK_H_
