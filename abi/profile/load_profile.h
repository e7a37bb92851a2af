// Load profiles: what a loader does to a BPF object between opening and
// loading it, which a check must know to judge the object the kernel will
// really see. Real tools turn programs off (bpf_program__set_autoload),
// retarget placeholder attach points (bpf_program__set_attach_target), set
// `const volatile` variables in .rodata and resize maps. A profile states
// that per object, in TOML (`--load-profile FILE`; the packaging gate reads
// the same files):
//
//   format_version = 1
//   [[object]]
//   name = "opensnoop.bpf.o"            # glob over the object's file name,
//   # sha256 = "9f2c..."                # or its exact bytes
//   autoload_off = ["handle_exit"]      # programs the loader turns off
//   attach = { trace_open = "do_sys_openat2", trace_any = "unknown" }
//   rodata = { targ_pid = "unknown", verbose = 1, min_us = 10000 }
//   map_max_entries = { events = 4096 }
//   libbpf = "1.5"                      # the libbpf its loader runs with
//
// "unknown" says user space sets a value only it knows: an attach target
// then goes unchecked, and code a rodata variable guards is reachable only
// for some of its values, which the check names. `libbpf` has the object
// judged by that release's rules (abi/libbpf/libbpf_version.h); `--libbpf`
// wins over it.
#ifndef KCONTRACT_ABI_PROFILE_LOAD_PROFILE_H_
#define KCONTRACT_ABI_PROFILE_LOAD_PROFILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/libbpf/libbpf_version.h"
#include "btfdiff/base/diagnostic.h"

namespace kcontract {

inline constexpr int kLoadProfileFormatVersion = 1;

struct RodataSetting {
  std::string variable;
  std::optional<uint64_t> value;  // nullopt: "unknown", set by user space at run time
  SourceLocation location;
};

struct AttachSetting {
  std::string program;
  std::optional<std::string> target;  // nullopt: "unknown", chosen at run time
  SourceLocation location;
};

struct MapSizeSetting {
  std::string map;
  uint32_t max_entries = 0;
  SourceLocation location;
};

struct ObjectProfile {
  std::string name;    // glob over the object's file name; empty when matched by sha256
  std::string sha256;  // lowercase hex; empty when matched by name
  std::vector<std::string> autoload_off;
  SourceLocation autoload_off_location;  // of the autoload_off array
  std::vector<AttachSetting> attach;
  std::vector<RodataSetting> rodata;
  std::vector<MapSizeSetting> map_max_entries;
  std::optional<LibbpfVersion> libbpf;  // the release its loader runs with
  SourceLocation libbpf_location;
  SourceLocation location;

  const RodataSetting* FindRodata(std::string_view variable) const;
  const AttachSetting* FindAttach(std::string_view program) const;
  bool AutoloadOff(std::string_view program) const;
};

struct LoadProfile {
  std::string path;
  std::vector<ObjectProfile> objects;
};

struct LoadProfileReadResult {
  std::optional<LoadProfile> profile;  // nullopt when any error was found
  std::vector<Diagnostic> diagnostics;  // located errors and warnings
};

// Never fails otherwise: every mistake is a located diagnostic.
LoadProfileReadResult ParseLoadProfile(std::string_view text, const std::string& path);
// Reads the file at `path` (bounded in size) and parses it.
LoadProfileReadResult ReadLoadProfile(const std::string& path);

// Every profile given (`--load-profile`, repeatable), in order, with their
// diagnostics: `profiles` is complete only when none is an error.
struct LoadProfileSet {
  std::vector<LoadProfile> profiles;
  std::vector<Diagnostic> diagnostics;
  bool has_errors() const;
};
LoadProfileSet ReadLoadProfiles(const std::vector<std::string>& paths);

// The entry for an object: one matching its sha256 first, else the first
// whose name glob matches the file name of `object_path` (for an object
// embedded in a file, "file@0x1000", the embedding file's name). nullptr
// when none does.
const ObjectProfile* FindObjectProfile(const std::vector<LoadProfile>& profiles,
                                       std::string_view object_path, std::string_view sha256);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_PROFILE_LOAD_PROFILE_H_
