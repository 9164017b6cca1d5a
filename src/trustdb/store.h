// TrustStore: the trust database's contents (docs/trust-model.md) as typed operations.
//
// Contracts shared by every method:
// - Every change runs in one transaction (BEGIN IMMEDIATE ... COMMIT) and
//   appends its audit entry inside it; on any error or exception nothing of
//   it remains. Inside transaction(body) the changes join the outer
//   transaction; each one still runs in a SAVEPOINT, so a refused change
//   leaves the others intact and the caller decides whether to go on.
// - The store persists; it does not verify signatures or statement syntax
//   (statement.h does that first). It does check what keeps the database
//   consistent: key ids well-formed, amount 0..120, depth 0..255, a key in at
//   most one person, roots and person links only to keys it holds.
// - Reads of a missing thing return an empty optional; changes that need a
//   missing thing return not_found naming it.
// - One TrustStore per thread; open another for another thread or process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "trust/model.h"
#include "trustdb/audit_log.h"
#include "trustdb/audit_replay.h"
#include "trustdb/database.h"
#include "trustdb/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// Who makes a change and why: the audit entry's actor, and for keys the
/// stored added_by/comment.
struct Change {
  std::string actor = "local";  ///< key id or "local"
  std::string why;              ///< optional; recorded in the audit payload
};

enum class KeyImport { added, unchanged, updated };
std::string_view to_string(KeyImport k);

enum class PutOutcome { added, replaced, unchanged, ignored_older };

/// What remove_person does with the person's keys.
enum class PersonKeys { refuse, remove };
std::string_view to_string(PutOutcome p);

struct PutEndorsementResult {
  PutOutcome outcome = PutOutcome::added;
  std::string reason;  ///< for ignored_older: why the stored one was kept
};

/// An endorsement with the signed line it came from (for export).
struct StoredEndorsement {
  Endorsement endorsement;
  std::string statement;
};

class TrustStore {
 public:
  using Clock = std::function<int64_t()>;

  /// Opens the database (database.h: location rules are the caller's, via
  /// resolve_db_path; errors as open_database documents).
  static Result<TrustStore> open(const std::string& path, OpenMode mode);

  /// Replaces the clock used for audit times and first_seen (tests).
  void set_clock(Clock clock) { clock_ = std::move(clock); }
  const std::string& path() const { return conn_.path(); }
  Result<int> schema_version() const { return trust::schema_version(conn_); }

  /// Runs body in one transaction: commits when it returns ok, rolls back
  /// when it returns an error or throws (the exception propagates).
  Result<void> transaction(const std::function<Result<void>()>& body);

  // --- keys ---------------------------------------------------------------
  /// Adds the key, or for a key already held updates its material, subkeys,
  /// created and expires (first_seen, added_by, comment and person stay).
  /// added_by/comment come from `change` (actor, why); record.first_seen 0
  /// means now; record.person is ignored (use add_key_to_person).
  Result<KeyImport> add_key(const KeyRecord& record, const Change& change = {});
  Result<std::optional<KeyRecord>> get_key(const KeyId& id) const;
  /// The key whose primary or signing subkey has this fingerprint (hex, any case).
  Result<std::optional<KeyRecord>> find_key_by_subkey(std::string_view fingerprint) const;
  Result<std::vector<KeyRecord>> list_keys() const;  ///< ordered by id
  /// Removes the key with its subkeys, root status and person link.
  /// Endorsements and revocations about it are kept: they are signed facts,
  /// and a revocation must survive so that remove + re-import cannot undo it.
  Result<void> remove_key(const KeyId& id, const Change& change = {});

  // --- people -------------------------------------------------------------
  /// Adds a person with emails and keys (each key must be held and belong to
  /// nobody else). Duplicate name -> bad_input "person NAME already exists".
  Result<void> add_person(const Person& person, const Change& change = {});
  /// false when the key already belongs to this person. A key belongs to at
  /// most one person: bad_input "key X already belongs to person Y".
  Result<bool> add_key_to_person(const std::string& name, const KeyId& key, const Change& change = {});
  /// Removes the person and their emails (audited "person.remove"). A
  /// person who still holds keys is refused (bad_input "person NAME still
  /// has 2 keys (K1, K2): remove them first, or pass --with-keys") unless
  /// `keys` is remove: then each key is removed first, as remove_key does
  /// (one "key.remove" entry each), in the same transaction. Missing person:
  /// not_found "person NAME does not exist". Endorsements naming the person
  /// are signed facts and stay. Returns the removed keys.
  Result<std::vector<KeyId>> remove_person(const std::string& name, PersonKeys keys, const Change& change = {});
  Result<std::optional<Person>> get_person(const std::string& name) const;
  Result<std::vector<Person>> list_people() const;  ///< ordered by name
  Result<std::optional<std::string>> person_of(const KeyId& key) const;

  // --- endorsements -------------------------------------------------------
  /// Stores the newest endorsement per (issuer, target): added when none,
  /// replaced when this one was created later, unchanged when the same line
  /// is stored, ignored_older (with reason) otherwise. Amount 0 is stored
  /// like any other: it is the retraction that replaces the older edge.
  Result<PutEndorsementResult> put_endorsement(const Endorsement& e, const std::string& signed_line,
                                               const Change& change = {});
  /// Every endorsement in one scan (for the trust computation).
  Result<std::vector<Endorsement>> list_endorsements() const;
  Result<std::vector<StoredEndorsement>> list_stored_endorsements() const;
  Result<std::vector<Endorsement>> endorsements_for(const KeyId& target) const;
  Result<std::optional<StoredEndorsement>> get_endorsement(const KeyId& issuer, const KeyId& target) const;

  // --- roots --------------------------------------------------------------
  /// true when added, false when already a root; the key must be held.
  Result<bool> add_root(const KeyId& key, const Change& change = {});
  /// true when removed, false when it was not a root.
  Result<bool> remove_root(const KeyId& key, const Change& change = {});
  Result<std::vector<KeyId>> list_roots() const;

  // --- revocations --------------------------------------------------------
  /// true when recorded, false when the same revocation (key, reason, time,
  /// statement) is already there. The key need not be held.
  Result<bool> add_revocation(const RevocationRecord& r, const Change& change = {});
  Result<std::vector<RevocationRecord>> revocations_of(const KeyId& key) const;
  Result<std::vector<RevocationRecord>> list_revocations() const;

  // --- audit log ----------------------------------------------------------
  Result<std::vector<AuditEntry>> audit_log(int64_t after_seq = 0) const { return read_audit_log(conn_, after_seq); }
  Result<AuditVerification> verify_audit_log() const { return trust::verify_audit_log(conn_); }
  /// The log's last entry (seq 0 and the genesis hash when empty).
  Result<AuditHead> audit_head() const { return current_audit_head(conn_); }
  /// Appends an entry that changes no table: a summary of an operation
  /// whose changes have entries of their own ("keyring.import").
  Result<void> record_event(std::string_view action, const nlohmann::json& summary, const Change& change = {}) {
    return atomically([&]() { return audit(action, summary, change); });
  }
  /// Replays the log and compares it with the tables (audit_replay.h); run
  /// it on a log whose chain verify_audit_log() found intact.
  Result<ReplayVerification> verify_tables() const {
    auto entries = read_audit_log(conn_);
    if (!entries) return entries.error();
    return verify_tables_against_log(conn_, *entries);
  }

  /// The connection, for modules that keep their own tables in the same
  /// file (the verification cache) and for tests.
  sql::Connection& connection() { return conn_; }

 private:
  explicit TrustStore(sql::Connection conn);
  /// Runs body atomically: a transaction at depth 0, a savepoint inside one.
  Result<void> atomically(const std::function<Result<void>()>& body);
  /// Sets keys.person after the one-person-per-key checks; no audit entry.
  Result<bool> link_key(const std::string& name, const KeyId& key);
  Result<void> audit(std::string_view action, const nlohmann::json& change, const Change& who);
  int64_t now() const { return clock_(); }

  sql::Connection conn_;
  Clock clock_;
  int depth_ = 0;
};

}  // namespace vouch::trust
