// The trust database's append-only, hash-chained audit log (trust.md,
// threat 23). Every change the store makes appends one entry inside the same
// transaction as the change, so a change and its entry land together or not
// at all.
//
// Entry: (seq, time, actor, action, payload, prev_hash, hash) with
//   hash = lower-hex SHA-256(prev_hash || payload)
// where prev_hash is the previous entry's hash as its 64-character hex text
// (64 '0's for the first entry) and payload the canonical JSON text.
//
// The spec's hash covers only prev_hash and payload, so the payload repeats
// seq, time, actor and action next to the change itself:
//   {"action":"key.add","actor":"local","change":{...},"seq":7,"time":1764000000}
// (nlohmann::json::dump() of an object: keys sorted, no whitespace). Editing
// any column of a row therefore breaks either the hash or the agreement
// between the payload and the row, and verify_audit_log() notices.
//
// What the chain cannot detect on its own: someone with write access to the
// file who rewrites an entry AND recomputes every later hash, or who deletes
// the newest entries. Both need an anchor kept outside the file (e.g. the
// head hash `vouch log` prints, recorded elsewhere).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "trust/model.h"
#include "trust/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// prev_hash of the first entry.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends an entry; must run inside the caller's write transaction (the
/// store's), which it does not open itself. Returns the entry written.
Result<AuditEntry> append_audit_entry(sql::Connection& conn, int64_t time, std::string_view actor,
                                      std::string_view action, const nlohmann::json& change);

/// Entries with seq > after_seq in seq order.
Result<std::vector<AuditEntry>> read_audit_log(const sql::Connection& conn, int64_t after_seq = 0);

/// hex SHA-256(prev_hash || payload), as stored in the hash column.
std::string audit_hash(std::string_view prev_hash, std::string_view payload);

/// The first broken link of the chain.
struct AuditProblem {
  int64_t seq = 0;
  std::string message;  ///< "entry 7: hash does not match its contents", "seq gap after 5", ...
};

struct AuditVerification {
  int64_t entries = 0;                 ///< rows checked
  std::string head_hash;               ///< hash of the last entry (genesis when empty)
  std::optional<AuditProblem> problem;  ///< unset when the chain is intact
};

/// Recomputes the chain from the first entry and stops at the first problem.
/// Checks, per entry in seq order: seq follows the previous one without a
/// gap (the first is 1); prev_hash equals the previous hash; hash matches
/// prev_hash || payload; the payload is canonical JSON whose seq, time,
/// actor and action equal the row's columns.
Result<AuditVerification> verify_audit_log(const sql::Connection& conn);

}  // namespace vouch::trust
