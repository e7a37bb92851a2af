// The maps of a BPF object: BTF-defined maps in .maps, and struct_ops maps
// in .struct_ops, .struct_ops.link and their optional "?" forms with the
// programs and data members they set.
#ifndef KCONTRACT_ABI_OBJECT_MAPS_H_
#define KCONTRACT_ABI_OBJECT_MAPS_H_

#include "abi/object/bpf_object.h"
#include "abi/object/object_elf.h"
#include "abi/object/programs.h"
#include "absl/status/status.h"

namespace kcontract {

// Appends the object's maps to object->maps (object->btf read first), with
// warnings for what libbpf 1.x refuses or ignores. Fails on a map whose BTF
// is not a struct or whose bytes lie outside its section.
absl::Status CollectMaps(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_MAPS_H_
