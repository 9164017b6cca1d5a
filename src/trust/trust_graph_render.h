// The whole web of trust as a picture (Graphviz DOT) and as JSON, for
// `vouch trust graph`: people (a cluster each, holding their keys) and lone
// keys as nodes, the endorsements in force at one time as edges, roots
// highlighted and revoked keys marked.
//
// What is drawn at reference time `at`:
// - per (issuer, target) the newest endorsement made at or before `at`; it is
//   omitted when it retracts (amount 0) or has expired at `at` — the picture
//   shows what could carry trust, not the history;
// - an edge whose issuer was hard-revoked, or soft-revoked at or before the
//   endorsement was made, is drawn dashed grey: it exists but counts for
//   nothing (wot.h applies the same rule);
// - a key is marked revoked when it has a hard revocation, or a soft one at or
//   before `at`.
// Both renderings list nodes and edges in a fixed order (people by name, keys
// by id, edges by issuer then target), so the same database gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trust/model.h"
#include "trust/wot.h"
#include "vouch/types.h"

namespace vouch::trust {

/// What the graph is drawn from: the trust input (keys with their persons,
/// endorsements, roots, revocations), the people (display names, emails) and
/// the reference time.
struct GraphInput {
  WotInput wot;
  std::vector<Person> people;
  int64_t at = 0;
};

/// A key id short enough for a picture: "ssh:SHA256:" + the first 8
/// characters of the hash + "…", "openpgp:…" + the last 8 hex digits.
std::string short_key_id(const KeyId& id);

/// Graphviz DOT: `digraph trust { rankdir=LR; ... }`, ready for `dot -Tsvg`.
std::string graph_to_dot(const GraphInput& in);

/// {"schema": 1, "at", "people": [{name, display_name, emails, keys}],
///  "keys": [{id, short, person, root, revoked: {reason, hard, time} | null}],
///  "edges": [{issuer, target, amount, depth, scopes, created, expires, counts}]}
/// `counts` is false for the dashed edges of revoked issuers.
nlohmann::json graph_to_json(const GraphInput& in);

}  // namespace vouch::trust
