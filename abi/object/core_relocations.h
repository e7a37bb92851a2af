// The CO-RE relocations of a BPF object (.BTF.ext): per instruction, the
// local type and access path libbpf relocates against the kernel's BTF,
// with the path rendered as C ("task_struct->mm->def_flags").
#ifndef KCONTRACT_ABI_OBJECT_CORE_RELOCATIONS_H_
#define KCONTRACT_ABI_OBJECT_CORE_RELOCATIONS_H_

#include "abi/object/bpf_object.h"
#include "abi/object/btf_ext.h"
#include "abi/object/object_elf.h"
#include "abi/object/programs.h"
#include "absl/status/status.h"

namespace kcontract {

// Appends the relocations of `btf_ext` to object->core_relocations. Fails,
// as libbpf does, on a relocation outside a code section, of an unknown
// kind, or whose access spec does not walk the local type.
absl::Status CollectCoreRelocations(const ObjectElf& elf, const FunctionTable& functions,
                                    const BtfExt& btf_ext, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_CORE_RELOCATIONS_H_
