#include "wot/wot.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <utility>

namespace vouch::trust {

namespace {

/// Depth stored for "unlimited" (255) so that the hop checks never bind.
constexpr int kInfiniteDepth = INT_MAX;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point (the last `*`): linear in
  // practice, never exponential, whatever the pattern.
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

TrustGraph TrustGraph::build(const WotInput& in, const WotOptions& opts) {
  TrustGraph g;
  g.opts_ = opts;
  g.key_index_.reserve(in.keys.size() + in.roots.size());
  g.opts_.max_paths = std::max(1, opts.max_paths);
  g.opts_.max_hops = std::max(1, opts.max_hops);

  // Keys: the declared ones first (their person and emails), then any key
  // only named by a root, a revocation or an endorsement (a node of its own).
  std::vector<std::optional<std::string>> person_of;
  std::vector<std::vector<std::string>> emails_of;
  auto key = [&](const KeyId& id) -> int {
    auto [it, inserted] = g.key_index_.try_emplace(id, static_cast<int>(g.keys_.size()));
    if (inserted) {
      g.keys_.push_back(KeyInfo{id, -1, false, std::nullopt, 0, RevocationReason::unspecified});
      person_of.emplace_back();
      emails_of.emplace_back();
    }
    return it->second;
  };
  for (const WotKey& k : in.keys) {
    int i = key(k.id);
    if (!person_of[static_cast<size_t>(i)] && k.person) person_of[static_cast<size_t>(i)] = k.person;
    for (const auto& e : k.emails) emails_of[static_cast<size_t>(i)].push_back(lower(e));
  }
  for (const KeyId& r : in.roots) key(r);
  std::vector<std::pair<int, int>> endpoints;  // (issuer, target) key indices per endorsement
  endpoints.reserve(in.endorsements.size());
  for (const Endorsement& e : in.endorsements) {
    const int issuer = key(e.issuer);
    endpoints.emplace_back(issuer, key(e.target));
  }

  // Nodes, ordered by (is a person, label) so that results do not depend on
  // the order of the input.
  std::map<std::pair<bool, std::string>, std::vector<int>> groups;
  for (size_t i = 0; i < g.keys_.size(); ++i) {
    if (person_of[i])
      groups[{true, *person_of[i]}].push_back(static_cast<int>(i));
    else
      groups[{false, g.keys_[i].id.str()}].push_back(static_cast<int>(i));
  }
  for (auto& [label, members] : groups) {
    int n = static_cast<int>(g.nodes_.size());
    Node node;
    node.label = label.second;
    for (int k : members) {
      g.keys_[static_cast<size_t>(k)].node = n;
      for (auto& e : emails_of[static_cast<size_t>(k)]) node.emails.push_back(e);
    }
    std::sort(node.emails.begin(), node.emails.end());
    node.emails.erase(std::unique(node.emails.begin(), node.emails.end()), node.emails.end());
    if (label.first) g.person_index_.emplace(label.second, n);
    g.nodes_.push_back(std::move(node));
  }

  for (const RevocationRecord& r : in.revocations) {
    KeyInfo& k = g.keys_[static_cast<size_t>(key(r.key))];
    if (k.node < 0) {  // a key known only from its revocation: give it a node for completeness
      k.node = static_cast<int>(g.nodes_.size());
      g.nodes_.push_back(Node{k.id.str(), {}, false, false, -1});
    }
    if (is_hard(r.reason)) {
      if (!k.hard_revoked || r.time < k.hard_time) {
        k.reason = r.reason;
        k.hard_time = r.time;
      }
      k.hard_revoked = true;
    } else if (!k.soft_revoked || r.time < *k.soft_revoked) {
      k.soft_revoked = r.time;
      if (!k.hard_revoked) k.reason = r.reason;
    }
  }

  // A root key revoked at the reference time (hard: at every time) makes
  // nothing a root; the node remembers it only to explain a blocked path.
  for (const KeyId& r : in.roots) {
    const int ki = g.key_index_.at(r);
    const KeyInfo& k = g.keys_[static_cast<size_t>(ki)];
    Node& node = g.nodes_[static_cast<size_t>(k.node)];
    if (!g.revoked_at(k)) {
      node.root = true;
    } else if (!node.revoked_root) {
      node.revoked_root = true;
      node.root_key = ki;
    }
  }

  // Key ranks by KeyId, so that every tie-break below follows stable names,
  // not the order of the input.
  std::vector<int> order(g.keys_.size()), rank(g.keys_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return g.keys_[static_cast<size_t>(a)].id < g.keys_[static_cast<size_t>(b)].id; });
  for (size_t i = 0; i < order.size(); ++i) rank[static_cast<size_t>(order[i])] = static_cast<int>(i);

  // Candidates sorted by (target node, issuer node, issuer key, target key,
  // newest first, lower amount first): the first of each key pair is the
  // endorsement in force (on equal times the lower amount wins: fail closed),
  // and what survives is already grouped for the CSR index and node pairs.
  struct Candidate {
    int to, from, issuer_rank, target_rank;
    int64_t created;
    int amount;
    size_t index;
  };
  std::vector<Candidate> cand;
  cand.reserve(in.endorsements.size());
  std::map<std::pair<int, int>, size_t> future;  // (issuer, target) key -> earliest statement after `at`
  for (size_t i = 0; i < in.endorsements.size(); ++i) {
    const Endorsement& e = in.endorsements[i];
    const auto [ik, tk] = endpoints[i];
    if (e.created > opts.at) {  // not made yet at the reference time
      auto [it, fresh] = future.try_emplace({ik, tk}, i);
      if (!fresh && e.created < in.endorsements[it->second].created) it->second = i;
      continue;
    }
    cand.push_back(Candidate{g.keys_[static_cast<size_t>(tk)].node, g.keys_[static_cast<size_t>(ik)].node,
                             rank[static_cast<size_t>(ik)], rank[static_cast<size_t>(tk)], e.created, e.amount, i});
  }
  std::sort(cand.begin(), cand.end(), [](const Candidate& a, const Candidate& b) {
    if (a.to != b.to) return a.to < b.to;
    if (a.from != b.from) return a.from < b.from;
    if (a.issuer_rank != b.issuer_rank) return a.issuer_rank < b.issuer_rank;
    if (a.target_rank != b.target_rank) return a.target_rank < b.target_rank;
    if (a.created != b.created) return a.created > b.created;
    return a.amount < b.amount;
  });

  g.in_begin_.assign(g.nodes_.size() + 1, 0);
  std::set<std::pair<int, int>> in_force;
  for (size_t c = 0; c < cand.size(); ++c) {
    if (c > 0 && cand[c].issuer_rank == cand[c - 1].issuer_rank && cand[c].target_rank == cand[c - 1].target_rank)
      continue;  // replaced by a newer statement for the same pair
    const Endorsement& e = in.endorsements[cand[c].index];
    const auto [ik, tk] = endpoints[cand[c].index];
    in_force.emplace(ik, tk);
    if (cand[c].from == cand[c].to) continue;  // within one person: says nothing about trust
    Variant v = g.variant_of(e, ik, tk);
    if (auto block = g.block_of(e, g.keys_[static_cast<size_t>(ik)], g.keys_[static_cast<size_t>(tk)])) {
      g.blocked_.push_back({std::move(v), std::move(*block)});
      continue;
    }
    const bool new_pair = g.variants_.empty() || g.variants_.back().to != v.to || g.variants_.back().from != v.from;
    if (new_pair) g.pair_capacity_.push_back(0);
    v.pair = static_cast<int>(g.pair_capacity_.size()) - 1;
    g.pair_capacity_.back() = std::max(g.pair_capacity_.back(), v.amount);
    ++g.in_begin_[static_cast<size_t>(v.to) + 1];
    if (!v.scopes.empty()) g.scoped_variants_.push_back(static_cast<int>(g.variants_.size()));
    g.variants_.push_back(std::move(v));
  }
  for (size_t n = 0; n < g.nodes_.size(); ++n) g.in_begin_[n + 1] += g.in_begin_[n];

  // A pair whose only statements are still to come: "not yet valid".
  for (const auto& [pair, i] : future) {
    if (in_force.contains(pair)) continue;
    const Endorsement& e = in.endorsements[i];
    Variant v = g.variant_of(e, pair.first, pair.second);
    if (v.from == v.to) continue;
    g.blocked_.push_back({std::move(v), Block{BlockKind::not_yet_valid, e.created, {}, false, 0, {}, {}}});
  }
  std::stable_sort(g.blocked_.begin(), g.blocked_.end(),
                   [](const BlockedEdge& a, const BlockedEdge& b) { return a.v.to < b.v.to; });
  g.blocked_begin_.assign(g.nodes_.size() + 1, 0);
  for (const auto& b : g.blocked_) ++g.blocked_begin_[static_cast<size_t>(b.v.to) + 1];
  for (size_t n = 0; n < g.nodes_.size(); ++n) g.blocked_begin_[n + 1] += g.blocked_begin_[n];
  return g;
}

TrustGraph::Variant TrustGraph::variant_of(const Endorsement& e, int issuer_key, int target_key) const {
  Variant v;
  v.issuer_key = issuer_key;
  v.target_key = target_key;
  v.from = keys_[static_cast<size_t>(issuer_key)].node;
  v.to = keys_[static_cast<size_t>(target_key)].node;
  v.amount = std::clamp(e.amount, 0, kFullTrust);
  v.depth = e.depth >= kUnlimitedDepth ? kInfiniteDepth : std::max(0, e.depth);
  v.created = e.created;
  for (const auto& sc : e.scopes) v.scopes.push_back(lower(sc));
  return v;
}

std::optional<Block> TrustGraph::revocation_block(const KeyInfo& k, BlockKind kind) const {
  if (k.hard_revoked) return Block{kind, k.hard_time, k.reason, true, 0, {}, k.id};
  if (k.soft_revoked && *k.soft_revoked <= opts_.at) return Block{kind, *k.soft_revoked, k.reason, false, 0, {}, k.id};
  return std::nullopt;
}

std::optional<Block> TrustGraph::block_of(const Endorsement& e, const KeyInfo& issuer, const KeyInfo& target) const {
  if (e.amount <= 0) return Block{BlockKind::retracted, e.created, {}, false, 0, {}, {}};
  if (e.created > opts_.at) return Block{BlockKind::not_yet_valid, e.created, {}, false, 0, {}, {}};
  // Hard: every statement is void; soft: those made at or after the revocation.
  if (issuer.hard_revoked) return Block{BlockKind::issuer_revoked, issuer.hard_time, issuer.reason, true, 0, {}, {}};
  if (issuer.soft_revoked && e.created >= *issuer.soft_revoked)
    return Block{BlockKind::issuer_revoked, *issuer.soft_revoked, issuer.reason, false, 0, {}, {}};
  // A revoked key no longer stands for its node: nobody enters the node through it.
  if (auto b = revocation_block(target, BlockKind::target_revoked)) return b;
  if (e.expires && *e.expires <= opts_.at) return Block{BlockKind::expired, *e.expires, {}, false, 0, {}, {}};
  if (opts_.min_age > 0 && e.created > opts_.at - opts_.min_age)
    return Block{BlockKind::probation, e.created, {}, false, 0, {}, {}};
  return std::nullopt;
}

std::optional<Block> TrustGraph::static_block(const Endorsement& e) const {
  auto i = key_index_.find(e.issuer);
  auto t = key_index_.find(e.target);
  if (i == key_index_.end() || t == key_index_.end()) return std::nullopt;  // not of this graph's input
  return block_of(e, keys_[static_cast<size_t>(i->second)], keys_[static_cast<size_t>(t->second)]);
}

std::optional<Block> TrustGraph::revocation_of(const KeyId& key) const {
  auto it = key_index_.find(key);
  if (it == key_index_.end()) return std::nullopt;
  return revocation_block(keys_[static_cast<size_t>(it->second)], BlockKind::target_revoked);
}

std::string_view to_string(BlockKind k) {
  switch (k) {
    case BlockKind::retracted:
      return "retracted";
    case BlockKind::not_yet_valid:
      return "not yet valid";
    case BlockKind::issuer_revoked:
      return "issuer revoked";
    case BlockKind::target_revoked:
      return "target revoked";
    case BlockKind::expired:
      return "expired";
    case BlockKind::probation:
      return "probation";
    case BlockKind::scope:
      return "scope";
    case BlockKind::depth:
      return "depth";
    case BlockKind::root_revoked:
      return "root revoked";
  }
  return "blocked";
}

Hop TrustGraph::make_hop(const Variant& v) const {
  Hop h;
  h.issuer = keys_[static_cast<size_t>(v.issuer_key)].id;
  h.target = keys_[static_cast<size_t>(v.target_key)].id;
  h.from_node = nodes_[static_cast<size_t>(v.from)].label;
  h.to_node = nodes_[static_cast<size_t>(v.to)].label;
  h.amount = v.amount;
  h.depth = v.depth == kInfiniteDepth ? kUnlimitedDepth : v.depth;
  h.created = v.created;
  h.scopes = v.scopes;
  return h;
}

TrustResult TrustGraph::trust_of_key(const KeyId& id) const {
  TrustResult r;
  auto it = key_index_.find(id);
  if (it == key_index_.end()) {
    r.note = "unknown key " + id.str();
    return r;
  }
  const KeyInfo& k = keys_[static_cast<size_t>(it->second)];
  if (k.hard_revoked) {
    r.revoked = true;
    r.note = "key revoked (" + std::string(to_string(k.reason)) + "): no trust at any time";
    return r;
  }
  if (k.soft_revoked && *k.soft_revoked <= opts_.at) {
    r.revoked = true;
    r.note = "key revoked (" + std::string(to_string(k.reason)) + ") at " + std::to_string(*k.soft_revoked);
    return r;
  }
  if (nodes_[static_cast<size_t>(k.node)].root) {
    r.amount = kFullTrust;
    r.paths.push_back(TrustPath{{}, kFullTrust});
    r.note = "root";
    return r;
  }
  return with_explanation(search(k.node, it->second, Target::key), k.node, it->second, Target::key);
}

TrustResult TrustGraph::trust_of_person(const std::string& person) const {
  auto it = person_index_.find(person);
  if (it == person_index_.end()) {
    TrustResult r;
    r.note = "unknown person " + person;
    return r;
  }
  if (nodes_[static_cast<size_t>(it->second)].root) {
    TrustResult r;
    r.amount = kFullTrust;
    r.paths.push_back(TrustPath{{}, kFullTrust});
    r.note = "root";
    return r;
  }
  return with_explanation(search(it->second, -1, Target::node), it->second, -1, Target::node);
}

TrustResult TrustGraph::with_explanation(TrustResult r, int target_node, int target_key, Target mode) const {
  const int wanted = opts_.stop_at > 0 ? opts_.stop_at : kFullTrust;
  if (!opts_.explain || r.amount >= wanted) return r;
  r.blocked = explain(target_node, target_key, mode);
  if (r.blocked && r.paths.empty() && r.note == "no path from a root")
    r.note = "no valid path from a root: the nearest one is blocked";
  return r;
}

}  // namespace vouch::trust
