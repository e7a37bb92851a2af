// Which revision of each contracted interface a kernel provides. A revision
// is a canonical signature generated from BTF (btfdiff/signature.h), so the
// answer is a comparison, never a guess: the interface's signature in this
// kernel, computed on the BTF blob that holds it, equals a recorded one or
// it does not. Facts only; what they mean for a command is its business.
#ifndef KCONTRACT_ABI_REVISION_REVISION_MATCHER_H_
#define KCONTRACT_ABI_REVISION_REVISION_MATCHER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"
#include "absl/container/flat_hash_map.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/lazy_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/signature.h"

namespace kcontract {

enum class RevisionMatch {
  kRecorded,     // present, and a recorded revision has exactly its signature
  kUnrecorded,   // present, with a signature no recorded revision has
  kNoRevisions,  // present; no entry for it records any revision to compare
  kAbsent,       // this kernel does not have it
};
// "recorded", "unrecorded", "no_revisions", "absent" (as in JSON).
std::string_view RevisionMatchName(RevisionMatch match);

struct InterfaceProbe {
  InterfaceKind kind = InterfaceKind::kKfunc;
  std::string name;

  // In the kernel.
  bool present = false;
  std::optional<std::string> module;  // the module holding it; nullopt: vmlinux or absent
  Signature signature;                // its signature here; empty when absent

  // Against the contracts: the revision is looked for in every entry for
  // the interface, governing one first (a kernel's BTF tag states a level
  // and records no revisions; the manifest beside it does).
  RevisionMatch match = RevisionMatch::kAbsent;
  std::string revision;               // the recorded revision's name, when kRecorded
  SourceLocation revision_location;   // where that revision is recorded

  // The governing entry (ContractSet::Find).
  std::optional<Stability> stability;  // nullopt: the contracts promise nothing
  SourceLocation governed_by;
  ContractOrigin origin = ContractOrigin::kInstalled;
  std::string contract;
  std::string remove;       // as the governing entry says
  std::string replacement;  // as the governing entry says

  // The contract says it is gone, but this kernel still has it.
  bool withdrawn_but_present() const {
    return present && stability == Stability::kWithdrawn;
  }
  bool deprecated_and_present() const {
    return present && stability == Stability::kDeprecated;
  }
};

struct ProbeResult {
  std::string kernel;   // KernelLabel
  std::string source;   // the --kernel argument
  std::string release;  // empty when the source holds none
  std::vector<InterfaceProbe> interfaces;  // sorted by (kind, name)

  size_t CountWithdrawnPresent() const;
  size_t CountUnrecorded() const;
};

// Probes one kernel. Its inventories (kfuncs, struct_ops) are collected
// once, when first needed, however many interfaces are probed; named types
// are looked up in the kernel's own name index (KernelBtf::names()).
class RevisionMatcher {
 public:
  // Collects the kernel's inventory itself, as it needs it.
  explicit RevisionMatcher(const KernelBtf& kernel);
  // Reads `inventory`, which outlives the matcher (CheckTarget::inventory()).
  explicit RevisionMatcher(const LazyInventory& inventory);
  ~RevisionMatcher();
  RevisionMatcher(const RevisionMatcher&) = delete;
  RevisionMatcher& operator=(const RevisionMatcher&) = delete;

  // Every governing interface of `contracts` (ContractSet::Governing()).
  ProbeResult Probe(const ContractSet& contracts);

  // One interface; `governing` is the entry ContractSet::Find gives.
  InterfaceProbe ProbeInterface(const ContractSet& contracts, const Interface& governing);

 private:
  // Where the kernel has an interface and its signature there.
  struct Presence {
    std::optional<std::string> module;
    Signature signature;
  };
  std::optional<Presence> Locate(const Interface& interface);
  std::optional<Presence> LocateKfunc(const Interface& interface);
  std::optional<Presence> LocateStructOps(const Interface& interface);
  std::optional<Presence> LocateStructOpsMember(const Interface& interface);
  std::optional<Presence> LocateKernelType(const Interface& interface);
  const StructOpsType* FindTable(std::string_view name, const std::optional<std::string>& place);
  const Btf* BlobOf(const std::optional<std::string>& module) const;
  const KernelBtf& kernel() const { return inventory_.kernel(); }

  std::unique_ptr<LazyInventory> own_inventory_;  // when given only a kernel
  const LazyInventory& inventory_;
  // Each indexed on first use; by name, every place that has the name.
  std::optional<absl::flat_hash_map<std::string, std::vector<const Kfunc*>>> kfuncs_by_name_;
  std::optional<absl::flat_hash_map<std::string, std::vector<const StructOpsType*>>>
      tables_by_name_;
};

// RevisionMatcher(kernel).Probe(contracts).
ProbeResult ProbeKernel(const ContractSet& contracts, const KernelBtf& kernel);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REVISION_REVISION_MATCHER_H_
