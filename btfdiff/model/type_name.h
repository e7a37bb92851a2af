// How types are named. Kernel types as contracts name them: "struct
// task_struct", "union bpf_attr", "enum bpf_map_type", and a typedef by its
// bare name ("u64"), so that the name says which BTF type is meant, as it
// would in C. CO-RE names: the essential name without its ___flavour.
#ifndef KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_
#define KCONTRACT_BTFDIFF_MODEL_TYPE_NAME_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

// The contract name of a named STRUCT, UNION, ENUM, ENUM64 or TYPEDEF;
// empty for anonymous types and for every other kind.
std::string KernelTypeInterfaceName(const Btf& btf, TypeId id);

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
