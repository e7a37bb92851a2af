// The variables of a BPF object's read-only data sections (.rodata and
// .rodata.*, from their BTF DATASEC), their initial bytes, and the programs
// that read them: what a loader may set before load (`const volatile`
// variables) and what a load profile may name.
#ifndef KCONTRACT_ABI_OBJECT_RODATA_H_
#define KCONTRACT_ABI_OBJECT_RODATA_H_

#include "abi/object/bpf_object.h"
#include "abi/object/object_elf.h"
#include "abi/object/programs.h"

namespace kcontract {

// Appends the variables to object->rodata from object->code (CollectCode
// first) and object->btf; nothing without BTF.
void CollectRodata(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_RODATA_H_
