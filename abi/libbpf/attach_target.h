// Which programs libbpf 1.1.2 gives a BTF attach target at load (its
// SEC_ATTACH_BTF sections), and how it looks the target up: a kernel
// function (fentry, fexit, fmod_ret), `btf_trace_<name>` (tp_btf),
// `bpf_lsm_<name>` (lsm), `bpf_iter_<name>` (iter), or a function of
// another BPF program (freplace, given at run time by its fd).
#ifndef KCONTRACT_ABI_LIBBPF_ATTACH_TARGET_H_
#define KCONTRACT_ABI_LIBBPF_ATTACH_TARGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "abi/object/bpf_object.h"

namespace kcontract {

struct BtfAttach {
  std::string_view section;     // libbpf's section name: "fentry", "tp_btf", "freplace"...
  bool kernel = true;           // false: freplace (a function of another BPF program)
  std::string_view btf_prefix;  // "btf_trace_" for tp_btf
  uint32_t btf_kind = 0;        // BTF_KIND_FUNC, BTF_KIND_TYPEDEF
  // "fentry/do_unlinkat" names one; a bare "fentry" leaves it to the loader
  // (bpf_program__set_attach_target), and libbpf refuses to load the
  // program without it.
  bool section_names_target = false;
};

// nullopt for programs that take no BTF attach target at load (kprobes,
// tracepoints, XDP...: theirs, if any, is chosen when they attach).
std::optional<BtfAttach> BtfAttachOf(const BpfProgram& program);

// The kernel BTF name libbpf looks up for `target`: "btf_trace_sched_switch".
std::string KernelAttachName(const BtfAttach& attach, std::string_view target);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_ATTACH_TARGET_H_
