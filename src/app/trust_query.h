// `vouch trust check` and `vouch trust path` (docs/trust-model.md): how much
// the web of trust trusts a person or a key, with the paths and, when
// nothing reaches it, the path that is blocked and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trustdb/store.h"
#include "vouch/result.h"
#include "wot/wot.h"

namespace vouch::app {

/// What a check or path asks about: a person's node or one key.
struct TrustTarget {
  std::optional<std::string> person;
  KeyId key;
  std::string label;  ///< "alice", or "ssh:SHA256:... (alice)"
  /// The JSON "target": the person's name or the key id.
  std::string name() const { return person ? *person : key.str(); }
};

/// A person's name first, then anything `vouch key` accepts (id, fingerprint, file).
Result<TrustTarget> resolve_trust_target(const trust::TrustStore& store, const std::string& arg);

struct TrustQueryOptions {
  std::string target;
  int64_t at = 0;       ///< the time trust is computed for
  int64_t min_age = 0;  ///< only endorsements at least this old count
  int stop_at = 0;      ///< stop searching once this amount is reached (0: find every path)
};

struct TrustQuery {
  TrustTarget target;
  trust::TrustResult result;
};

Result<TrustQuery> query_trust(const trust::TrustStore& store, const TrustQueryOptions& opts);

/// What `vouch trust graph` draws: the web of trust's input and the people.
struct TrustGraphData {
  trust::WotInput wot;
  std::vector<trust::Person> people;
};

Result<TrustGraphData> load_trust_graph(const trust::TrustStore& store);

/// A root and the person its key belongs to, if any.
struct RootEntry {
  KeyId id;
  std::optional<std::string> person;
};

/// The roots in the database's order, with their owners.
Result<std::vector<RootEntry>> list_roots(const trust::TrustStore& store);

}  // namespace vouch::app
