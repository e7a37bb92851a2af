// One kernel's named types by name: the one index behind every lookup that
// starts from a name. libbpf's (name, kind) lookup of externs, struct_ops
// types and attach targets; CO-RE candidates by essential name; contract
// names ("struct task_struct", "u64"). Keyed by essential name, so that a
// flavoured name ("task_struct___old") and its essential name share a key.
// Each kernel has one (KernelBtf::names()), whoever asks: the checker, the
// CO-RE matcher and the revision matcher share it.
#ifndef KCONTRACT_BTFDIFF_MODEL_NAME_INDEX_H_
#define KCONTRACT_BTFDIFF_MODEL_NAME_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

class KernelBtf;

// A named type of a kernel and the blob that holds it.
struct NamedType {
  const Btf* btf = nullptr;
  TypeId id;
  const std::string* module = nullptr;  // nullptr: vmlinux
};

// Blob order is libbpf's: vmlinux, then the modules in KernelBtf::modules
// order; within a blob, lowest id first. Not thread-safe.
class KernelNameIndex {
 public:
  // Lookups answered by scanning the blobs before the index is built: a few
  // lookups (one object's externs and CO-RE roots) cost less as scans, as
  // libbpf does them, than indexing 100k+ types; many lookups index.
  // Measured on the shared kernels (100k-127k types, Release): a scan
  // 0.2-1.4 ms, the index 5-8 ms (both about double on a loaded machine),
  // so it pays from about a dozen lookups; no object of the test corpus
  // makes that many alone.
  static constexpr int kDefaultScannedLookups = 12;

  // `kernel` (its blobs and module names) must outlive the index and not
  // change. `scanned_lookups`: see kDefaultScannedLookups (tests vary it).
  explicit KernelNameIndex(const KernelBtf& kernel,
                           int scanned_lookups = kDefaultScannedLookups);

  // libbpf's lookup of a ksym, kfunc or attach target: the lowest id of
  // `kind` named exactly `name` in vmlinux, else in the first module that
  // has one.
  std::optional<NamedType> Find(std::string_view name, uint32_t kind) const;
  // The same in vmlinux alone (libbpf 1.1 looks struct_ops types up there).
  std::optional<NamedType> FindInVmlinux(std::string_view name, uint32_t kind) const;

  // CO-RE candidates (bpf_core_find_cands): every type whose essential name
  // is `essential_name` and whose kind is CO-RE compatible with
  // `local_kind`, from vmlinux; from every module only when vmlinux has none.
  std::vector<NamedType> CoreCandidates(std::string_view essential_name,
                                        uint32_t local_kind) const;

  // A kernel type by its contract name: "struct x", "union x", "enum x"
  // (ENUM or ENUM64), or a typedef's bare name; a bare name that no typedef
  // has finds the struct, else the union, else the enum of that name. The
  // first in blob order wins.
  std::optional<NamedType> FindKernelType(std::string_view contract_name) const;

  // True once the lookups have made it build its index.
  bool built() const { return built_; }
  // Builds the index now. Lookups build it lazily, which is not safe from
  // several threads at once; once built, lookups only read, so a caller
  // checking many objects on threads (the packaging gate) builds it first.
  void BuildNow() const {
    if (!built_) Build();
  }

 private:
  struct Blob {
    const Btf* btf;
    const std::string* module;
  };
  struct Entry {
    uint32_t blob;
    uint32_t id;
    uint8_t kind;
    bool flavoured;  // the name is longer than its essential name (the key)
  };

  // Calls visit(type, kind, name) for each type whose essential name is
  // `essential` and whose kind is in `kinds` (a bit per BTF_KIND_*), in
  // blob order, until it returns true; vmlinux's only when `vmlinux_only`.
  template <typename Visit>
  void ForEachNamed(std::string_view essential, uint32_t kinds, bool vmlinux_only,
                    Visit visit) const;
  std::optional<NamedType> FindExact(std::string_view name, uint32_t kind,
                                     bool vmlinux_only) const;
  void Build() const;

  std::vector<Blob> blobs_;
  bool has_vmlinux_ = false;
  int scanned_lookups_;
  mutable int lookups_ = 0;
  mutable bool built_ = false;
  // Keys point into the kernel's BTF string sections, which outlive this.
  mutable absl::flat_hash_map<std::string_view, absl::InlinedVector<Entry, 1>> by_name_;
  struct ScanEntry {
    uint32_t blob;
    uint32_t id;
    // The name's first 8 bytes (zero after its end): most names are told
    // apart here, without a call into libbpf or a read of the strings.
    uint64_t prefix;
  };
  // Before the index is built: the named types of each set of kinds scanned.
  mutable absl::flat_hash_map<uint32_t, std::vector<ScanEntry>> scan_lists_;
  // CoreCandidates' answers, by (essential name, kind bits).
  mutable absl::flat_hash_map<std::pair<std::string, uint32_t>, std::vector<NamedType>>
      core_candidates_;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_NAME_INDEX_H_
