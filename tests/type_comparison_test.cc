// TypeComparison on type graphs built with libbpf's BTF writer, where each
// case can be made exactly: anonymous cycles (which C cannot write but BTF
// can), typedef-only renames, names as identity, hostile depth; and on the
// C models, the memo.
#include "btfdiff/diff/type_comparison.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "tests/diff_models.h"

namespace kcontract {
namespace {

// Builds one BTF blob with libbpf's writer and parses it as kcontract does.
std::unique_ptr<Btf> Build(const std::function<void(struct btf*)>& add_types) {
  struct btf* writer = btf__new_empty();
  add_types(writer);
  uint32_t size = 0;
  const void* data = btf__raw_data(writer, &size);
  Bytes raw(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
  btf__free(writer);
  auto parsed = Btf::Parse(raw, "built");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? std::move(*parsed) : nullptr;
}

// [1] int, [2] long, [3] ptr -> [4], [4] anonymous struct { [3] next; <value_type> value; }
std::unique_ptr<Btf> SelfCycle(int value_type) {
  return Build([&](struct btf* b) {
    btf__add_int(b, "int", 4, BTF_INT_SIGNED);   // 1
    btf__add_int(b, "long", 8, BTF_INT_SIGNED);  // 2
    btf__add_ptr(b, 4);                          // 3
    btf__add_struct(b, nullptr, 16);             // 4
    btf__add_field(b, "next", 3, 0, 0);
    btf__add_field(b, "value", value_type, 64, 0);
  });
}

TEST(TypeComparison, AnonymousSelfCycleTerminates) {
  auto old_btf = SelfCycle(1);
  auto same = SelfCycle(1);
  auto changed = SelfCycle(2);
  TypeComparison equal(*old_btf, *same);
  EXPECT_TRUE(equal.CompareRefs(TypeId{3}, TypeId{3}).Identical());
  TypeComparison different(*old_btf, *changed);
  EXPECT_FALSE(different.CompareRefs(TypeId{3}, TypeId{3}).same_shape);
  EXPECT_FALSE(different.CompareRefs(TypeId{4}, TypeId{4}).same_shape);
}

// [1] int, [2] long, [3] ptr -> A, [4] ptr -> B,
// [5] A = anonymous struct { [4] b; <value_type> v; }, [6] B = anonymous struct { [3] a; }
std::unique_ptr<Btf> MutualCycle(int value_type) {
  return Build([&](struct btf* b) {
    btf__add_int(b, "int", 4, BTF_INT_SIGNED);   // 1
    btf__add_int(b, "long", 8, BTF_INT_SIGNED);  // 2
    btf__add_ptr(b, 5);                          // 3
    btf__add_ptr(b, 6);                          // 4
    btf__add_struct(b, nullptr, 16);             // 5
    btf__add_field(b, "b", 4, 0, 0);
    btf__add_field(b, "v", value_type, 64, 0);
    btf__add_struct(b, nullptr, 8);              // 6
    btf__add_field(b, "a", 3, 0, 0);
  });
}

// B alone is identical on both sides, but it contains A, which is not: B's
// comparison rests on A's while A is in progress, and must not be kept as
// "equal" once A turns out different.
TEST(TypeComparison, ResultsInsideACycleAreFixedWithTheCycle) {
  auto old_btf = MutualCycle(1);
  auto new_btf = MutualCycle(2);
  TypeComparison cmp(*old_btf, *new_btf);
  EXPECT_FALSE(cmp.CompareRefs(TypeId{3}, TypeId{3}).same_shape);
  EXPECT_FALSE(cmp.CompareRefs(TypeId{4}, TypeId{4}).same_shape);
  EXPECT_FALSE(cmp.CompareRefs(TypeId{6}, TypeId{6}).same_shape);

  auto same = MutualCycle(1);
  TypeComparison equal(*old_btf, *same);
  EXPECT_TRUE(equal.CompareRefs(TypeId{4}, TypeId{4}).Identical());
  EXPECT_TRUE(equal.CompareRefs(TypeId{3}, TypeId{3}).Identical());
}

// The counters the bench prints, on the mutual cycle: 3 -> 5 -> 4 -> 6 -> 3
// is one strongly connected set of four pairs, fixed when (3, 3) is done;
// A's value member (int vs long) is a pair of its own.
TEST(TypeComparison, CountersShowTheMemoAndTheCycles) {
  auto old_btf = MutualCycle(1);
  auto new_btf = MutualCycle(2);
  TypeComparison cmp(*old_btf, *new_btf);
  EXPECT_FALSE(cmp.CompareRefs(TypeId{3}, TypeId{3}).same_shape);
  const ComparisonStats& stats = cmp.stats();
  EXPECT_EQ(stats.pairs_queried, 6u);   // the five pairs, and (3, 3) again from B
  EXPECT_EQ(stats.pairs_compared, 5u);
  EXPECT_EQ(stats.cycle_hits, 1u);
  EXPECT_EQ(stats.memo_hits, 0u);
  EXPECT_EQ(stats.largest_component, 4u);
  EXPECT_EQ(stats.max_depth, 3u);       // (6, 6), under 3 -> 5 -> 4
  EXPECT_EQ(stats.depth_limited, 0u);
  EXPECT_FALSE(cmp.CompareRefs(TypeId{6}, TypeId{6}).same_shape);
  EXPECT_EQ(stats.memo_hits, 1u);
  EXPECT_EQ(stats.pairs_compared, 5u);

  ComparisonStats total;
  total.Add(stats);
  total.Add(stats);
  EXPECT_EQ(total.pairs_queried, 14u);
  EXPECT_EQ(total.largest_component, 4u);  // sizes and depths take the larger
  EXPECT_EQ(total.max_depth, 3u);
}

// [1] unsigned int, [2] typedef <name> -> [1], [3] named struct s { [2] f; <extra> }
std::unique_ptr<Btf> Named(const char* typedef_name, bool extra_member) {
  return Build([&](struct btf* b) {
    btf__add_int(b, "unsigned int", 4, 0);  // 1
    btf__add_typedef(b, typedef_name, 1);   // 2
    btf__add_struct(b, "s", extra_member ? 8 : 4);  // 3
    btf__add_field(b, "f", 2, 0, 0);
    if (extra_member) btf__add_field(b, "g", 1, 32, 0);
  });
}

TEST(TypeComparison, TypedefOnlyRenameIsToldApartFromAChange) {
  auto old_btf = Named("u32", false);
  auto renamed = Named("__u32", false);
  TypeComparison cmp(*old_btf, *renamed);
  RefComparison r = cmp.CompareRefs(TypeId{2}, TypeId{2});
  EXPECT_TRUE(r.TypedefOnly());
  EXPECT_FALSE(r.Identical());
  EXPECT_TRUE(cmp.CompareRefs(TypeId{1}, TypeId{1}).Identical());
}

TEST(TypeComparison, NamedStructsAreTheSameTypeAndTheirContentsAreDiffedApart) {
  auto old_btf = Named("u32", false);
  auto grown = Named("u32", true);
  TypeComparison cmp(*old_btf, *grown);
  EXPECT_TRUE(cmp.CompareRefs(TypeId{3}, TypeId{3}).Identical());
  const NamedTypeDiff& diff = cmp.DiffNamed(TypeId{3}, TypeId{3});
  ASSERT_TRUE(diff.Changed());
  EXPECT_EQ(diff.old_size, 4u);
  EXPECT_EQ(diff.new_size, 8u);
  ASSERT_EQ(diff.members.size(), 1u);
  EXPECT_EQ(diff.members[0].kind, MemberChangeKind::kAdded);
  EXPECT_EQ(diff.members[0].new_member->name, "g");
}

TEST(TypeComparison, HostilePointerChainsAreBounded) {
  auto chain = Build([](struct btf* b) {
    btf__add_int(b, "int", 4, BTF_INT_SIGNED);
    for (int i = 0; i < 5000; ++i) btf__add_ptr(b, i + 1);  // [i+2] -> [i+1]
  });
  TypeComparison cmp(*chain, *chain);
  // Deeper than any real declarator: taken as different, not recursed into.
  EXPECT_FALSE(cmp.CompareRefs(TypeId{5001}, TypeId{5001}).same_shape);
  EXPECT_EQ(cmp.stats().depth_limited, 1u);
  EXPECT_EQ(cmp.stats().max_depth, 128u);
  EXPECT_TRUE(cmp.CompareRefs(TypeId{10}, TypeId{10}).Identical());
}

TEST(TypeComparison, EachPairIsComparedOnce) {
  testing::ModelKernel old_model = testing::LoadModelKernel("types", 0);
  testing::ModelKernel new_model = testing::LoadModelKernel("types", 1);
  const Btf& ob = *old_model.kernel->vmlinux;
  const Btf& nb = *new_model.kernel->vmlinux;
  TypeComparison cmp(ob, nb);
  TypeId old_obj{static_cast<uint32_t>(btf__find_by_name_kind(ob.libbpf(), "obj", BTF_KIND_STRUCT))};
  TypeId new_obj{static_cast<uint32_t>(btf__find_by_name_kind(nb.libbpf(), "obj", BTF_KIND_STRUCT))};
  const NamedTypeDiff& first = cmp.DiffNamed(old_obj, new_obj);
  size_t memo = cmp.memo_size();
  const NamedTypeDiff& again = cmp.DiffNamed(old_obj, new_obj);
  EXPECT_EQ(&first, &again);
  EXPECT_EQ(cmp.memo_size(), memo);
  EXPECT_TRUE(first.Changed());
}

TEST(TypeComparison, AnonymousMembersAreFlattenedByPath) {
  auto btf = Build([](struct btf* b) {
    btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // 1
    btf__add_struct(b, nullptr, 8);             // 2: struct { int x; int y; }
    btf__add_field(b, "x", 1, 0, 0);
    btf__add_field(b, "y", 1, 32, 0);
    btf__add_union(b, nullptr, 4);              // 3: union { int u; }
    btf__add_field(b, "u", 1, 0, 0);
    btf__add_struct(b, "outer", 16);            // 4
    btf__add_field(b, "named", 2, 0, 0);
    btf__add_field(b, nullptr, 3, 64, 0);
  });
  std::vector<FlatMember> members = FlattenMembers(*btf, TypeId{4});
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].name, "named.x");
  EXPECT_EQ(members[1].name, "named.y");
  EXPECT_EQ(members[1].bit_offset, 32u);
  EXPECT_EQ(members[2].name, "u");
  EXPECT_EQ(members[2].bit_offset, 64u);
}

}  // namespace
}  // namespace kcontract
