// What a loader does to a BPF object between opening and loading it, as a
// load profile states it (abi/profile/load_profile.h), kept on the object as
// the loader prepares it (abi/profile/apply_profile.h) for the analyses that
// depend on it: the verifier-reach analysis reads the rodata values here.
// Programs turned off are left out of that object and attach targets set on
// its programs (BpfProgram::attach_target_set_by_loader).
#ifndef KCONTRACT_ABI_OBJECT_LOADER_SETTINGS_H_
#define KCONTRACT_ABI_OBJECT_LOADER_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

// A rodata variable user space sets before load (bpf_map__set_initial_value,
// a skeleton's `skel->rodata->x = v`).
struct LoaderRodataValue {
  std::string variable;
  // nullopt: set at run time to a value only user space knows ("unknown").
  std::optional<uint64_t> value;
};

// A map resized before load (bpf_map__set_max_entries).
struct LoaderMapSize {
  std::string map;
  uint32_t max_entries = 0;
};

struct LoaderSettings {
  // Where the profile entry applied is ("tools.toml:3:1"); "" when none.
  std::string profile;
  std::vector<LoaderRodataValue> rodata;
  std::vector<LoaderMapSize> map_max_entries;

  // The loader's value of `variable`, or nullptr when it leaves the
  // object's initial value.
  const LoaderRodataValue* FindRodata(std::string_view variable) const {
    for (const LoaderRodataValue& v : rodata) {
      if (v.variable == variable) return &v;
    }
    return nullptr;
  }
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_LOADER_SETTINGS_H_
