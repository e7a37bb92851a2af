#include "abi/contract/stability.h"

namespace kcontract {

std::string_view StabilityName(Stability stability) {
  switch (stability) {
    case Stability::kStable: return "stable";
    case Stability::kExperimental: return "experimental";
    case Stability::kDeprecated: return "deprecated";
    case Stability::kWithdrawn: return "withdrawn";
  }
  return "?";
}

std::optional<Stability> ParseStability(std::string_view text) {
  for (Stability s : {Stability::kStable, Stability::kExperimental, Stability::kDeprecated,
                      Stability::kWithdrawn}) {
    if (StabilityName(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view InterfaceKindName(InterfaceKind kind) {
  switch (kind) {
    case InterfaceKind::kKfunc: return "kfunc";
    case InterfaceKind::kStructOps: return "struct_ops";
    case InterfaceKind::kStructOpsMember: return "struct_ops_member";
    case InterfaceKind::kKernelType: return "kernel_type";
  }
  return "?";
}

std::optional<InterfaceKind> ParseInterfaceKind(std::string_view text) {
  for (InterfaceKind k : {InterfaceKind::kKfunc, InterfaceKind::kStructOps,
                          InterfaceKind::kStructOpsMember, InterfaceKind::kKernelType}) {
    if (InterfaceKindName(k) == text) return k;
  }
  return std::nullopt;
}

}  // namespace kcontract
