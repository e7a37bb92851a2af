// ProgramImage: one BPF program as the kernel's verifier receives it after
// libbpf has opened, relocated and linked it for a kernel: its instructions
// with the subprograms it calls appended (libbpf's layout), CO-RE values
// patched in, poisoned instructions replaced by libbpf's invalid call, and
// what each 64-bit load of an address refers to. The reach analysis
// (reach_analysis.h) reads only this; program_linker.h builds it from an
// object and a kernel.
#ifndef KCONTRACT_ABI_REACH_PROGRAM_IMAGE_H_
#define KCONTRACT_ABI_REACH_PROGRAM_IMAGE_H_

#include <linux/bpf.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kcontract {

// libbpf's replacement of an instruction it could not relocate: a call of
// this helper id, which no kernel has ("invalid func unknown#195896080").
inline constexpr int32_t kPoisonedCallId = 0xbad2310;

// Memory a program reads through a map-value pointer: an internal map
// (.rodata, .kconfig, .data, .bss) or the value of another map.
struct DataRegion {
  std::string name;
  // A frozen map the program may only read (.rodata, .kconfig): the
  // verifier reads its bytes and treats what it loads as constants.
  bool read_only = false;
  std::vector<uint8_t> bytes;  // contents at load; reads beyond them are unknown
  // Variables whose value user space sets before the load and that no one
  // told kcontract (the load profile's "unknown"): reads of exactly one of
  // them give an unknown value named after it.
  struct LoaderSet {
    std::string name;
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  std::vector<LoaderSet> loader_set;
};

// What a BPF_LD_IMM64 loads once libbpf relocated it, when more than a
// number: libbpf writes map file descriptors and kernel BTF ids the analysis
// has no use for.
struct LoadedAddress {
  enum class Kind {
    kMapValue,      // a pointer into `region`, at `offset`
    kMap,           // a map (for helpers); never null
    kKernelObject,  // a resolved typed ksym or kfunc address; never null
  };
  Kind kind = Kind::kMap;
  int region = -1;
  int64_t offset = 0;
};

struct Subprogram {
  uint32_t start = 0;  // instruction index in ProgramImage::insns
  std::string name;
  // A global (non-static) function: the verifier checks it on its own, with
  // arguments it knows nothing of, and a call of it returns an unknown value.
  bool global = false;
};

struct ProgramImage {
  std::string name;
  std::vector<bpf_insn> insns;
  // Sorted by start; the first is the program itself, at 0.
  std::vector<Subprogram> subprograms;
  std::vector<DataRegion> regions;
  // By the index of the LD_IMM64's first instruction. An LD_IMM64 that is not
  // here and has src_reg 0 loads its 64-bit immediate.
  std::map<uint32_t, LoadedAddress> addresses;
  // The instructions whose reachability is asked for: poisoned instructions,
  // calls of unresolved weak kfuncs. Reaching one ends the path: the
  // verifier rejects the program there.
  std::set<uint32_t> watched;
};

}  // namespace kcontract

#endif  // KCONTRACT_ABI_REACH_PROGRAM_IMAGE_H_
