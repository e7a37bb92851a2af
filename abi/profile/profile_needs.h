// What a load profile would need to say of an object (`kcontract object
// show`): the programs whose attach target the loader must set, or turn off,
// and the `const volatile` rodata variables programs read, whose values the
// loader may set before load.
//
// A program's attach target is a placeholder when it takes a BTF attach
// target at load (fentry, fexit, fmod_ret, tp_btf, lsm, iter, freplace) and
//  - it is freplace: it replaces a function of another BPF program, which
//    only the loader can give (the program's fd);
//  - its section names no target (SEC("fentry")): libbpf refuses to load it
//    unless the loader sets one;
//  - the target is not in the kernel looked at (the running one unless told
//    otherwise), as libbpf looks it up (`btf_trace_<name>` for tp_btf...);
//  - or the target is named like a placeholder: `dummy`, `placeholder`, or a
//    name beginning `dummy_` or `placeholder_` (libbpf-tools' `dummy_fentry`,
//    `dummy_kprobe` convention), even when a kernel happens to have a
//    function of that name.
// kprobes and tracepoints are not listed: they choose their target when they
// attach, after the load.
#ifndef KCONTRACT_ABI_PROFILE_PROFILE_NEEDS_H_
#define KCONTRACT_ABI_PROFILE_PROFILE_NEEDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "abi/object/bpf_object.h"
#include "abi/profile/load_profile.h"
#include "btfdiff/model/name_index.h"

namespace kcontract {

struct AttachPlaceholder {
  std::string program;
  std::string section;
  std::string target;  // "" when the section names none
  std::string reason;  // why the loader sets it (or turns the program off)
  // With a load profile applied: what it says the loader does about it.
  std::optional<std::string> profile_says;
};

struct LoaderRodata {
  const RodataVariable* variable = nullptr;  // into the object
  // The initial value as a number, for integer variables of 1, 2, 4 or 8
  // bytes (signed when the type is), else nullopt.
  std::optional<int64_t> initial_signed;
  std::optional<uint64_t> initial_unsigned;
  std::string initial_text;  // "0", "true", "\"kc\"", or hex bytes
  // With a load profile applied: the value it says the loader writes.
  std::optional<std::string> profile_says;
};

struct ProfileNeeds {
  std::string profile;  // the entry applied ("tools.toml:3:1"), "" when none
  std::vector<AttachPlaceholder> placeholders;
  std::vector<LoaderRodata> rodata;  // const volatile, read by a program
};

// Whether finding the needs looks anything up in a kernel: some program
// names a kernel attach target.
bool NeedsKernelForPlaceholders(const BpfObject& object);

// `kernel` (nullable) is where targets are looked up; `kernel_label` names
// it in the reasons.
ProfileNeeds FindProfileNeeds(const BpfObject& object, const KernelNameIndex* kernel,
                              const std::string& kernel_label);

// What `entry` (nullable: no profile describes the object) says of each
// need, for `object show --load-profile`: each placeholder's program turned
// off, its target set (or "unknown"), or nothing said; each variable's value
// written, "unknown", or its initial value kept. `label` locates the entry.
void AddProfileCoverage(const ObjectProfile* entry, const std::string& label,
                        ProfileNeeds* needs);

// A placeholder's name, by the rule above.
bool IsPlaceholderName(std::string_view target);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_PROFILE_PROFILE_NEEDS_H_
