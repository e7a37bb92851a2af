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
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "btfdiff/model/kernel_btf.h"

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

// Candidate types of one kernel, indexed by essential name on first use
// (objects without CO-RE relocations never pay for it) and shared by every
// object checked against that kernel. Not thread-safe.
class CoreTargetIndex {
 public:
  explicit CoreTargetIndex(const KernelBtf& kernel);

  struct Candidate {
    const Btf* btf;
    TypeId id;
  };
  // libbpf's search: vmlinux first; modules only when vmlinux has none.
  std::vector<Candidate> Find(std::string_view essential_name, uint32_t local_kind) const;

 private:
  struct Entry {
    uint32_t blob;  // 0 = vmlinux, i = modules[i - 1]
    TypeId id;
  };
  void Build() const;
  std::vector<Candidate> Scan(std::string_view essential_name, uint32_t local_kind) const;

  std::vector<const Btf*> blobs_;
  mutable int lookups_ = 0;
  // Keys point into the kernel's BTF string sections, which outlive this.
  mutable bool built_ = false;
  mutable absl::flat_hash_map<std::string_view, absl::InlinedVector<Entry, 1>> by_name_;
};

CoreResult ResolveCoreRelocation(const Btf& local, const CoreRelocation& relocation,
                                 const CoreTargetIndex& targets);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_CORE_MATCHER_H_
