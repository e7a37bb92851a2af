// Policy for `kcontract diff`: what each ABI change costs, given what the
// contracts promise about the interfaces it touches (STABILITY.md):
//
//   breaking change to a stable interface       error    exit bit 8
//   breaking change to anything else            warning  (reported, not failed)
//   needs review, stable interface              warning
//   needs review otherwise, compatible change   note
//   withdrawn by contract, still present in NEW warning
//
// Any change or warning sets exit bit 4, as abidiff and STG do for "the ABI
// changed". A breaking change to a withdrawn interface is a note: nothing is
// owed to its users.
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

struct JudgedChange {
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

  int ExitBits() const;
};

DiffVerdict JudgeDiff(const KernelDiff& diff, const StabilityLookup& lookup);

// The severity of one change whose strongest promise is `stability`.
Severity DiffSeverity(Compatibility compatibility, std::optional<Stability> stability);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_POLICY_DIFF_POLICY_H_
