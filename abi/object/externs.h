// The externs of a BPF object, as libbpf resolves them against the kernel:
// kfuncs and ksym variables (.ksyms) and kconfig values (.kconfig).
#ifndef KCONTRACT_ABI_OBJECT_EXTERNS_H_
#define KCONTRACT_ABI_OBJECT_EXTERNS_H_

#include "abi/object/bpf_object.h"
#include "abi/object/object_elf.h"

namespace kcontract {

// The names of the ELF's extern symbols into object->extern_symbols; then
// the externs the object's BTF declares (object->btf read first) to
// object->externs, each weak when its ELF symbol is.
void CollectExterns(const ObjectElf& elf, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_EXTERNS_H_
