// Explaining missing trust (wot.h BlockedPath, docs/trust-model.md "Why a
// path does not count").
//
// A breadth-first search backward from the target, like wot_search.cpp, but
// over every endorsement in force or still to come — the valid ones and the
// blocked ones — and over a state (node, blocked so far). It ignores amounts
// and capacities. The first layer that reaches a root (or a node whose root
// key is revoked) in the "blocked" state gives the shortest path that would
// carry trust if its blocks were lifted. Depth and scope are judged as the
// real search judges them: an endorsement into a node j hops before the
// target needs depth >= j and, for j >= 1, a scope that admits the target.
// Valid edges are tried before blocked ones, so a path shows as few blocks as
// the shortest routes allow.
#include "wot/wot.h"

namespace vouch::trust {

namespace {

struct Step {
  int node;
  int blocked;  ///< 0 or 1: a block was passed between here and the target
  int next;     ///< step one hop nearer the target, -1 at the target
  int edge;     ///< variants_ index (>= 0) or ~blocked_ index (< 0) into `node`'s successor
};

}  // namespace

std::optional<BlockedPath> TrustGraph::explain(int target_node, int target_key, Target mode) const {
  const auto& emails = nodes_[static_cast<size_t>(target_node)].emails;
  const auto scope_admits = [&](const std::vector<std::string>& scopes) {
    if (scopes.empty()) return true;
    for (const auto& glob : scopes)
      for (const auto& e : emails)
        if (glob_match(glob, e)) return true;
    return false;
  };
  // The block an edge meets when it enters a node `layer` hops before the target.
  const auto dynamic_block = [&](const Variant& v, int layer) -> std::optional<Block> {
    if (layer == 0) return std::nullopt;
    if (v.depth < layer) return Block{BlockKind::depth, 0, {}, false, layer, {}, {}};
    if (!scope_admits(v.scopes)) return Block{BlockKind::scope, 0, {}, false, 0, emails, {}};
    return std::nullopt;
  };

  std::vector<Step> steps{{target_node, 0, -1, 0}};
  std::vector<char> seen(nodes_.size() * 2, 0);
  seen[static_cast<size_t>(target_node) * 2] = 1;
  size_t begin = 0, end = 1;
  int found = -1;
  for (int layer = 0; layer < opts_.max_hops && found < 0 && begin < end; ++layer) {
    for (size_t s = begin; s < end; ++s) {
      const int n = steps[s].node;
      const auto visit = [&](const Variant& v, int edge, bool statically_blocked) {
        if (layer == 0 && mode == Target::key && v.target_key != target_key) return;
        const int m = v.from;
        if (m == target_node) return;
        const int blocked = steps[s].blocked | (statically_blocked || dynamic_block(v, layer) ? 1 : 0);
        const size_t at = static_cast<size_t>(m) * 2 + static_cast<size_t>(blocked);
        if (seen[at]) return;
        seen[at] = 1;
        steps.push_back(Step{m, blocked, static_cast<int>(s), edge});
      };
      for (int vi = in_begin_[static_cast<size_t>(n)]; vi < in_begin_[static_cast<size_t>(n) + 1]; ++vi)
        visit(variants_[static_cast<size_t>(vi)], vi, false);
      for (int bi = blocked_begin_[static_cast<size_t>(n)]; bi < blocked_begin_[static_cast<size_t>(n) + 1]; ++bi)
        visit(blocked_[static_cast<size_t>(bi)].v, ~bi, true);
    }
    begin = end;
    end = steps.size();
    for (size_t s = begin; s < end && found < 0; ++s) {
      const Node& node = nodes_[static_cast<size_t>(steps[s].node)];
      if ((node.root && steps[s].blocked) || (!node.root && node.revoked_root)) found = static_cast<int>(s);
    }
  }
  if (found < 0) return std::nullopt;

  BlockedPath path;
  const Node& root = nodes_[static_cast<size_t>(steps[static_cast<size_t>(found)].node)];
  if (!root.root) {
    auto b = revocation_block(keys_[static_cast<size_t>(root.root_key)], BlockKind::root_revoked);
    if (b) path.stops.push_back({-1, *b});
  }
  // Hops from the root toward the target; hop i enters a node (k - 1 - i)
  // hops before the target.
  int k = 0;
  for (int s = found; steps[static_cast<size_t>(s)].next >= 0; s = steps[static_cast<size_t>(s)].next) ++k;
  int i = 0;
  for (int s = found; steps[static_cast<size_t>(s)].next >= 0; s = steps[static_cast<size_t>(s)].next, ++i) {
    const int edge = steps[static_cast<size_t>(s)].edge;
    const Variant& v = edge >= 0 ? variants_[static_cast<size_t>(edge)] : blocked_[static_cast<size_t>(~edge)].v;
    path.hops.push_back(make_hop(v));
    if (edge < 0)
      path.stops.push_back({i, blocked_[static_cast<size_t>(~edge)].block});
    else if (auto b = dynamic_block(v, k - 1 - i))
      path.stops.push_back({i, *b});
  }
  if (path.stops.empty()) return std::nullopt;  // cannot happen: the state says blocked
  return path;
}

}  // namespace vouch::trust
