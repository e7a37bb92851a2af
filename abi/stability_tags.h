// Stability published in a kernel's own BTF: decl tags of the form
//   kcontract:<level>[:<key>=<value>]...   (keys: since, remove, use, optin)
// on a kfunc's FUNC, on a struct_ops (or kernel) type, or on one member of
// a callback table. STABILITY.md gives the grammar and the precedence.
#ifndef KCONTRACT_ABI_STABILITY_TAGS_H_
#define KCONTRACT_ABI_STABILITY_TAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "abi/contract.h"
#include "absl/status/statusor.h"
#include "btfdiff/kernel_btf.h"

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

// One contract (origin kKernelBtf, path "btf:<kernel label>") with an
// interface per tagged kfunc, struct_ops type or member, and kernel type.
// Malformed tags are skipped with a warning naming the tag and the type.
Contract ReadStabilityTags(const KernelBtf& kernel, std::vector<std::string>* warnings);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_STABILITY_TAGS_H_
