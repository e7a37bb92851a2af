// The vocabulary of contracts: what kind of interface, and what its
// maintainers promise about it (STABILITY.md is the prose of this file).
#ifndef KCONTRACT_ABI_CONTRACT_STABILITY_H_
#define KCONTRACT_ABI_CONTRACT_STABILITY_H_

#include <optional>
#include <string_view>

namespace kcontract {

// Ordered by strictness: a tie between two sources is won by the larger.
enum class Stability { kStable = 0, kExperimental = 1, kDeprecated = 2, kWithdrawn = 3 };

enum class InterfaceKind {
  kKfunc,            // a kfunc, by name
  kStructOps,        // a struct_ops callback table, by type name: "bpf_thp_ops"
  kStructOpsMember,  // one callback: "tcp_congestion_ops.cong_control"
  kKernelType,       // a kernel type read through CO-RE: "struct task_struct"
};

// "stable", "experimental", "deprecated", "withdrawn".
std::string_view StabilityName(Stability stability);
std::optional<Stability> ParseStability(std::string_view text);

// "kfunc", "struct_ops", "struct_ops_member", "kernel_type" (as in manifests).
std::string_view InterfaceKindName(InterfaceKind kind);
std::optional<InterfaceKind> ParseInterfaceKind(std::string_view text);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CONTRACT_STABILITY_H_
