// Web-of-trust computation (docs/trust-model.md, "Trust computation"): pure, in memory.
//
// The store hands over keys, people, endorsements, roots and revocations as
// plain values whose signatures were already verified; TrustGraph::build()
// keeps the endorsements valid at the reference time, merges every person's
// keys into one node, and indexes the graph once. trust_of_key() and
// trust_of_person() then answer in well under a millisecond on typical graphs
// (bench/trust-check measures 10,000 keys / 100,000 endorsements).
//
// The rules, in brief (docs/trust-model.md has them in full, with examples):
//  - the graph is over people: an edge between two nodes carries at most the
//    highest amount among the valid endorsements between their keys, and every
//    intermediate node passes on at most 120 (threat 17);
//  - an endorsement of depth d into an introducer lets it introduce up to d
//    further hops beyond itself (root -> A (depth 1) -> B trusts B; depth 0
//    does not); 255 is unlimited;
//  - the scopes of every endorsement into an introducer must each match one
//    of the target's emails;
//  - paths combine like sequoia-wot: repeatedly the best remaining path (fewest
//    hops, then highest amount), its amount subtracted from every endorsement,
//    node pair and intermediate node it uses; the result is the sum (not
//    capped at 120: 240 means two independent full paths).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trust/model.h"
#include "vouch/types.h"

namespace vouch::trust {

/// A key as the trust computation sees it. `emails` are the emails the
/// database binds to the key (for a person's key: the person's emails).
struct WotKey {
  KeyId id;
  std::optional<std::string> person;  ///< owner's short name; keys of one person form one node
  std::vector<std::string> emails;
};

/// Everything the computation needs; signatures were verified by the caller.
/// Keys that appear only in endorsements or roots are nodes of their own with
/// no emails. Several endorsements per (issuer, target) pair are allowed: the
/// newest (by `created`, at or before the reference time) is the one in force.
struct WotInput {
  std::vector<WotKey> keys;
  std::vector<Endorsement> endorsements;
  std::vector<KeyId> roots;
  std::vector<RevocationRecord> revocations;
};

/// Hard limits on one trust query; both are documented in docs/trust-model.md.
inline constexpr int kDefaultMaxPaths = 64;
inline constexpr int kDefaultMaxHops = 32;

struct WotOptions {
  int64_t at = 0;                    ///< reference time (Unix seconds)
  int64_t min_age = 0;               ///< probation: endorsements younger than this at `at` do not count
  int max_paths = kDefaultMaxPaths;  ///< stop after this many combined paths (result says so in `note`)
  int max_hops = kDefaultMaxHops;    ///< longer paths are not considered
  int stop_at = 0;                   ///< > 0: stop combining paths once the sum reaches this amount
  /// Fill TrustResult::blocked when the amount falls short (one more search
  /// over the graph; `trust check`/`path` ask for it, verification does not).
  bool explain = false;
};

/// One endorsement on a path, from the node nearer the root to the node
/// nearer the target.
struct Hop {
  KeyId issuer;
  KeyId target;
  std::string from_node;  ///< person name, or the key id for a key without a person
  std::string to_node;
  int amount = 0;  ///< the endorsement's own amount
  int depth = 0;   ///< the endorsement's depth
  int64_t created = 0;
  std::vector<std::string> scopes;
};

/// A path from a root; `amount` is what this path contributed to the sum
/// (after earlier paths used up shared capacity). A root itself: no hops, 120.
struct TrustPath {
  std::vector<Hop> hops;
  int amount = 0;
};

/// Why an endorsement, or the root a path starts at, carries no trust.
enum class BlockKind {
  retracted,       ///< the statement in force has amount 0
  not_yet_valid,   ///< created after the reference time (`time` = created)
  issuer_revoked,  ///< hard, or soft at or before the statement was made (`time`, `reason`)
  target_revoked,  ///< the endorsed key is revoked at the reference time (`time`, `reason`)
  expired,         ///< `time` = expires, at or before the reference time
  probation,       ///< younger than --min-age (`time` = created)
  scope,           ///< none of the endorsement's scopes matches the target's emails (`emails`)
  depth,           ///< its depth is below the hops still to go (`needed`)
  root_revoked,    ///< the path's root key is revoked (`time`, `reason`)
};
/// "retracted", "not yet valid", "issuer revoked", ... (graph labels, JSON "kind").
std::string_view to_string(BlockKind k);

struct Block {
  BlockKind kind = BlockKind::retracted;
  int64_t time = 0;  ///< for the revoked kinds: the revocation's time (hard ones too)
  RevocationReason reason = RevocationReason::unspecified;
  bool hard = false;                ///< for the revoked kinds
  int needed = 0;                   ///< depth: hops still to go after the endorsed node
  std::vector<std::string> emails;  ///< scope: the target's emails (may be empty)
  KeyId key;                        ///< root_revoked: the root key
};

/// The shortest path from a root that WOULD reach the target if its blocks
/// were lifted: every hop, and which of them (or the root, hop -1) is
/// blocked and why. Explains "no path" when endorsements exist.
struct BlockedPath {
  struct Stop {
    int hop = -1;  ///< index into hops; -1: the root key itself
    Block block;
  };
  std::vector<Hop> hops;    ///< root side first; hops[0].from_node is the root
  std::vector<Stop> stops;  ///< at least one, in path order
};

struct TrustResult {
  int amount = 0;                ///< sum over `paths`; 120 = fully trusted
  std::vector<TrustPath> paths;  ///< in the order they were found (best first)
  bool revoked = false;          ///< the target key is revoked at the reference time
  std::string note;              ///< why the amount is what it is, when not obvious; empty otherwise
  /// With WotOptions::explain, when the amount is below what was asked
  /// (stop_at, else 120): the shortest blocked path, if any path from a root
  /// exists with blocks.
  std::optional<BlockedPath> blocked;
};

/// The trust graph at one reference time. Immutable after build(); queries
/// are const and may run concurrently.
class TrustGraph {
 public:
  /// Filters the endorsements valid at `opts.at`, merges keys into people
  /// nodes and indexes adjacency. Never fails: anything out of range in the
  /// input (an amount above 120, a negative depth) is clamped toward less trust.
  static TrustGraph build(const WotInput& in, const WotOptions& opts);

  /// Trust of one key. The last hop of every path must endorse this key
  /// itself (an endorsement of another key of the same person does not
  /// count); a key whose node is a root has 120. Hard-revoked: 0 at every
  /// time; soft-revoked: 0 from the revocation time on (`revoked` set).
  /// An unknown key has 0 and a note. No path ever enters a node through
  /// an endorsement of a key revoked at the reference time, and a root key
  /// revoked then makes nothing a root.
  TrustResult trust_of_key(const KeyId& key) const;

  /// Trust of a person's node: paths may end in an endorsement of any of the
  /// person's keys that is not revoked at the reference time. An unknown
  /// person has 0 and a note.
  TrustResult trust_of_person(const std::string& person) const;

  size_t node_count() const { return nodes_.size(); }
  size_t edge_count() const { return variants_.size(); }  ///< endorsements in force at `at`

  /// Why `e` carries nothing at the reference time, or nullopt when it is a
  /// valid edge (scope and depth are per path and not judged here). The one
  /// rule wot.cpp applies and the graph picture shows; `e` must be the
  /// statement in force for its pair. Same-person endorsements are not blocks.
  std::optional<Block> static_block(const Endorsement& e) const;
  /// The revocation in force for `key` at the reference time (hard, or soft
  /// at or before it), or nullopt.
  std::optional<Block> revocation_of(const KeyId& key) const;

 private:
  struct Node {
    std::string label;                ///< person name or key id
    std::vector<std::string> emails;  ///< lower-case
    bool root = false;
    bool revoked_root = false;  ///< holds a root key that is revoked at the reference time
    int root_key = -1;          ///< that key (for explanations)
  };
  struct KeyInfo {
    KeyId id;
    int node = -1;
    bool hard_revoked = false;
    std::optional<int64_t> soft_revoked;  ///< earliest soft revocation time
    int64_t hard_time = 0;                ///< earliest hard revocation time (for reports)
    RevocationReason reason = RevocationReason::unspecified;
  };
  /// One endorsement in force, between keys of two different nodes.
  struct Variant {
    int issuer_key = -1, target_key = -1;
    int from = -1, to = -1;  ///< nodes
    int pair = -1;           ///< index into pair_capacity_
    int amount = 0, depth = 0;
    int64_t created = 0;
    std::vector<std::string> scopes;  ///< lower-case globs
  };
  enum class Target { key, node };

  TrustResult search(int target_node, int target_key, Target mode) const;
  Hop make_hop(const Variant& v) const;
  Variant variant_of(const Endorsement& e, int issuer_key, int target_key) const;
  std::optional<Block> block_of(const Endorsement& e, const KeyInfo& issuer, const KeyInfo& target) const;
  std::optional<Block> revocation_block(const KeyInfo& k, BlockKind kind) const;
  /// Adds the blocked path when `r` falls short of what was asked.
  TrustResult with_explanation(TrustResult r, int target_node, int target_key, Target mode) const;
  /// The shortest path with at least one block (wot_explain.cpp).
  std::optional<BlockedPath> explain(int target_node, int target_key, Target mode) const;
  bool revoked_at(const KeyInfo& k) const { return k.hard_revoked || (k.soft_revoked && *k.soft_revoked <= opts_.at); }

  WotOptions opts_;
  std::vector<Node> nodes_;
  std::vector<KeyInfo> keys_;
  struct KeyIdHash {
    size_t operator()(const KeyId& k) const noexcept {
      return std::hash<std::string_view>{}(k.id) ^ static_cast<size_t>(k.kind);
    }
  };
  std::unordered_map<KeyId, int, KeyIdHash> key_index_;  ///< KeyId -> keys_
  std::unordered_map<std::string, int> person_index_;    ///< person name -> nodes_
  std::vector<Variant> variants_;
  std::vector<int> pair_capacity_;  ///< highest amount between two nodes
  std::vector<int> in_begin_;  ///< variants_ is sorted by target node: those into n are [in_begin_[n], in_begin_[n+1])
  std::vector<int> scoped_variants_;  ///< variants with a non-empty scope list
  /// Endorsements in force (or the first one still to come) that carry
  /// nothing at `at`, for explanations; sorted by target node like variants_.
  struct BlockedEdge {
    Variant v;
    Block block;
  };
  std::vector<BlockedEdge> blocked_;
  std::vector<int> blocked_begin_;  ///< those into node n: [blocked_begin_[n], blocked_begin_[n+1])
};

/// Glob match used for scopes: `*` any run of characters, `?` exactly one;
/// ASCII case-insensitive. Exposed for tests.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace vouch::trust
