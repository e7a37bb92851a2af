// Memory a BPF program lays out itself and hands to a kfunc: a struct of
// scalars behind a pointer argument (the verifier's "memory the program
// provides"), such as conntrack's struct bpf_ct_opts. The program compiles
// its layout in (no CO-RE relocates its own stack), so what matters in a
// change is the bytes, not the member names: what callers built for the old
// layout write where, and how much of it the kernel reads.
//
// When the next argument is the memory's size (`<name>__sz`, as in
// bpf_xdp_ct_lookup(..., struct bpf_ct_opts *opts, u32 opts__sz)), the struct
// is caller-sized: callers pass how much they provide, so a struct that grows
// at its end still works for callers passing the old size, provided the
// kernel accepts that size. Which sizes a kernel accepts is in its code, not
// in BTF; a constant the kernel names the size by (NF_BPF_CT_OPTS_SZ) is
// quoted when its BTF has one. Bytes the old layout reserved (members named
// reserved, pad, unused) are left zero by callers, so a member that takes
// them is compatible as far as the BTF can tell.
#ifndef KCONTRACT_BTFDIFF_DIFF_CALLER_MEMORY_H_
#define KCONTRACT_BTFDIFF_DIFF_CALLER_MEMORY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "btfdiff/diff/diff_classify.h"
#include "btfdiff/diff/type_comparison.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

// How programs meet a struct as their own memory.
struct CallerMemory {
  MemoryOwner owner = MemoryOwner::kKernel;
  std::string kfunc;       // the first kfunc found taking it: "bpf_skb_ct_alloc"
  uint32_t argument = 0;   // its position there, from 1
  std::string size_param;  // kProgramSized: the size argument's name, "opts__sz"

  bool program_provided() const { return owner != MemoryOwner::kKernel; }
  // "bpf_skb_ct_alloc argument 4"
  std::string User() const;
};

// A member name that says "reserved": one of its words (between underscores
// and digits, any case) is reserved, rsvd, resv, pad, padding or unused.
bool IsReservedName(std::string_view name);

// "NF_BPF_CT_OPTS_SZ 12 -> 16": an enumerator of each kernel whose name holds
// the struct's name in capitals and ends in _SZ or _SIZE, and whose value is
// that kernel's size of the struct; "" when the kernels name none.
std::string SizeConstantChange(const Btf& old_btf, const Btf& new_btf,
                               std::string_view struct_name, uint64_t old_size,
                               uint64_t new_size);

Classification ClassifyCallerSizeChange(std::string_view type_name, uint64_t old_size,
                                        uint64_t new_size, const CallerMemory& memory,
                                        std::string_view size_constant);

// A member change of program-provided memory; `diff` is the whole type's.
Classification ClassifyCallerMemberChange(const MemberChange& change, const NamedTypeDiff& diff,
                                          const TypeComparison& comparison,
                                          const CallerMemory& memory);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_CALLER_MEMORY_H_
