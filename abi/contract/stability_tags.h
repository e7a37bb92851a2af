// Stability published in a kernel's own BTF: decl tags of the form
//   kcontract:<level>[:<key>=<value>]...   (keys: since, remove, use, optin)
// on a kfunc's FUNC, on a struct_ops (or kernel) type, or on one member of
// a callback table. STABILITY.md gives the grammar and the precedence.
#ifndef KCONTRACT_ABI_CONTRACT_STABILITY_TAGS_H_
#define KCONTRACT_ABI_CONTRACT_STABILITY_TAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/contract/contract.h"
#include "absl/status/statusor.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

struct StabilityTag {
  Stability level = Stability::kStable;
  std::string since;
  std::string remove;
  std::string use;
  std::string opt_in;
};

// Parses one tag's text; an error names what is wrong with it. Text not
// starting with "kcontract:" is not a stability tag (NotFound).
absl::StatusOr<StabilityTag> ParseStabilityTag(std::string_view text);

// One contract (origin kKernelBtf, name and path "btf:<release>", or
// "btf:<source>" when the kernel names no release) with an interface per
// tagged target, in vmlinux and every module:
//   FUNC (the whole function)           -> kfunc, whether or not bpf_kfunc
//   STRUCT wrapped by bpf_struct_ops_*  -> struct_ops "table"
//   a member of such a table            -> struct_ops_member "table.member"
//   other named STRUCT/UNION/ENUM/TYPEDEF -> kernel_type, named as in C
//                                          ("struct x", "union y", "enum z", "t")
// Interfaces carry no revisions, location {"btf:<label>", 0, 0}, and the
// module that owns the target ("" for vmlinux). A malformed or misplaced
// tag never fails the read: it is skipped with a warning
//   "<label>: BTF decl tag '<text>' on <target>: <what is wrong>";
// of two different tags on one interface the stricter is kept, with one.
// `warnings` may be nullptr.
Contract ReadStabilityTags(const KernelBtf& kernel, std::vector<std::string>* warnings);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_CONTRACT_STABILITY_TAGS_H_
