// Policy for `kcontract diff`: what each ABI change costs, given what the
// contracts promise about the interfaces it touches (STABILITY.md):
//
//   breaking change to a stable interface       error    exit bit 8
//   breaking change to anything else            warning  (reported, not failed)
//   needs review                                warning
//   compatible change                           note
//   withdrawn by contract, still present in NEW warning
//
// Any change or warning sets exit bit 4, as abidiff and STG do for "the ABI
// changed". A breaking change to (or one needing review of) a withdrawn
// interface is a note: nothing is owed to its users.
//
// Changes to the kernel's own self-test interfaces (bpf_kfunc_call_test*,
// module bpf_testmod) and to interfaces a manifest marks `internal` form a
// group apart: notes, not counted, unless the caller includes them. Changes
// the two kernels' configs explain (AbiChange::config_cause) form another,
// judged as the rest.
#ifndef KCONTRACT_ABI_POLICY_DIFF_POLICY_H_
#define KCONTRACT_ABI_POLICY_DIFF_POLICY_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/contract/stability.h"
#include "abi/finding/finding.h"
#include "btfdiff/diff/abi_change.h"

namespace kcontract {

// The level a contract gives an interface; nullopt when no contract names
// it (unstable by default). Kernel types are asked for as
// (kKernelType, "struct sock"), struct_ops members as
// (kStructOpsMember, "tcp_congestion_ops.cong_control").
using StabilityLookup =
    std::function<std::optional<Stability>(InterfaceKind kind, std::string_view name)>;

// The lookup without contracts: every interface unstable.
StabilityLookup NoContracts();

// The lookup of a contract set: the governing entry's level. `contracts`
// must outlive the lookup.
StabilityLookup ContractLookup(const ContractSet& contracts);

// The exit bits of STABILITY.md ("Exit bits (all commands)").
inline constexpr int kDiffExitChanges = 4;
inline constexpr int kDiffExitBrokenPromise = 8;

// The part of the report a change belongs to.
enum class DiffGroup : uint8_t {
  kAbi,       // the release's ABI changes
  kConfig,    // explained by the two kernels' configs
  kInternal,  // the kernel's self-tests, interfaces marked internal
};

// "abi", "config", "internal" (as in JSON).
std::string_view DiffGroupName(DiffGroup group);

// The kernel's own self-test interfaces, which no program outside the
// kernel's selftests uses: the kfuncs of net/bpf/test_run.c
// (bpf_kfunc_call_test*, bpf_kfunc_call_memb*, ...) and anything of the
// bpf_testmod module.
bool IsKernelSelfTest(std::string_view name, const std::optional<std::string>& module);

// Whether a manifest marks an interface `internal`.
using InternalLookup = std::function<bool(InterfaceKind kind, std::string_view name)>;

// The lookup of a contract set: the governing entry's `internal`. `contracts`
// must outlive the lookup.
InternalLookup ContractInternalLookup(const ContractSet& contracts);

struct DiffJudgeOptions {
  InternalLookup internal;        // empty: only the kernel's self-tests are internal
  bool include_internal = false;  // judge and count internal changes as the others
};

struct JudgedChange {
  DiffGroup group = DiffGroup::kAbi;
  Severity severity = Severity::kNote;
  // The promise that decided: the strongest among the interfaces the change
  // touches; nullopt when none is in a contract.
  std::optional<Stability> stability;
  std::string governed_by;  // "kfunc bpf_task_acquire"; empty with no contract
};

// A withdrawn interface NEW still offers (code kWithdrawnStillOffered,
// subject its name).
inline constexpr std::string_view kWithdrawnStillOffered = "contract-withdrawn-offered";
struct DiffWarning : Diagnostic {
  InterfaceKind kind = InterfaceKind::kKfunc;
};

struct DiffVerdict {
  std::vector<JudgedChange> changes;  // one per KernelDiff::changes, same order
  std::vector<DiffWarning> warnings;  // withdrawn interfaces still offered
  int errors = 0;
  int warning_count = 0;  // warnings of changes plus `warnings`
  int notes = 0;
  int internal = 0;  // changes in DiffGroup::kInternal
  int config = 0;    // changes in DiffGroup::kConfig
  bool include_internal = false;

  int ExitBits() const;
};

DiffVerdict JudgeDiff(const KernelDiff& diff, const StabilityLookup& lookup,
                      const DiffJudgeOptions& options = {});

// The severity of one change whose strongest promise is `stability`.
Severity DiffSeverity(Compatibility compatibility, std::optional<Stability> stability);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_POLICY_DIFF_POLICY_H_
