// The whole web of trust as a picture (Graphviz DOT) and as JSON, for
// `vouch trust graph`: people (a cluster each, holding their keys) and lone
// keys as nodes, the endorsements in force at one time as edges, roots
// highlighted and revoked keys marked.
//
// What is drawn at reference time `at`:
// - per (issuer, target) the statement in force: the newest made at or
//   before `at`, or, for a pair with none yet, its first one still to come;
// - an edge that carries nothing at `at` — retracted (amount 0), not yet
//   valid, issuer revoked, endorsed key revoked, expired, under probation
//   (min_age), or inside one person — is drawn dashed grey with the reason
//   under its amount ("120\nexpired"), and has "counts": false and
//   "blocked": "<reason>" in JSON. The reasons are wot.h's TrustGraph::
//   static_block(), the rule the trust computation applies;
// - a key is marked revoked when it has a hard revocation, or a soft one at or
//   before `at`.
// Both renderings list nodes and edges in a fixed order (people by name, keys
// by id, edges by issuer then target), so the same database gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "trust/model.h"
#include "vouch/result.h"
#include "vouch/types.h"
#include "wot/wot.h"

namespace vouch::trust {

/// What the graph is drawn from: the trust input (keys with their persons,
/// endorsements, roots, revocations), the people (display names, emails) and
/// the reference time.
struct GraphInput {
  WotInput wot;
  std::vector<Person> people;
  int64_t at = 0;
  int64_t min_age = 0;  ///< probation, as `trust check --min-age`
};

/// A key id short enough for a picture: "ssh:SHA256:" + the first 8
/// characters of the hash + "…", "openpgp:…" + the last 8 hex digits.
std::string short_key_id(const KeyId& id);

/// Graphviz DOT: `digraph trust { rankdir=LR; ... }`, ready for `dot -Tsvg`.
std::string graph_to_dot(const GraphInput& in);

/// {"schema": 1, "at", "people": [{name, display_name, emails, keys}],
///  "keys": [{id, short, person, root, revoked: {reason, hard, time} | null}],
///  "edges": [{issuer, target, amount, depth, scopes, created, expires, counts, blocked}]}
/// `counts` is false for the dashed edges; `blocked` names why (null when it counts).
nlohmann::json graph_to_json(const GraphInput& in);

/// The graph in `format`: "json" (graph_to_json, indented), "dot"
/// (graph_to_dot), or "svg"/"png" rendered in-process from the DOT
/// (report/graph_image.h). Errors: an unknown format (bad_input); Graphviz
/// failing (environment).
Result<std::string> render_graph(const GraphInput& in, std::string_view format);

}  // namespace vouch::trust
