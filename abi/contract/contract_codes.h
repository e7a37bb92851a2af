// The finding codes of contract checks (contract_findings.h), shared with the
// policy that gives them a severity (finding_policy.h).
#ifndef KCONTRACT_ABI_CONTRACT_CONTRACT_CODES_H_
#define KCONTRACT_ABI_CONTRACT_CONTRACT_CODES_H_

#include <string_view>

namespace kcontract {

// An experimental interface used without the object's opt-in.
inline constexpr std::string_view kContractExperimental = "contract-experimental";
// An experimental interface used with the object's opt-in.
inline constexpr std::string_view kContractOptedIn = "contract-opted-in";
inline constexpr std::string_view kContractDeprecated = "contract-deprecated";
inline constexpr std::string_view kContractWithdrawn = "contract-withdrawn";
// An interface no contract gives a level: unstable by default.
inline constexpr std::string_view kContractUnknown = "contract-unknown";
// An opt-in token that matches no experimental interface the object uses.
inline constexpr std::string_view kContractUnusedOptIn = "contract-unused-opt-in";

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CONTRACT_CONTRACT_CODES_H_
