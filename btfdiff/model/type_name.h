// How types are named. Kernel types as contracts name them: "struct
// task_struct", "union bpf_attr", "enum bpf_map_type", and a typedef by its
// bare name ("u64"), so that the name says which BTF type is meant, as it
// would in C. CO-RE names: the essential name without its ___flavour.
#ifndef KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_
#define KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "btfdiff/model/btf.h"

namespace kcontract {

// The C keyword that names a kind's types: "struct", "union", "enum" (ENUM
// and ENUM64); empty for every other kind.
std::string_view KindKeyword(uint32_t kind);

// A type's name as C writes it: "struct task_struct", "enum x" (an anonymous
// one is the bare keyword and a space); the bare name for every other kind.
std::string TypeNameWithKeyword(const Btf& btf, TypeId id);

// The contract name of a named STRUCT, UNION, ENUM, ENUM64 or TYPEDEF;
// empty for anonymous types and for every other kind.
std::string KernelTypeInterfaceName(const Btf& btf, TypeId id);

// A C type name split at its keyword: "struct task_struct" -> {"struct",
// "task_struct"}; "u64" -> {"", "u64"}. Only "struct", "union" and "enum"
// followed by one space are keywords.
struct KeywordAndName {
  std::string_view keyword;
  std::string_view name;
};
KeywordAndName SplitKindKeyword(std::string_view c_name);

// "task_struct___old" -> "task_struct": the name without its ___flavour.
std::string_view EssentialName(std::string_view name);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_
