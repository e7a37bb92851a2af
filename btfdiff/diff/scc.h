// Strongly connected components of a graph explored depth first by the
// caller: the caller opens a node when it starts on it and closes it when
// every successor is done; the tracker says when a node opened again is
// still part of the walk (the walk came back to it: a cycle), and when a
// closed node completes a component, which nodes that component holds.
//
// This is what a coinductive comparison needs (TypeComparison, as STG and
// libabigail compare): a node reached again while open is assumed equal,
// so results inside a component rest on assumptions until the component's
// root, its first-opened node, closes; then one result holds for all of
// them and the caller makes it final.
//
// Path-based (Cheriyan-Mehlhorn / Gabow): one stack of the open nodes in
// opening order, one of the positions where a component may start. Coming
// back to an open node merges every possible start above it into its
// component. The tracker holds no recursion; the depth is the caller's.
// A node whose component completed is forgotten: the caller keeps its
// result, and opening it again starts afresh.
#ifndef KCONTRACT_BTFDIFF_DIFF_SCC_H_
#define KCONTRACT_BTFDIFF_DIFF_SCC_H_

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace kcontract {

template <typename Node>
class SccTracker {
 public:
  // Starts on `node`. Returns its position, which Close takes, when the node
  // is new to the walk; nullopt when it is open already: the walk came back
  // to it, so it and every node opened since belong to one component.
  std::optional<size_t> Open(const Node& node) {
    auto [it, inserted] = positions_.try_emplace(node, open_.size());
    const size_t position = it->second;
    if (!inserted) {
      while (starts_.back() > position) starts_.pop_back();
      return std::nullopt;
    }
    open_.push_back(node);
    starts_.push_back(position);
    return position;
  }

  // Done with the node at `position` (what its Open returned); nodes close
  // in the reverse order of their opening. When the node is its component's
  // root, the component is complete: returns its nodes in opening order
  // (root first), valid until the next Open or Close, and forgets them.
  // Otherwise returns an empty span: the node stays open, in a component
  // whose root is still in progress.
  std::span<const Node> Close(size_t position) {
    if (starts_.empty() || starts_.back() != position) return {};
    starts_.pop_back();
    complete_.assign(open_.begin() + static_cast<std::ptrdiff_t>(position), open_.end());
    open_.resize(position);
    for (const Node& node : complete_) positions_.erase(node);
    return complete_;
  }

  bool IsOpen(const Node& node) const { return positions_.contains(node); }
  // Nodes opened and not yet in a completed component.
  size_t open_count() const { return open_.size(); }

 private:
  std::vector<Node> open_;
  std::vector<size_t> starts_;
  absl::flat_hash_map<Node, size_t> positions_;
  std::vector<Node> complete_;  // the last completed component
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_SCC_H_
