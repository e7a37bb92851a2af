// Pairwise comparison of two BTF type graphs: an old kernel's and a new
// one's. Two questions, both memoised per (old TypeId, new TypeId) pair:
//
//  - CompareRefs: do two type *references* (an argument's type, a member's
//    type) denote the same type? Structure is compared, with names where C
//    has them: a named struct, union or enum is the same type when its kind
//    and name are (its contents are a separate question, asked once per
//    type, so that a change inside `struct sock` is reported once at
//    `struct sock`, not at every pointer to it). Typedef names and
//    qualifiers are told apart from structure, so that a typedef-only rename
//    (`u32` for `__u32`) is recognised as one.
//
//  - DiffNamed: what changed inside one named type: members added, removed,
//    moved, resized or retyped (members of anonymous structs and unions
//    flattened in, as C and CO-RE reach them), its size, its enumerators;
//    and which other named types it leads to (the graph edges a
//    reachability walk follows).
//
// Type graphs are cyclic. Named types stop CompareRefs' recursion, and the
// walk over named pairs visits each pair once; anonymous types, function
// prototypes and hostile BTF can still form cycles inside CompareRefs, where
// a pair already in progress is assumed equal (coinduction, as STG and
// libabigail do) and the result of a strongly connected set of pairs is
// fixed only when the whole set is done (SccTracker, scc.h).
#ifndef KCONTRACT_BTFDIFF_DIFF_TYPE_COMPARISON_H_
#define KCONTRACT_BTFDIFF_DIFF_TYPE_COMPARISON_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "btfdiff/diff/scc.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

struct RefComparison {
  // Equal once typedef names and qualifiers are set aside.
  bool same_shape = true;
  // Some typedef on the way has another name (or is gone, or is new).
  bool typedef_names_differ = false;
  // const, volatile, restrict or a type tag (__rcu, __user...) differs.
  bool qualifiers_differ = false;

  bool Identical() const { return same_shape && !typedef_names_differ && !qualifiers_differ; }
  // Identical shape behind other typedef names: a typedef-only rename.
  bool TypedefOnly() const { return same_shape && typedef_names_differ && !qualifiers_differ; }
};

// A member of a named struct or union as C reaches it: members of anonymous
// structs and unions are flattened in, with offsets from the outer start,
// and so are those of a named member whose type is anonymous, by their
// path ("icsk_ack.pending"), as CO-RE accesses name them.
struct FlatMember {
  std::string name;
  TypeId type;
  uint32_t bit_offset = 0;
  uint32_t bitfield_size = 0;  // 0: not a bitfield
};

enum class MemberChangeKind : uint8_t { kAdded, kRemoved, kMoved, kResized, kRetyped };

struct MemberChange {
  MemberChangeKind kind = MemberChangeKind::kAdded;
  std::optional<FlatMember> old_member;  // absent when added
  std::optional<FlatMember> new_member;  // absent when removed
  uint64_t old_bits = 0;  // the member's size in bits (bitfield width, or type size)
  uint64_t new_bits = 0;
  RefComparison types;    // for kRetyped
};

enum class EnumeratorChangeKind : uint8_t { kAdded, kRemoved, kValueChanged };

struct EnumeratorChange {
  EnumeratorChangeKind kind = EnumeratorChangeKind::kAdded;
  std::string_view name;
  int64_t old_value = 0;
  int64_t new_value = 0;
};

// A named type pair that a type (or an interface's prototype) leads to.
struct TypeEdge {
  TypeId old_type;
  TypeId new_type;
  // Pointers followed on the way: 0 for a member embedded by value.
  uint32_t pointer_hops = 0;
  std::string via;  // the member it is reached through; empty at a prototype
};

struct NamedTypeDiff {
  bool comparable = false;  // both complete types of one kind (not a FWD)
  bool is_enum = false;
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<MemberChange> members;        // in old member order, additions last
  std::vector<EnumeratorChange> enumerators;
  std::vector<TypeEdge> edges;              // through members present on both sides
  bool Changed() const {
    return comparable && (old_size != new_size || !members.empty() || !enumerators.empty());
  }
};

// What the comparison did, for benchmarks and tests: how much the memo
// and the cycle handling save, and how deep and how cyclic the graphs are.
struct ComparisonStats {
  // CompareRefs, every step of its recursion included: pairs asked about,
  // those answered by a final result, by an assumption (the pair was in
  // progress: a cycle), and those compared structurally.
  uint64_t pairs_queried = 0;
  uint64_t memo_hits = 0;
  uint64_t cycle_hits = 0;
  uint64_t pairs_compared = 0;
  // Pairs beyond the depth bound (deeper than any real declarator), taken
  // as different without being explored.
  uint64_t depth_limited = 0;
  // Pairs in the largest strongly connected set fixed at once (1: no cycle).
  uint64_t largest_component = 0;
  // The deepest recursion of one CompareRefs (0: the pair asked about).
  uint32_t max_depth = 0;
  // DiffNamed: named type pairs asked about, and those diffed (the rest
  // came from the memo).
  uint64_t named_queried = 0;
  uint64_t named_compared = 0;

  // Counters add up; sizes and depths take the larger.
  void Add(const ComparisonStats& other);
};

class TypeComparison {
 public:
  // With `base`, the two Btf are modules' split BTF over the kernels that
  // `base` compares: pairs of base ids are the base's to compare (and
  // memoise), so that a vmlinux type is compared once for all modules.
  TypeComparison(const Btf& old_btf, const Btf& new_btf, TypeComparison* base = nullptr);
  TypeComparison(const TypeComparison&) = delete;
  TypeComparison& operator=(const TypeComparison&) = delete;

  const Btf& old_btf() const { return old_; }
  const Btf& new_btf() const { return new_; }

  // The comparison that owns a pair: the base's when both ids are base ids.
  TypeComparison& Owner(TypeId old_id, TypeId new_id);

  RefComparison CompareRefs(TypeId old_id, TypeId new_id);

  // The named type pairs two references lead to, walking both in step
  // through typedefs, qualifiers, pointers and arrays (not through function
  // prototypes, which BPF programs do not follow), while their shapes agree.
  void CollectEdges(TypeId old_id, TypeId new_id, uint32_t pointer_hops, std::string_view via,
                    std::vector<TypeEdge>* edges) const;

  // Member-level differences of two named types, memoised. `old_id` and
  // `new_id` come from TypeEdge (a named struct, union or enum, or a
  // typedef of an anonymous one).
  const NamedTypeDiff& DiffNamed(TypeId old_id, TypeId new_id);

  // Pairs compared so far (both questions), for benchmarks and tests.
  size_t memo_size() const { return refs_.size() + named_.size(); }
  // This comparison's own counters (not its base's).
  const ComparisonStats& stats() const { return stats_; }

 private:
  RefComparison Compare(TypeId old_id, TypeId new_id, int depth);
  RefComparison CompareUncached(TypeId old_id, TypeId new_id, int depth);
  RefComparison CompareResolved(TypeId old_id, TypeId new_id, int depth);
  RefComparison CompareAnonymousAggregates(TypeId old_id, TypeId new_id, int depth);
  RefComparison CompareProtos(TypeId old_id, TypeId new_id, int depth);
  // A pair's result is known: final when `component` (SccTracker::Close)
  // is complete, for every pair in it; provisional otherwise.
  RefComparison Settle(uint64_t key, RefComparison result, std::span<const uint64_t> component);
  std::unique_ptr<NamedTypeDiff> ComputeNamedDiff(TypeId old_id, TypeId new_id);
  void DiffMembers(TypeId old_id, TypeId new_id, NamedTypeDiff& diff);
  void DiffEnumerators(TypeId old_id, TypeId new_id, NamedTypeDiff& diff) const;

  const Btf& old_;
  const Btf& new_;
  TypeComparison* base_;

  // Final results of CompareRefs.
  absl::flat_hash_map<uint64_t, RefComparison> refs_;
  // Pairs in progress, and pairs done whose component is not.
  SccTracker<uint64_t> sccs_;
  // Results of pairs done that rested on an assumption about a pair still
  // in progress: merged into one when their component completes.
  absl::flat_hash_map<uint64_t, RefComparison> provisional_;

  absl::flat_hash_map<uint64_t, std::unique_ptr<NamedTypeDiff>> named_;
  ComparisonStats stats_;
};

// The flattened members of a struct or union (see FlatMember).
std::vector<FlatMember> FlattenMembers(const Btf& btf, TypeId aggregate);

// The struct, union or enum behind a named type id (itself, or the
// anonymous type under a typedef).
TypeId NamedTypeBody(const Btf& btf, TypeId id);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_TYPE_COMPARISON_H_
