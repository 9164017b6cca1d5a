// Text and JSON renderings of the trust database's contents: keys, people,
// revocations and endorsements, as `vouch key` and `vouch person` (and the
// other trust commands) print them. One set of values, two renderings; every
// JSON document a command prints carries "schema": 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/endorse.h"
#include "app/keys.h"
#include "app/revoke.h"
#include "app/trust_query.h"
#include "report/document.h"
#include "trust/model.h"
#include "wot/wot.h"

namespace vouch::report {

/// "2026-01-31T12:00:00Z".
std::string utc_time(int64_t t);

/// A key with what the database says about it beyond the record.
using KeyView = app::KeyView;

// ---- JSON ---------------------------------------------------------------
/// {"reason", "hard", "time", "signed", "statement"?, "comment"?}
nlohmann::json to_json(const trust::RevocationRecord& r);
/// {"issuer", "target", "person", "emails", "amount", "depth", "scopes", "created", "expires", "comment"}
nlohmann::json to_json(const trust::Endorsement& e);
/// Listing fields: {"id", "kind", "person", "created", "expires", "revoked"} (null where unknown).
nlohmann::json key_summary_json(const KeyView& k);
/// Everything: the summary plus "signing_subkeys", "first_seen", "added_by",
/// "comment", "root", "revocations", "endorsements", "material".
nlohmann::json key_details_json(const KeyView& k);
/// {"name", "display_name", "emails", "keys": [key ids]}
nlohmann::json to_json(const trust::Person& p);

/// `vouch key import`: "added|updated|unchanged ID (FILE)" per key and
/// "recorded revocation of ID (REASON, TIME)" per revocation;
/// {"schema", "keys": [{"id", "kind", "file", "result"}], "revocations":
/// [{"key", "reason", "time", "result"}], "warnings"}.
Document render_key_import(const app::KeyImportResult& r);

/// {"schema": 1, "keys": [summary...]}
nlohmann::json key_list_json(const std::vector<KeyView>& keys);
/// {"schema": 1, "key": details}
nlohmann::json key_show_json(const KeyView& k);
/// {"schema": 1, "people": [person...]}
nlohmann::json person_list_json(const std::vector<trust::Person>& people);
/// {"schema": 1, "person": {person..., "keys": [summary...]}}
nlohmann::json person_show_json(const trust::Person& p, const std::vector<KeyView>& keys);

/// Why one stop of a blocked path carries nothing, one line, naming the
/// rule: "scope *@example.org matches none of the target's emails
/// (bob@other.net)", "depth exhausted: depth 0, but 1 more hop follows",
/// "expired at 2026-03-04T02:40:00Z", "issuer ssh:... is revoked (compromised):
/// everything it signed is void", "under probation: created ..., less than
/// --min-age before the reference time", "retracted (amount 0)". `hop` is the
/// endorsement the stop is on (null for the root itself).
std::string block_text(const trust::Block& b, const trust::Hop* hop);
/// {"hops": [hop...], "blocked": [{"hop", "kind", "reason"}]} (hop -1: the root).
nlohmann::json blocked_path_json(const trust::BlockedPath& p);

// ---- text ---------------------------------------------------------------
/// One line per key: "ID  KIND  PERSON  created DATE  expires DATE  [revoked: REASON]".
std::string key_list_text(const std::vector<KeyView>& keys);
std::string key_show_text(const KeyView& k);
/// One line per person: "NAME  DISPLAY  <emails>  N key(s)".
std::string person_list_text(const std::vector<trust::Person>& people);
std::string person_show_text(const trust::Person& p, const std::vector<KeyView>& keys);

/// `vouch endorse`: "endorsement of T by I: added (amount 120, depth 1)",
/// the store's reason when it kept an older one, and with `verbose` the line.
Document render_endorse(const app::EndorseResult& r, bool verbose);

/// `vouch trust check`: "LABEL: trust N (required M): trusted|not trusted",
/// one line per path, revocation, note and the blocked path with its reasons.
Document render_trust_check(const app::TrustQuery& q, int required);
/// `vouch trust path`: every path hop by hop (issuer, target, amount, depth,
/// created, scopes), then as render_trust_check.
Document render_trust_path(const app::TrustQuery& q);

/// `vouch trust root list`: "ID  PERSON" per root, or how to add one (unless
/// `quiet`); {"schema", "roots": [{"id", "person"}]}.
Document render_root_list(const std::vector<app::RootEntry>& roots, bool quiet);
/// `vouch trust root add|remove`: "root added: ID", "already a root: ID", ...;
/// {"schema", "key", "action": "add"|"remove", "changed"}.
Document render_root_change(const KeyId& key, bool add, bool changed);
/// `vouch person add`: "added person NAME with N key(s)"; {"schema", "added": person}.
Document render_person_added(const trust::Person& p);
/// `vouch person add-key`: "added ID to person NAME" or "ID already belongs
/// to person NAME"; {"schema", "person", "key", "result": "added"|"unchanged"}.
Document render_person_key_added(const std::string& person, const KeyId& key, bool added);
/// `vouch person remove`: "removed person NAME[ and N keys: ID...]";
/// {"schema", "removed", "keys_removed"}.
Document render_person_removed(const std::string& person, const std::vector<KeyId>& keys_removed);
/// `vouch key remove`: "removed ID"; {"schema", "removed"}.
Document render_key_removed(const KeyId& key);

/// `vouch key revoke`: "revoked KEY (REASON, hard|soft) at TIME, signed|local decision".
Document render_revoke(const app::RevokeResult& r, const std::string& reason);

}  // namespace vouch::report
