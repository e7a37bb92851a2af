// Reads a BPF object's ObjectCode (object_code.h) from its ELF layer.
#ifndef KCONTRACT_ABI_OBJECT_CODE_READER_H_
#define KCONTRACT_ABI_OBJECT_CODE_READER_H_

#include <optional>

#include "abi/object/bpf_object.h"
#include "abi/object/btf_ext.h"
#include "abi/object/object_elf.h"
#include "abi/object/programs.h"

namespace kcontract {

// object->code: the code sections, functions, relocations of instructions,
// data sections with their BTF variables, and .BTF.ext line info.
void CollectCode(const ObjectElf& elf, const FunctionTable& functions,
                 const std::optional<BtfExt>& btf_ext, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_CODE_READER_H_
