// How types are named. Kernel types as contracts name them: "struct
// task_struct", "union bpf_attr", "enum bpf_map_type", and a typedef by its
// bare name ("u64"), so that the name says which BTF type is meant, as it
// would in C. CO-RE names: the essential name without its ___flavour.
#ifndef KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_
#define KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"

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

struct KernelTypeLocation {
  const Btf* btf = nullptr;            // the blob holding the type
  TypeId id;
  std::optional<std::string> module;   // nullopt for vmlinux
};

// Every named type of a kernel that a kernel_type interface can name, by
// its contract name; built once per kernel. When a name repeats, the first
// one wins: vmlinux before the modules (whose split BTF refers to vmlinux's
// types rather than repeating them), and within a blob the lowest id.
class KernelTypeIndex {
 public:
  explicit KernelTypeIndex(const KernelBtf& kernel);

  // `name` as contracts write it; a bare name that is no typedef also finds
  // the struct, union or enum of that name.
  std::optional<KernelTypeLocation> Find(std::string_view name) const;

 private:
  void AddBlob(const Btf& btf, const std::optional<std::string>& module);

  absl::flat_hash_map<std::string, KernelTypeLocation> by_name_;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_
