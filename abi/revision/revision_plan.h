// The revision plan: which of the revisions a BPF object supports (its
// revision tags, revision_tags.h) a kernel gets, decided from the kernel's
// BTF and the contracts (manifests and the kernel's own stability tags), or
// why the object cannot run there. `kcontract check` shows it; the loader
// helper (loader.h) applies it to an opened bpf_object with libbpf calls.
// One decision, two users: both call PlanRevisions (through CheckPrepared,
// prepared_check.h).
//
// struct_ops: for each interface the object tags, the contracts say which
// recorded revision the kernel has (RevisionMatcher); the map tagged with it
// is kept, every other revision's map and the programs only those maps use
// are left out. Refused: the contract says the interface is withdrawn; the
// kernel lacks it; it has an unrecorded revision, or one the object does not
// implement; or no contract records revisions to compare.
//
// kfunc slots: each slot gets the index of its first candidate whose kfuncs
// the kernel all has (by libbpf's lookup, and as a kfunc when the kernel's
// kfunc inventory is known), in the named revision when one is named, and
// that no contract says is withdrawn; else -1, which refuses a required
// slot (KC_KFUNC_CHOICE) and is an answer for an optional one. A program
// gated on a slot (KC_PROGRAM_IF / KC_PROGRAM_UNLESS) is left out when the
// slot's answer is not the one it needs.
#ifndef KCONTRACT_ABI_REVISION_REVISION_PLAN_H_
#define KCONTRACT_ABI_REVISION_REVISION_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/object/bpf_object.h"
#include "abi/revision/revision_matcher.h"
#include "abi/revision/revision_tags.h"

namespace kcontract {

// One struct_ops interface the object implements in several revisions.
struct StructOpsPlan {
  std::string interface;             // "bpf_thp_ops"
  std::vector<StructOpsRevisionTag> object_revisions;  // the object's maps, in order
  // What the kernel has, judged against the contracts. Without a governing
  // entry (no contract names the interface) kernel.match is kNoRevisions or
  // kAbsent, and kernel.present says whether the kernel has the type.
  InterfaceProbe kernel;
  std::optional<Interface> governing;   // the governing contract entry, if any
  std::string enabled_map;               // "" when refused
  std::string enabled_revision;
  std::vector<std::string> disabled_maps;
  std::string refusal;                   // "" when a map was chosen
};

// One kfunc slot and what this kernel makes of it.
struct KfuncSlotPlan {
  KfuncSlot slot;
  int chosen = -1;                       // index into slot.candidates, or -1
  std::vector<std::string> rejected;     // why each candidate before `chosen` (or every
                                         // one, when none) does not fit
  std::string refusal;                   // "" unless a required slot has no candidate
  // The programs gated on this slot, by what the answer does to them.
  std::vector<std::string> programs_loaded;
  std::vector<std::string> programs_left_out;
};

// A 4-byte value to write into a global-data section before the load.
struct RodataValue {
  std::string section;   // ".rodata"
  std::string variable;  // for messages
  uint32_t offset = 0;
  int32_t value = -1;
};

struct RevisionPlan {
  std::string object;  // BpfObject::path
  std::string kernel;  // CheckTarget::label
  std::vector<StructOpsPlan> struct_ops;
  std::vector<KfuncSlotPlan> kfunc_slots;
  // What the loader does: struct_ops maps it leaves out (autocreate off,
  // retyped for libbpf 1.1, see shims/kcontract/struct_ops_revisions.h),
  // programs it does not load, slot values it writes.
  std::vector<std::string> disabled_maps;
  std::vector<std::string> disabled_programs;
  std::vector<RodataValue> rodata;
  std::vector<TagWarning> warnings;  // the object's tags that cannot be used

  // The object carries revision tags: there is something to decide.
  bool has_tags() const { return !struct_ops.empty() || !kfunc_slots.empty(); }
  bool refused() const;
  // Every struct_ops interface got a map (kfunc slots aside).
  bool struct_ops_selected() const;
  // One message for people: the object, the kernel, then each reason.
  std::string RefusalMessage() const;
  // The kfuncs the chosen candidates use, and those named only by
  // candidates not chosen (the object does not call them on this kernel).
  std::vector<std::string> KfuncsInUse() const;
  std::vector<std::string> KfuncsNotUsed() const;
};

RevisionPlan PlanRevisions(const BpfObject& object, const CheckTarget& target,
                           const ContractSet& contracts);

// "the kernel has revision v9", "... an unrecorded revision", "... does not have it".
std::string DescribeKernelRevision(const InterfaceProbe& probe);
// The contract's word on an entry: "withdrawn since 7.1, use X (btf:k)",
// "experimental, opt-in \"bpf_thp\" (contract bpf-thp, manifests/bpf-thp.toml:8:1)".
std::string DescribeContractWord(const Interface& entry);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REVISION_REVISION_PLAN_H_
