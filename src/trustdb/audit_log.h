// The trust database's append-only, hash-chained audit log (docs/trust-model.md,
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
// The head record: every append also writes "SEQ HASH" of the new entry to
// the meta row `audit_head`, in the same transaction, and verify_audit_log()
// checks that the chain ends exactly there. Deleting the newest entries
// (with or without the changes they recorded) is then visible, unless the
// head record is rewritten too.
//
// What nothing inside the file can detect: someone with write access who
// rewrites entries, recomputes every later hash AND the head record (the
// chain is not keyed). That needs an anchor kept outside the file: the head
// `vouch log --verify` prints, or the `audit-head` file a key-set bundle
// export writes (AuditHead below), checked with `vouch log --verify --head`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "trust/model.h"
#include "trustdb/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// prev_hash of the first entry.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends an entry; must run inside the caller's write transaction (the
/// store's), which it does not open itself. Returns the entry written, and
/// moves the head record to it. Refuses (bad_input "trust database PATH: its
/// audit log ends at entry 11, not where its head record says (entry 12);
/// nothing written: run `vouch log --verify`") when the log does not end at
/// the head record, or the record is missing outside a schema migration:
/// a new entry must not cover a cut.
Result<AuditEntry> append_audit_entry(sql::Connection& conn, int64_t time, std::string_view actor,
                                      std::string_view action, const nlohmann::json& change);

/// Entries with seq > after_seq in seq order.
Result<std::vector<AuditEntry>> read_audit_log(const sql::Connection& conn, int64_t after_seq = 0);

/// hex SHA-256(prev_hash || payload), as stored in the hash column.
std::string audit_hash(std::string_view prev_hash, std::string_view payload);

/// Lower-hex SHA-256 of `data` (the audit payloads' digests of key material).
std::string sha256_hex(std::string_view data);

/// A point of the chain: entry `seq` has hash `hash` (seq 0: the empty log,
/// genesis hash).
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};
bool operator==(const AuditHead& a, const AuditHead& b);

/// The meta row that holds the head record.
inline constexpr std::string_view kAuditHeadMetaKey = "audit_head";

/// The `audit-head` file of a bundle: "vouch-audit-head v1\nseq N\nhash H\n".
std::string format_audit_head(const AuditHead& head);
/// Parses that file's text, or the short form "SEQ:HASH" a user types.
/// malformed "SOURCE: expected ..." otherwise.
Result<AuditHead> parse_audit_head(std::string_view text, const std::string& source);

/// The head of the log as the entries say (the last entry, or seq 0 genesis).
Result<AuditHead> current_audit_head(const sql::Connection& conn);

/// The first broken link of the chain.
struct AuditProblem {
  int64_t seq = 0;
  std::string message;  ///< "entry 7: hash does not match its contents", "seq gap after 5", ...
};

struct AuditVerification {
  int64_t entries = 0;                  ///< rows checked
  std::string head_hash;                ///< hash of the last entry (genesis when empty)
  std::optional<AuditProblem> problem;  ///< a broken link; unset when the chain is intact
  /// The chain is intact but does not end where the head record says (or
  /// the record is missing): entries cut off the end, or added behind vouch.
  std::optional<AuditProblem> head_problem;
};

/// Recomputes the chain from the first entry and stops at the first problem.
/// Checks, per entry in seq order: seq follows the previous one without a
/// gap (the first is 1); prev_hash equals the previous hash; hash matches
/// prev_hash || payload; the payload is canonical JSON whose seq, time,
/// actor and action equal the row's columns. Then, when the chain is
/// intact, the head record: it must exist and name the last entry, else
/// head_problem ("the log ends at entry 11, but the head record names entry
/// 12 (hash ...): entries were removed from the end").
Result<AuditVerification> verify_audit_log(const sql::Connection& conn);

/// The problem with an external anchor, or "" when the log holds entry
/// `anchor.seq` with exactly that hash.
std::string anchor_problem(const std::vector<AuditEntry>& entries, const AuditHead& anchor);

}  // namespace vouch::trust
