// A load profile applied to an object: the entry that describes it, what in
// the entry the object does not have, and the object as the loader hands it
// to libbpf once it did what the entry says (programs turned off, attach
// targets set, rodata values, map sizes). `check` and the packaging gate
// judge that object; the findings here join the check's.
#ifndef KCONTRACT_ABI_PROFILE_APPLY_PROFILE_H_
#define KCONTRACT_ABI_PROFILE_APPLY_PROFILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/finding/finding.h"
#include "abi/object/bpf_object.h"
#include "abi/profile/load_profile.h"
#include "abi/profile/profile_codes.h"

namespace kcontract {

struct AppliedProfile {
  const ObjectProfile* entry = nullptr;  // nullptr: no profile describes the object
  std::string label;                     // where the entry is: "tools.toml:3:1"
  std::vector<Finding> findings;         // facts; the policy sets their severities
};

// The entry of `profiles` for `object` (FindObjectProfile by its sha256 and
// file name), checked against the object: every setting naming something it
// lacks is a finding saying so, with the closest name it has.
AppliedProfile MatchProfile(const std::vector<LoadProfile>& profiles, const BpfObject& object);

// Does to `prepared`, a copy of the object as the loader hands it to libbpf,
// what the entry says: its programs turned off are left out with their CO-RE
// relocations (libbpf 1.1.2 neither relocates, attaches nor loads a program
// with autoload off, but still resolves every extern); attach targets are
// set on the programs (BpfProgram::attach_target_set_by_loader); rodata
// values and map sizes are recorded in prepared->loader.
void ApplyProfile(const AppliedProfile& applied, BpfObject* prepared);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_PROFILE_APPLY_PROFILE_H_
