// Contract findings: which kernel interfaces a BPF object uses, and what the
// contracts (contract.h) promise about each (STABILITY.md). Needs no kernel:
// `kcontract lint` runs it alone at build time, `kcontract check` beside the
// libbpf checks. Findings are facts (codes in contract_codes.h); their
// severity is the policy's (abi/policy/finding_policy.h).
//
// Interfaces an object uses, and how each is named in contracts:
// - a kfunc extern: the kfunc ("bpf_task_acquire");
// - a struct_ops map: each callback it implements, governed by its member
//   entry ("tcp_congestion_ops.init") when a contract has one, else by its
//   table's ("tcp_congestion_ops"); a map implementing no callback uses the
//   table. Callbacks that fall to the table are reported once, as the table;
// - a CO-RE relocation's root type, by essential name (without ___flavour):
//   "struct task_struct" (a bare "task_struct" entry is found too).
// An interface in no contract, or whose entry gives no level, is "unstable
// by default" (contract-unknown) -- reported for kfuncs and struct_ops only:
// every CO-RE program reads dozens of kernel types that no contract will
// ever name, and a note for each would drown the findings that matter.
#ifndef KCONTRACT_ABI_CONTRACT_CONTRACT_FINDINGS_H_
#define KCONTRACT_ABI_CONTRACT_CONTRACT_FINDINGS_H_

#include <string>
#include <vector>

#include "abi/contract/contract.h"
#include "abi/finding/finding.h"
#include "abi/object/bpf_object.h"

namespace kcontract {

// Findings in a stable order: kfuncs (as the object declares them),
// struct_ops (by map), kernel types (by name), then unused opt-ins. A
// finding's `program` is the program using the interface, or the users
// joined by ", " when several do; "" when none is known.
std::vector<Finding> CheckContracts(const BpfObject& object, const ContractSet& contracts);

// `kcontract lint`: one object's contract findings.
struct ContractReport {
  std::string object;                // BpfObject::path
  std::vector<std::string> opt_ins;  // BpfObject::opt_ins
  std::vector<Finding> findings;
};
ContractReport LintObject(const BpfObject& object, const ContractSet& contracts);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CONTRACT_CONTRACT_FINDINGS_H_
