// SccTracker (btfdiff/diff/scc.h) step by step, and on small graphs walked
// depth first as TypeComparison walks type pairs: which Open finds a cycle,
// which Close completes a component and what it holds.
#include "btfdiff/diff/scc.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace kcontract {
namespace {

using Component = std::vector<int>;

Component Sorted(std::span<const int> nodes) {
  Component out(nodes.begin(), nodes.end());
  std::sort(out.begin(), out.end());
  return out;
}

// Walks `graph` depth first from `root`, as a memoising caller does: a node
// whose component completed is never opened again. Returns the components
// in the order they completed, each sorted.
class Walk {
 public:
  explicit Walk(std::map<int, std::vector<int>> graph) : graph_(std::move(graph)) {}

  std::vector<Component> From(int root) {
    Visit(root);
    EXPECT_EQ(sccs_.open_count(), 0u);
    return components_;
  }

 private:
  void Visit(int node) {
    if (done_.contains(node)) return;
    std::optional<size_t> position = sccs_.Open(node);
    if (!position) return;  // back to an open node: a cycle
    for (int next : graph_[node]) Visit(next);
    std::span<const int> component = sccs_.Close(*position);
    if (component.empty()) return;
    EXPECT_EQ(component.front(), node) << "the root comes first";
    for (int member : component) done_.insert(member);
    components_.push_back(Sorted(component));
  }

  std::map<int, std::vector<int>> graph_;
  SccTracker<int> sccs_;
  std::set<int> done_;
  std::vector<Component> components_;
};

TEST(SccTracker, NoCycleCompletesEachNodeAlone) {
  SccTracker<int> sccs;
  std::optional<size_t> a = sccs.Open(1);
  std::optional<size_t> b = sccs.Open(2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, 0u);
  EXPECT_EQ(*b, 1u);
  EXPECT_EQ(Sorted(sccs.Close(*b)), Component({2}));
  EXPECT_FALSE(sccs.IsOpen(2));
  EXPECT_TRUE(sccs.IsOpen(1));
  EXPECT_EQ(Sorted(sccs.Close(*a)), Component({1}));
  EXPECT_EQ(sccs.open_count(), 0u);

  // A diamond: 1 -> 2, 1 -> 3, 2 -> 4, 3 -> 4.
  Walk diamond({{1, {2, 3}}, {2, {4}}, {3, {4}}});
  EXPECT_EQ(diamond.From(1),
            (std::vector<Component>{{4}, {2}, {3}, {1}}));
}

TEST(SccTracker, SelfLoopIsACycleOfOne) {
  SccTracker<int> sccs;
  std::optional<size_t> a = sccs.Open(7);
  ASSERT_TRUE(a);
  EXPECT_EQ(sccs.Open(7), std::nullopt);
  EXPECT_EQ(Sorted(sccs.Close(*a)), Component({7}));
  EXPECT_FALSE(sccs.IsOpen(7));
}

TEST(SccTracker, TwoNodeCycleCompletesAtItsRoot) {
  SccTracker<int> sccs;
  std::optional<size_t> a = sccs.Open(1);
  std::optional<size_t> b = sccs.Open(2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(sccs.Open(1), std::nullopt);  // 2 -> 1: back to an open node
  EXPECT_TRUE(sccs.Close(*b).empty());     // 2 waits for 1
  EXPECT_TRUE(sccs.IsOpen(2));
  EXPECT_EQ(sccs.Open(2), std::nullopt);  // 2 is done but its component is not
  std::span<const int> component = sccs.Close(*a);
  ASSERT_EQ(component.size(), 2u);
  EXPECT_EQ(component[0], 1);  // opening order, root first
  EXPECT_EQ(component[1], 2);
  EXPECT_EQ(sccs.open_count(), 0u);
  // Forgotten once complete: opened again, a node starts afresh.
  EXPECT_EQ(sccs.Open(2), std::optional<size_t>(0));
}

TEST(SccTracker, NestedCyclesSeparateOrMergeByTheirEdges) {
  // 1 -> 2 -> 3 -> 2 (inner cycle), 1 -> 4 -> 1 (outer cycle through the
  // root only): two components.
  Walk apart({{1, {2, 4}}, {2, {3}}, {3, {2}}, {4, {1}}});
  EXPECT_EQ(apart.From(1), (std::vector<Component>{{2, 3}, {1, 4}}));

  // The same, and 3 -> 1: the inner cycle joins the outer one.
  Walk merged({{1, {2, 4}}, {2, {3}}, {3, {2, 1}}, {4, {1}}});
  EXPECT_EQ(merged.From(1), (std::vector<Component>{{1, 2, 3, 4}}));

  // A cycle inside a cycle inside a cycle, each closed through its own
  // root: 1 -> 2 -> 3 -> 4 -> 3, 4 -> 2, 4 -> 1, and 5 hanging off 3.
  Walk deep({{1, {2}}, {2, {3}}, {3, {4, 5}}, {4, {3, 2, 1}}});
  EXPECT_EQ(deep.From(1), (std::vector<Component>{{5}, {1, 2, 3, 4}}));
}

TEST(SccTracker, ComponentClosesOnlyWhenItsRootFinishes) {
  // 1 -> 2 -> 1, then 1 -> 3 -> 2: 3 reaches 2, which is done but still
  // open (its component's root, 1, is not), so 3 joins the component too.
  SccTracker<int> sccs;
  std::optional<size_t> one = sccs.Open(1);
  std::optional<size_t> two = sccs.Open(2);
  ASSERT_TRUE(one && two);
  EXPECT_EQ(sccs.Open(1), std::nullopt);
  EXPECT_TRUE(sccs.Close(*two).empty());
  std::optional<size_t> three = sccs.Open(3);
  ASSERT_TRUE(three);
  EXPECT_EQ(sccs.Open(2), std::nullopt);
  EXPECT_TRUE(sccs.Close(*three).empty());
  EXPECT_EQ(sccs.open_count(), 3u);
  EXPECT_EQ(Sorted(sccs.Close(*one)), Component({1, 2, 3}));

  // A node that only reaches a completed component is a component alone.
  Walk walk({{1, {2, 3}}, {2, {1}}, {3, {4}}, {4, {4}}});
  EXPECT_EQ(walk.From(1), (std::vector<Component>{{4}, {3}, {1, 2}}));
}

TEST(SccTracker, LongChainsNeedNoRecursion) {
  constexpr int kLength = 1'000'000;
  SccTracker<int> sccs;
  std::vector<size_t> positions;
  positions.reserve(kLength);
  for (int i = 0; i < kLength; ++i) positions.push_back(*sccs.Open(i));
  // No cycle: each node completes alone, last first.
  for (int i = kLength - 1; i >= 0; --i) {
    std::span<const int> component = sccs.Close(positions[i]);
    ASSERT_EQ(component.size(), 1u) << i;
    ASSERT_EQ(component[0], i);
  }
  EXPECT_EQ(sccs.open_count(), 0u);

  // The same chain closed into one cycle by its last node.
  positions.clear();
  for (int i = 0; i < kLength; ++i) positions.push_back(*sccs.Open(i));
  EXPECT_EQ(sccs.Open(0), std::nullopt);
  for (int i = kLength - 1; i > 0; --i) ASSERT_TRUE(sccs.Close(positions[i]).empty()) << i;
  std::span<const int> all = sccs.Close(positions[0]);
  ASSERT_EQ(all.size(), static_cast<size_t>(kLength));
  EXPECT_EQ(all.front(), 0);
  EXPECT_EQ(all.back(), kLength - 1);
  EXPECT_EQ(sccs.open_count(), 0u);
}

TEST(SccTracker, KeysNeedOnlyHashing) {
  SccTracker<std::string> sccs;
  std::optional<size_t> a = sccs.Open("struct sock");
  ASSERT_TRUE(a);
  EXPECT_EQ(sccs.Open("struct sock"), std::nullopt);
  std::span<const std::string> component = sccs.Close(*a);
  ASSERT_EQ(component.size(), 1u);
  EXPECT_EQ(component[0], "struct sock");
}

}  // namespace
}  // namespace kcontract
