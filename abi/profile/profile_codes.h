// The codes of the findings a load profile adds to a check
// (apply_profile.h); their severities are abi/policy's.
#ifndef KCONTRACT_ABI_PROFILE_PROFILE_CODES_H_
#define KCONTRACT_ABI_PROFILE_PROFILE_CODES_H_

#include <string_view>

namespace kcontract {

// What the loader does to this object before load, in one line (a note).
inline constexpr std::string_view kLoadProfileApplied = "load-profile";
// A setting naming a program, variable or map the object does not have.
inline constexpr std::string_view kProfileUnknownName = "profile-unknown-name";
// A setting that cannot do what it says on this object.
inline constexpr std::string_view kProfileIneffective = "profile-ineffective";
// An attach target the loader sets to one only it knows: not checked.
inline constexpr std::string_view kAttachUnchecked = "attach-unchecked";

}  // namespace kcontract

#endif  // KCONTRACT_ABI_PROFILE_PROFILE_CODES_H_
