// Path search and combination for TrustGraph (see wot.h, docs/trust-model.md).
//
// One query repeatedly finds the best remaining path — fewest hops, then the
// highest amount — and subtracts its amount from the endorsements, node pairs
// and intermediate nodes it uses, until no path with amount > 0 is left (or
// WotOptions::max_paths / stop_at end it early).
//
// The best path is found by a breadth-first search BACKWARD from the target,
// layer j holding the nodes j hops before the target. Searching backward makes
// the depth rule local: a path root=N0 -> N1 -> ... -> Nk=target is allowed iff
// for every intermediate Ni the endorsement into Ni has depth >= k - i (its
// remaining depth, the minimum along the path, covers the hops still to go),
// and k - i is exactly the layer of Ni. So an endorsement into a node of layer
// j >= 1 may be used iff its depth >= j and its scopes admit the target.
//
// Per layer each node keeps the widest suffix to the target (the maximum over
// suffixes of the minimum remaining capacity). A node is re-entered at a later
// layer only with a strictly wider suffix: a later layer is both longer and
// more constrained, so anything else is dominated. The first layer that holds a
// root gives the fewest hops; the widest root entry in it is the path. Such a
// minimal path never repeats a node (cutting the loop out would give a
// shorter, less constrained, at least as wide path), so node capacities are
// counted once.
#include <algorithm>
#include <climits>

#include "wot/wot.h"

namespace vouch::trust {

namespace {

constexpr int kUnbounded = INT_MAX;

struct Entry {
  int node;
  int value;    ///< widest remaining capacity of the suffix from `node` to the target
  int next;     ///< entry one hop nearer the target, -1 at the target
  int variant;  ///< the endorsement from `node` to next's node
};

}  // namespace

TrustResult TrustGraph::search(int target_node, int target_key, Target mode) const {
  TrustResult result;
  const size_t n_nodes = nodes_.size();

  // Scopes are per target: decide once per query which scoped endorsements
  // may carry an introduction to it.
  std::vector<char> scope_ok(variants_.size(), 1);
  const auto& emails = nodes_[static_cast<size_t>(target_node)].emails;
  for (int vi : scoped_variants_) {
    bool ok = false;
    for (const auto& glob : variants_[static_cast<size_t>(vi)].scopes) {
      for (const auto& e : emails) ok = ok || glob_match(glob, e);
      if (ok) break;
    }
    scope_ok[static_cast<size_t>(vi)] = ok ? 1 : 0;
  }

  // Residual capacities: each endorsement carries at most its amount, each
  // node pair at most its highest endorsement, each intermediate node 120.
  std::vector<int> var_cap(variants_.size());
  for (size_t i = 0; i < variants_.size(); ++i) var_cap[i] = variants_[i].amount;
  std::vector<int> pair_cap = pair_capacity_;
  std::vector<int> node_cap(n_nodes, kFullTrust);
  // Per-search scratch, invalidated by bumping `gen` / `layer_id` instead of clearing.
  std::vector<int> best(n_nodes, 0), best_gen(n_nodes, -1);
  std::vector<int> in_layer(n_nodes, -1), entry_of(n_nodes, -1);
  std::vector<Entry> entries;
  int layer_id = 0;
  bool hop_limited = false;

  // One more round than max_paths, only to tell whether the limit cut anything off.
  for (int gen = 0; gen <= opts_.max_paths; ++gen) {
    entries.clear();
    entries.push_back(Entry{target_node, kUnbounded, -1, -1});
    best[static_cast<size_t>(target_node)] = kUnbounded;
    best_gen[static_cast<size_t>(target_node)] = gen;
    size_t layer_begin = 0, layer_end = 1;
    int found = -1;

    for (int hop = 1; hop <= opts_.max_hops && found < 0 && layer_begin < layer_end; ++hop) {
      const int j = hop - 1;  // layer being expanded
      ++layer_id;
      for (size_t e = layer_begin; e < layer_end; ++e) {
        const int n = entries[e].node;
        const int suffix = entries[e].value;
        const int nb = in_begin_[static_cast<size_t>(n)], ne = in_begin_[static_cast<size_t>(n) + 1];
        for (int vi = nb; vi < ne; ++vi) {
          const Variant& v = variants_[static_cast<size_t>(vi)];
          if (j == 0) {
            if (mode == Target::key && v.target_key != target_key) continue;
          } else if (v.depth < j || !scope_ok[static_cast<size_t>(vi)]) {
            continue;
          }
          const int m = v.from;
          if (m == target_node) continue;  // the target is never its own introducer
          int val = std::min({suffix, var_cap[static_cast<size_t>(vi)], pair_cap[static_cast<size_t>(v.pair)]});
          if (j > 0) val = std::min(val, node_cap[static_cast<size_t>(n)]);
          if (val <= 0) continue;
          const auto ms = static_cast<size_t>(m);
          if (in_layer[ms] == layer_id) {
            Entry& cur = entries[static_cast<size_t>(entry_of[ms])];
            if (val > cur.value) cur = Entry{m, val, static_cast<int>(e), vi};
          } else if (best_gen[ms] != gen || val > best[ms]) {
            in_layer[ms] = layer_id;
            entry_of[ms] = static_cast<int>(entries.size());
            entries.push_back(Entry{m, val, static_cast<int>(e), vi});
          } else {
            continue;
          }
          best[ms] = std::max(best_gen[ms] == gen ? best[ms] : 0, val);
          best_gen[ms] = gen;
        }
      }
      layer_begin = layer_end;
      layer_end = entries.size();
      for (size_t e = layer_begin; e < layer_end; ++e) {
        const Entry& c = entries[e];
        if (!nodes_[static_cast<size_t>(c.node)].root) continue;
        if (found < 0 || c.value > entries[static_cast<size_t>(found)].value ||
            (c.value == entries[static_cast<size_t>(found)].value && c.node < entries[static_cast<size_t>(found)].node))
          found = static_cast<int>(e);
      }
    }
    if (found < 0) {
      hop_limited = layer_begin < layer_end;  // stopped by max_hops with nodes still to expand
      break;
    }

    if (gen == opts_.max_paths) {
      result.note = "stopped at the path limit (" + std::to_string(opts_.max_paths) + "); more trust exists";
      break;
    }

    TrustPath path;
    path.amount = entries[static_cast<size_t>(found)].value;
    for (int e = found; entries[static_cast<size_t>(e)].next >= 0; e = entries[static_cast<size_t>(e)].next) {
      const int vi = entries[static_cast<size_t>(e)].variant;
      const Variant& v = variants_[static_cast<size_t>(vi)];
      var_cap[static_cast<size_t>(vi)] -= path.amount;
      pair_cap[static_cast<size_t>(v.pair)] -= path.amount;
      if (v.to != target_node) node_cap[static_cast<size_t>(v.to)] -= path.amount;
      path.hops.push_back(make_hop(v));
    }
    result.amount += path.amount;
    result.paths.push_back(std::move(path));
    if (opts_.stop_at > 0 && result.amount >= opts_.stop_at) break;
  }

  if (result.paths.empty()) {
    result.note =
        hop_limited ? "no path from a root within " + std::to_string(opts_.max_hops) + " hops" : "no path from a root";
  } else if (hop_limited && result.note.empty()) {
    result.note = "paths longer than " + std::to_string(opts_.max_hops) + " hops not considered";
  }
  return result;
}

}  // namespace vouch::trust
