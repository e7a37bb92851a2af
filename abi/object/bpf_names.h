// libbpf's names for what a BPF object declares: the program type, attach
// type and attach target a section name stands for, and map type names.
// (Helper names: BpfHelperName in bpf_object.h.)
#ifndef KCONTRACT_ABI_OBJECT_BPF_NAMES_H_
#define KCONTRACT_ABI_OBJECT_BPF_NAMES_H_

#include <cstdint>
#include <string>

#include "abi/object/bpf_object.h"

namespace kcontract {

// Sets program->prog_type, attach_type and attach_target from
// program->section, as libbpf reads the section name.
void ClassifySection(BpfProgram* program);

// libbpf's name of a map type ("hash", "struct_ops"); "" when unknown.
std::string MapTypeName(uint32_t type);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_BPF_NAMES_H_
