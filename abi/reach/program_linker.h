// LinkProgram: one program of a BPF object laid out as libbpf hands it to
// the kernel (bpf_object__relocate): the program's function, then each
// subprogram it calls appended in the order libbpf appends them, with call
// and function-pointer offsets fixed; CO-RE values patched in and poisoned
// instructions replaced by libbpf's invalid call; data, map and extern
// references turned into what the verifier sees. What depends on the kernel
// (CO-RE results, which externs resolve, kconfig values) and on the loader
// (rodata it sets) comes in LinkFacts, so that this knows no kernel.
#ifndef KCONTRACT_ABI_REACH_PROGRAM_LINKER_H_
#define KCONTRACT_ABI_REACH_PROGRAM_LINKER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "abi/object/bpf_object.h"
#include "abi/reach/program_image.h"
#include "absl/status/statusor.h"

namespace kcontract {

// An instruction of the object: its section's ELF index and its index there.
using InsnSite = std::pair<uint32_t, uint32_t>;

// What libbpf writes into a CO-RE-relocated instruction.
struct CorePatch {
  bool poisoned = false;
  uint64_t value = 0;  // the relocated value (0 for an existence check found false)
};

struct LoaderSetRodata {
  std::string variable;
  std::optional<uint64_t> value;  // nullopt: set by user space to a value kcontract cannot know
};

struct LinkFacts {
  std::map<InsnSite, CorePatch> core;
  // Weak externs libbpf leaves unresolved: kfunc calls keep BTF id 0, ksym
  // addresses are 0.
  std::set<std::string> absent_externs;
  // Each kconfig extern's bytes as libbpf writes them (little-endian, the
  // extern's size); an extern not here reads as unknown.
  std::map<std::string, std::vector<uint8_t>> kconfig;
  // .rodata variables the loader sets before load.
  std::vector<LoaderSetRodata> rodata;
  // Watch calls of absent weak kfuncs (kernels >= 6.4 reject only the ones
  // they reach; older kernels reject them all, reached or not).
  bool watch_absent_kfunc_calls = true;
  // Instructions the verifier rejects, as they are, where it reaches them
  // (one naming a register past r10): watched and left unrelocated.
  std::set<InsnSite> rejected;
};

struct LinkedProgram {
  ProgramImage image;
  // For each image instruction, where it came from.
  std::vector<InsnSite> origin;
  // The watched instructions by site: poisoned ones, absent kfunc calls and
  // the rejected ones.
  std::map<InsnSite, uint32_t> watched_sites;
};

// Fails (naming the program) when the object's code does not let libbpf
// link it either: a call into no function, a function outside .text.
absl::StatusOr<LinkedProgram> LinkProgram(const BpfObject& object, std::string_view program,
                                          const LinkFacts& facts);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REACH_PROGRAM_LINKER_H_
