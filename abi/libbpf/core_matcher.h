// RevisionMatcher's sibling for CO-RE: resolves one CO-RE relocation of an
// object against a kernel's BTF by libbpf 1.1.2's rules (candidate types by
// essential name, access-spec matching, field compatibility, value
// calculation, ambiguity), and says what libbpf would do: patch it, patch it
// to 0 (existence checks), poison the instruction, or fail the load.
#ifndef KCONTRACT_ABI_LIBBPF_CORE_MATCHER_H_
#define KCONTRACT_ABI_LIBBPF_CORE_MATCHER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "abi/object/bpf_object.h"
#include "btfdiff/model/name_index.h"

namespace kcontract {

enum class CoreOutcome {
  kResolved,   // patched with the kernel's value
  kAbsent,     // target not found; an existence/type relocation becomes 0 (not an error)
  kPoisoned,   // instruction replaced by an invalid call: the verifier rejects it if reachable
  kFailed,     // libbpf refuses to load the object
};

std::string_view CoreOutcomeName(CoreOutcome outcome);

struct CoreResult {
  CoreOutcome outcome = CoreOutcome::kResolved;
  uint64_t local_value = 0;
  uint64_t target_value = 0;
  std::string target_path;  // where it resolved, e.g. "task_struct->mm->def_flags"
  std::string reason;       // for kAbsent/kPoisoned/kFailed: what is missing or wrong
};

// Candidates come from the kernel's name index (KernelNameIndex::
// CoreCandidates), shared by every object checked against that kernel.
CoreResult ResolveCoreRelocation(const Btf& local, const CoreRelocation& relocation,
                                 const KernelNameIndex& kernel_names);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_CORE_MATCHER_H_
