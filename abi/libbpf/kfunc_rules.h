// How a libbpf release resolves a kfunc extern against a kernel: by the
// extern's full name, or from 1.3 by its essential name (bpf_foo___v2 is
// the kernel's bpf_foo); with a prototype libbpf finds incompatible, the
// object is refused, or from 1.3 a weak extern is left unresolved.
#ifndef KCONTRACT_ABI_LIBBPF_KFUNC_RULES_H_
#define KCONTRACT_ABI_LIBBPF_KFUNC_RULES_H_

#include <optional>
#include <string>

#include "abi/libbpf/libbpf_version.h"
#include "abi/libbpf/type_rules.h"
#include "abi/object/bpf_object.h"
#include "btfdiff/model/name_index.h"

namespace kcontract {

struct KfuncResolution {
  std::string lookup;             // the name libbpf looks up
  std::optional<NamedType> found;  // the kernel's FUNC of that name
  Compat compat = Compat::kYes;   // the prototypes, when found
  // libbpf sets the calls' BTF id (and the address ld_imm64 loads).
  bool resolved = false;
  // Found, incompatible, weak, and left unresolved rather than refused.
  bool weak_incompatible = false;
};

KfuncResolution ResolveKfunc(const Btf& local, const BpfExtern& ext, const KernelNameIndex& names,
                             LibbpfVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_KFUNC_RULES_H_
