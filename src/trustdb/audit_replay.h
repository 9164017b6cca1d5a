// The audit log as the source of truth (docs/trust-model.md "The audit log is the source of truth", threat 35):
// replaying the log from its first entry must give exactly the trust tables
// (keys, key_subkeys, people, person_emails, roots, endorsements,
// revocations). A root added or a revocation deleted directly in SQLite
// leaves the hash chain intact; the replay catches it.
//
// The state the replay builds and the snapshot of the tables share one shape:
// per table, a map from a row's key to the row's columns as a JSON object.
// Large columns are compared by hash: a key's material as material_sha256, a
// statement as statement_sha256 (the log carries the statement itself, so the
// row's text is bound to it).
//
//   keys           id -> {kind, material_sha256, created, expires, first_seen,
//                         added_by, comment, person}
//   key_subkeys    "ID FPR" -> {}
//   people         name -> {display_name}
//   person_emails  "NAME EMAIL" -> {}
//   roots          id -> {}
//   endorsements   "ISSUER -> TARGET" -> {person, emails, amount, depth, scopes,
//                         created, expires, comment, statement_sha256}
//   revocations    "KEY REASON TIME STATEMENT_SHA256|-" -> {comment}
//
// Where the replay starts: the schema.migrate entry that took the database
// to version 3 carries a "baseline" — the tables' snapshot at that moment.
// A database created by this vouch has empty tables then (the entries before
// it are the earlier migrations). A database created by an older vouch, whose
// entries did not carry enough to replay, is replayed from its state at the
// upgrade: the entries before the baseline are checked as a hash chain only
// (docs/trust-model.md, "The audit log is the source of truth").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trust/model.h"
#include "trustdb/audit_log.h"
#include "trustdb/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// The schema version whose migration entry carries the replay's baseline.
inline constexpr int kReplayBaselineVersion = 3;

/// The tables in the order they are compared and reported.
const std::vector<std::string>& replayed_tables();

/// The tables as the replay sees them: {"keys": {row key: columns}, ...}.
Result<nlohmann::json> snapshot_tables(const sql::Connection& conn);

/// One way the tables differ from the replayed log.
struct StateDifference {
  std::string table;    ///< "roots"
  std::string row;      ///< the row's key, as in the table above
  std::string message;  ///< "table roots, row ssh:SHA256:...: in the database but not in the audit log"
};

struct ReplayVerification {
  /// An entry the replay cannot apply (a missing field, a key removed that
  /// was never added, an unknown action): the log itself is wrong.
  std::optional<AuditProblem> problem;
  std::vector<StateDifference> differences;  ///< in table order, then row order
};

/// Replays `entries` (already chain-checked, in seq order) and compares the
/// result with the tables of `conn`. Database errors pass through.
Result<ReplayVerification> verify_tables_against_log(const sql::Connection& conn,
                                                     const std::vector<AuditEntry>& entries);

}  // namespace vouch::trust
