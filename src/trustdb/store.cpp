#include "trustdb/store.h"

#include <algorithm>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "trustdb/table_rows.h"
#include "util/clock.h"

namespace vouch::trust {

namespace {

using nlohmann::json;

/// Stored ids were written from KeyId::str(), so splitting the prefix is
/// enough (and cheap on the 100,000-row endorsement scan).
KeyId stored_key(std::string_view s) {
  if (s.starts_with("openpgp:")) return KeyId{KeyKind::openpgp, std::string(s.substr(8))};
  if (s.starts_with("ssh:")) return KeyId{KeyKind::ssh, std::string(s.substr(4))};
  return KeyId{KeyKind::ssh, std::string(s)};  // never written by vouch; fails every lookup
}

Result<void> check_key_id(const KeyId& k) {
  auto parsed = KeyId::parse(k.str());
  if (!parsed || *parsed != k) return make_error(ErrorKind::bad_input, "invalid key id " + k.str());
  return {};
}

Result<void> check_items(const std::vector<std::string>& items, const char* what) {
  for (const auto& item : items)
    if (item.empty() || item.find_first_of("\r\n") != std::string::npos)
      return make_error(ErrorKind::bad_input, std::string("invalid ") + what + " \"" + item + "\"");
  return {};
}

bool valid_person_name(std::string_view n) {
  if (n.empty()) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::string upper_hex(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

Result<void> check_fingerprint(const std::string& f) {
  const bool hex =
      std::all_of(f.begin(), f.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
  if ((f.size() != 40 && f.size() != 64) || !hex)
    return make_error(ErrorKind::bad_input, "invalid OpenPGP fingerprint \"" + f + "\"");
  return {};
}

json opt_json(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt_json(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

constexpr std::string_view kKeyColumns =
    "SELECT id, material, created, expires, first_seen, added_by, comment, person FROM keys ";

KeyRecord key_from_row(const sql::Statement& st) {
  KeyRecord k;
  k.id = stored_key(st.column_view(0));
  k.material = st.column_text(1);
  k.created = st.column_opt_int(2);
  k.expires = st.column_opt_int(3);
  k.first_seen = st.column_int(4);
  k.added_by = st.column_text(5);
  k.comment = st.column_text(6);
  k.person = st.column_opt_text(7);
  return k;
}

constexpr std::string_view kEndorsementColumns =
    "SELECT issuer, target, person, emails, amount, depth, scopes, created, expires, comment, "
    "statement FROM endorsements ";

Endorsement endorsement_from_row(const sql::Statement& st) {
  Endorsement e;
  e.issuer = stored_key(st.column_view(0));
  e.target = stored_key(st.column_view(1));
  e.person = st.column_opt_text(2);
  e.emails = split_lines(st.column_view(3));
  e.amount = static_cast<int>(st.column_int(4));
  e.depth = static_cast<int>(st.column_int(5));
  e.scopes = split_lines(st.column_view(6));
  e.created = st.column_int(7);
  e.expires = st.column_opt_int(8);
  e.comment = st.column_opt_text(9);
  return e;
}

constexpr std::string_view kRevocationColumns = "SELECT key, reason, time, statement, comment FROM revocations ";

RevocationRecord revocation_from_row(const sql::Statement& st) {
  RevocationRecord r;
  r.key = stored_key(st.column_view(0));
  r.reason = parse_revocation_reason(st.column_view(1)).value_or(RevocationReason::unspecified);
  r.time = st.column_int(2);
  r.statement = st.column_opt_text(3);
  r.comment = st.column_opt_text(4);
  return r;
}

/// Runs a prepared query and collects rows with `decode`.
template <class T, class Decode>
Result<std::vector<T>> collect(sql::Statement& st, Decode decode) {
  std::vector<T> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(decode(st));
  }
}

/// Returns the first row decoded, or nullopt.
template <class T, class Decode>
Result<std::optional<T>> first(sql::Statement& st, Decode decode) {
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  return std::optional<T>(decode(st));
}

Error key_not_held(const KeyId& k) {
  return make_error(ErrorKind::not_found, "key " + k.str() + " is not in the trust database");
}

}  // namespace

std::string_view to_string(KeyImport k) {
  switch (k) {
    case KeyImport::added:
      return "added";
    case KeyImport::unchanged:
      return "unchanged";
    case KeyImport::updated:
      return "updated";
  }
  return "added";
}

std::string_view to_string(PutOutcome p) {
  switch (p) {
    case PutOutcome::added:
      return "added";
    case PutOutcome::replaced:
      return "replaced";
    case PutOutcome::unchanged:
      return "unchanged";
    case PutOutcome::ignored_older:
      return "ignored-older";
  }
  return "added";
}

TrustStore::TrustStore(sql::Connection conn) : conn_(std::move(conn)), clock_(util::now) {}

Result<TrustStore> TrustStore::open(const std::string& path, OpenMode mode) {
  auto conn = open_database(path, mode, util::now());  // VOUCH_NOW pins migration entries too
  if (!conn) return conn.error();
  return TrustStore(std::move(*conn));
}

Result<void> TrustStore::transaction(const std::function<Result<void>()>& body) { return atomically(body); }

Result<void> TrustStore::atomically(const std::function<Result<void>()>& body) {
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(x) { ++d; }
    ~Depth() { --d; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  };
  if (depth_ == 0) {
    auto tx = sql::Transaction::begin(conn_);
    if (!tx) return tx.error();
    Depth depth(depth_);
    VOUCH_TRY(body());  // error or exception: tx's destructor rolls back
    return tx->commit();
  }
  // Nested: a savepoint, so this change is all-or-nothing on its own while
  // the outer transaction goes on.
  const std::string name = "vouch_sp" + std::to_string(depth_);
  VOUCH_TRY(conn_.exec("SAVEPOINT " + name));
  struct Savepoint {
    sql::Connection& conn;
    const std::string& name;
    bool done = false;
    ~Savepoint() {
      if (!done) conn.exec_quietly("ROLLBACK TO " + name + "; RELEASE " + name);
    }
  } savepoint{conn_, name};
  Depth depth(depth_);
  VOUCH_TRY(body());
  VOUCH_TRY(conn_.exec("RELEASE " + name));
  savepoint.done = true;
  return {};
}

Result<void> TrustStore::audit(std::string_view action, const json& change, const Change& who) {
  json c = change;
  if (!who.why.empty()) c["why"] = who.why;
  auto e = append_audit_entry(conn_, now(), who.actor, action, c);
  if (!e) return e.error();
  return {};
}

// --- keys ------------------------------------------------------------------

Result<KeyImport> TrustStore::add_key(const KeyRecord& record, const Change& change) {
  VOUCH_TRY(check_key_id(record.id));
  if (record.material.empty())
    return make_error(ErrorKind::bad_input, "key " + record.id.str() + " has no key material");
  std::vector<std::string> subkeys;
  for (const auto& f : record.signing_subkeys) {
    subkeys.push_back(upper_hex(f));
    VOUCH_TRY(check_fingerprint(subkeys.back()));
  }
  std::sort(subkeys.begin(), subkeys.end());
  subkeys.erase(std::unique(subkeys.begin(), subkeys.end()), subkeys.end());
  const std::string id = record.id.str();

  KeyImport outcome = KeyImport::added;
  const int64_t first_seen = record.first_seen != 0 ? record.first_seen : now();
  auto r = atomically([&]() -> Result<void> {
    auto existing = get_key(record.id);
    if (!existing) return existing.error();
    if (*existing) {
      auto& old = **existing;
      std::sort(old.signing_subkeys.begin(), old.signing_subkeys.end());
      if (old.material == record.material && old.signing_subkeys == subkeys && old.created == record.created &&
          old.expires == record.expires) {
        outcome = KeyImport::unchanged;
        return {};
      }
      outcome = KeyImport::updated;
      auto up =
          sql::Statement::prepare(conn_, "UPDATE keys SET material = ?2, created = ?3, expires = ?4 WHERE id = ?1");
      if (!up) return up.error();
      up->bind(1, id).bind(2, record.material).bind(3, record.created).bind(4, record.expires);
      VOUCH_TRY(up->run());
      auto clear = sql::Statement::prepare(conn_, "DELETE FROM key_subkeys WHERE key = ?1");
      if (!clear) return clear.error();
      clear->bind(1, id);
      VOUCH_TRY(clear->run());
    } else {
      auto ins = sql::Statement::prepare(
          conn_,
          "INSERT INTO keys (id, kind, material, created, expires, first_seen, added_by, comment) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      if (!ins) return ins.error();
      ins->bind(1, id).bind(2, to_string(record.id.kind)).bind(3, record.material);
      ins->bind(4, record.created).bind(5, record.expires);
      ins->bind(6, first_seen);
      ins->bind(7, change.actor).bind(8, change.why);
      VOUCH_TRY(ins->run());
    }
    auto sub = sql::Statement::prepare(conn_, "INSERT INTO key_subkeys (key, fingerprint) VALUES (?1, ?2)");
    if (!sub) return sub.error();
    for (const auto& f : subkeys) {
      sub->reset();
      sub->bind(1, id).bind(2, f);
      VOUCH_TRY(sub->run());
    }
    json logged = {{"key", id},
                   {"material_sha256", sha256_hex(record.material)},
                   {"signing_subkeys", subkeys},
                   {"created", opt_json(record.created)},
                   {"expires", opt_json(record.expires)}};
    // first_seen, added_by (the actor) and comment (why) are set once, by the add.
    if (outcome == KeyImport::added) logged["first_seen"] = first_seen;
    return audit(outcome == KeyImport::added ? "key.add" : "key.update", logged, change);
  });
  if (!r) return r.error();
  return outcome;
}

Result<std::optional<KeyRecord>> TrustStore::get_key(const KeyId& id) const {
  auto st = sql::Statement::prepare(conn_, std::string(kKeyColumns) + "WHERE id = ?1");
  if (!st) return st.error();
  st->bind(1, id.str());
  auto key = first<KeyRecord>(*st, key_from_row);
  if (!key || !*key) return key;
  auto sub = sql::Statement::prepare(conn_, "SELECT fingerprint FROM key_subkeys WHERE key = ?1 ORDER BY fingerprint");
  if (!sub) return sub.error();
  sub->bind(1, id.str());
  auto fprs = collect<std::string>(*sub, [](const sql::Statement& s) { return s.column_text(0); });
  if (!fprs) return fprs.error();
  (*key)->signing_subkeys = std::move(*fprs);
  return key;
}

Result<std::optional<KeyRecord>> TrustStore::find_key_by_subkey(std::string_view fingerprint) const {
  const std::string fpr = upper_hex(fingerprint);
  auto st = sql::Statement::prepare(conn_,
                                    "SELECT key FROM key_subkeys WHERE fingerprint = ?1 "
                                    "UNION SELECT id FROM keys WHERE id = 'openpgp:' || ?1 LIMIT 1");
  if (!st) return st.error();
  st->bind(1, fpr);
  auto id = first<std::string>(*st, [](const sql::Statement& s) { return s.column_text(0); });
  if (!id) return id.error();
  if (!*id) return std::optional<KeyRecord>();
  return get_key(stored_key(**id));
}

Result<std::vector<KeyRecord>> TrustStore::list_keys() const {
  auto st = sql::Statement::prepare(conn_, std::string(kKeyColumns) + "ORDER BY id");
  if (!st) return st.error();
  auto keys = collect<KeyRecord>(*st, key_from_row);
  if (!keys) return keys;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < keys->size(); ++i) index[(*keys)[i].id.str()] = i;
  auto sub = sql::Statement::prepare(conn_, "SELECT key, fingerprint FROM key_subkeys ORDER BY key, fingerprint");
  if (!sub) return sub.error();
  for (;;) {
    auto row = sub->step();
    if (!row) return row.error();
    if (!*row) break;
    if (auto it = index.find(sub->column_text(0)); it != index.end())
      (*keys)[it->second].signing_subkeys.push_back(sub->column_text(1));
  }
  return keys;
}

Result<void> TrustStore::remove_key(const KeyId& id, const Change& change) {
  return atomically([&]() -> Result<void> {
    auto existing = get_key(id);
    if (!existing) return existing.error();
    if (!*existing) return key_not_held(id);
    auto roots = list_roots();
    if (!roots) return roots.error();
    const bool was_root = std::find(roots->begin(), roots->end(), id) != roots->end();
    auto del = sql::Statement::prepare(conn_, "DELETE FROM keys WHERE id = ?1");
    if (!del) return del.error();
    del->bind(1, id.str());
    VOUCH_TRY(del->run());  // key_subkeys and roots cascade
    return audit("key.remove", {{"key", id.str()}, {"was_root", was_root}, {"person", opt_json((*existing)->person)}},
                 change);
  });
}

// --- people ----------------------------------------------------------------

Result<void> TrustStore::add_person(const Person& person, const Change& change) {
  if (!valid_person_name(person.name))
    return make_error(ErrorKind::bad_input,
                      "invalid person name \"" + person.name + "\" (use lower-case letters, digits, '.', '_', '-')");
  VOUCH_TRY(check_items(person.emails, "email"));
  return atomically([&]() -> Result<void> {
    auto existing = get_person(person.name);
    if (!existing) return existing.error();
    if (*existing) return make_error(ErrorKind::bad_input, "person " + person.name + " already exists");
    auto ins = sql::Statement::prepare(conn_, "INSERT INTO people (name, display_name) VALUES (?1, ?2)");
    if (!ins) return ins.error();
    ins->bind(1, person.name).bind(2, person.display_name);
    VOUCH_TRY(ins->run());
    auto mail = sql::Statement::prepare(conn_, "INSERT OR IGNORE INTO person_emails (person, email) VALUES (?1, ?2)");
    if (!mail) return mail.error();
    for (const auto& email : person.emails) {
      mail->reset();
      mail->bind(1, person.name).bind(2, email);
      VOUCH_TRY(mail->run());
    }
    std::vector<std::string> keys;
    for (const auto& k : person.keys) {
      auto linked = link_key(person.name, k);  // logged below, with the person
      if (!linked) return linked.error();
      keys.push_back(k.str());
    }
    return audit(
        "person.add",
        {{"name", person.name}, {"display_name", person.display_name}, {"emails", person.emails}, {"keys", keys}},
        change);
  });
}

Result<bool> TrustStore::link_key(const std::string& name, const KeyId& key) {
  auto p = sql::Statement::prepare(conn_, "SELECT 1 FROM people WHERE name = ?1");
  if (!p) return p.error();
  p->bind(1, name);
  auto found = p->step();
  if (!found) return found.error();
  if (!*found) return make_error(ErrorKind::not_found, "person " + name + " does not exist");
  auto k = get_key(key);
  if (!k) return k.error();
  if (!*k) return key_not_held(key);
  if ((*k)->person == name) return false;
  if ((*k)->person)
    return make_error(ErrorKind::bad_input, "key " + key.str() + " already belongs to person " + *(*k)->person);
  auto up = sql::Statement::prepare(conn_, "UPDATE keys SET person = ?1 WHERE id = ?2");
  if (!up) return up.error();
  up->bind(1, name).bind(2, key.str());
  VOUCH_TRY(up->run());
  return true;
}

Result<bool> TrustStore::add_key_to_person(const std::string& name, const KeyId& key, const Change& change) {
  bool added = false;
  auto r = atomically([&]() -> Result<void> {
    auto linked = link_key(name, key);
    if (!linked) return linked.error();
    added = *linked;
    if (!added) return {};
    return audit("person.add_key", {{"person", name}, {"key", key.str()}}, change);
  });
  if (!r) return r.error();
  return added;
}

Result<std::vector<KeyId>> TrustStore::remove_person(const std::string& name, PersonKeys keys, const Change& change) {
  std::vector<KeyId> removed;
  auto r = atomically([&]() -> Result<void> {
    auto existing = get_person(name);
    if (!existing) return existing.error();
    if (!*existing) return make_error(ErrorKind::not_found, "person " + name + " does not exist");
    const Person& p = **existing;
    if (!p.keys.empty() && keys == PersonKeys::refuse) {
      std::string list;
      for (const auto& k : p.keys) list += (list.empty() ? "" : ", ") + k.str();
      return make_error(ErrorKind::bad_input, "person " + name + " still has " + std::to_string(p.keys.size()) +
                                                  (p.keys.size() == 1 ? " key (" : " keys (") + list +
                                                  "): remove them first, or pass --with-keys");
    }
    for (const auto& k : p.keys) {
      VOUCH_TRY(remove_key(k, change));
      removed.push_back(k);
    }
    auto del = sql::Statement::prepare(conn_, "DELETE FROM people WHERE name = ?1");  // emails cascade
    if (!del) return del.error();
    del->bind(1, name);
    VOUCH_TRY(del->run());
    std::vector<std::string> key_ids;
    for (const auto& k : removed) key_ids.push_back(k.str());
    return audit("person.remove",
                 {{"name", name}, {"display_name", p.display_name}, {"emails", p.emails}, {"keys_removed", key_ids}},
                 change);
  });
  if (!r) return r.error();
  return removed;
}

Result<std::optional<Person>> TrustStore::get_person(const std::string& name) const {
  auto people = list_people();  // small table; one code path for both reads
  if (!people) return people.error();
  for (auto& p : *people)
    if (p.name == name) return std::optional<Person>(std::move(p));
  return std::optional<Person>();
}

Result<std::vector<Person>> TrustStore::list_people() const {
  auto st = sql::Statement::prepare(conn_, "SELECT name, display_name FROM people ORDER BY name");
  if (!st) return st.error();
  auto people = collect<Person>(*st, [](const sql::Statement& s) {
    Person p;
    p.name = s.column_text(0);
    p.display_name = s.column_text(1);
    return p;
  });
  if (!people) return people;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < people->size(); ++i) index[(*people)[i].name] = i;
  auto mails = sql::Statement::prepare(conn_, "SELECT person, email FROM person_emails ORDER BY person, email");
  if (!mails) return mails.error();
  for (;;) {
    auto row = mails->step();
    if (!row) return row.error();
    if (!*row) break;
    if (auto it = index.find(mails->column_text(0)); it != index.end())
      (*people)[it->second].emails.push_back(mails->column_text(1));
  }
  auto keys =
      sql::Statement::prepare(conn_, "SELECT person, id FROM keys WHERE person IS NOT NULL ORDER BY person, id");
  if (!keys) return keys.error();
  for (;;) {
    auto row = keys->step();
    if (!row) return row.error();
    if (!*row) break;
    if (auto it = index.find(keys->column_text(0)); it != index.end())
      (*people)[it->second].keys.push_back(stored_key(keys->column_view(1)));
  }
  return people;
}

Result<std::optional<std::string>> TrustStore::person_of(const KeyId& key) const {
  auto st = sql::Statement::prepare(conn_, "SELECT person FROM keys WHERE id = ?1 AND person IS NOT NULL");
  if (!st) return st.error();
  st->bind(1, key.str());
  return first<std::string>(*st, [](const sql::Statement& s) { return s.column_text(0); });
}

// --- endorsements ----------------------------------------------------------

Result<PutEndorsementResult> TrustStore::put_endorsement(const Endorsement& e, const std::string& signed_line,
                                                         const Change& change) {
  VOUCH_TRY(check_key_id(e.issuer));
  VOUCH_TRY(check_key_id(e.target));
  const std::string pair = "endorsement of " + e.target.str() + " by " + e.issuer.str();
  if (e.amount < 0 || e.amount > kFullTrust)
    return make_error(ErrorKind::bad_input, pair + ": amount " + std::to_string(e.amount) + " is not in 0..120");
  if (e.depth < 0 || e.depth > kUnlimitedDepth)
    return make_error(ErrorKind::bad_input, pair + ": depth " + std::to_string(e.depth) + " is not in 0..255");
  VOUCH_TRY(check_items(e.emails, "email"));
  VOUCH_TRY(check_items(e.scopes, "scope"));
  if (signed_line.empty()) return make_error(ErrorKind::bad_input, pair + ": no signed statement");

  PutEndorsementResult result;
  auto r = atomically([&]() -> Result<void> {
    auto existing = get_endorsement(e.issuer, e.target);
    if (!existing) return existing.error();
    if (*existing) {
      const auto& old = **existing;
      if (old.statement == signed_line) {
        result.outcome = PutOutcome::unchanged;
        return {};
      }
      if (e.created <= old.endorsement.created) {
        result.outcome = PutOutcome::ignored_older;
        result.reason = pair + " created " + std::to_string(e.created) + " is not newer than the stored one (created " +
                        std::to_string(old.endorsement.created) + "); keeping the stored one";
        return {};
      }
      result.outcome = PutOutcome::replaced;
    }
    auto st = sql::Statement::prepare(
        conn_,
        "INSERT INTO endorsements (issuer, target, person, emails, amount, depth, scopes, created, "
        "expires, comment, statement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (issuer, target) DO UPDATE SET person = excluded.person, "
        "emails = excluded.emails, amount = excluded.amount, depth = excluded.depth, "
        "scopes = excluded.scopes, created = excluded.created, expires = excluded.expires, "
        "comment = excluded.comment, statement = excluded.statement");
    if (!st) return st.error();
    st->bind(1, e.issuer.str()).bind(2, e.target.str()).bind(3, e.person);
    st->bind(4, join_lines(e.emails)).bind(5, e.amount).bind(6, e.depth);
    st->bind(7, join_lines(e.scopes)).bind(8, e.created).bind(9, e.expires);
    st->bind(10, e.comment).bind(11, signed_line);
    VOUCH_TRY(st->run());
    return audit(result.outcome == PutOutcome::added ? "endorsement.add" : "endorsement.replace",
                 {{"issuer", e.issuer.str()},
                  {"target", e.target.str()},
                  {"person", opt_json(e.person)},
                  {"emails", e.emails},
                  {"amount", e.amount},
                  {"depth", e.depth},
                  {"scopes", e.scopes},
                  {"created", e.created},
                  {"expires", opt_json(e.expires)},
                  {"comment", opt_json(e.comment)},
                  {"statement", signed_line}},
                 change);
  });
  if (!r) return r.error();
  return result;
}

Result<std::vector<Endorsement>> TrustStore::list_endorsements() const {
  // One statement, one scan, in insertion (rowid) order.
  auto st = sql::Statement::prepare(conn_, std::string(kEndorsementColumns) + "ORDER BY rowid");
  if (!st) return st.error();
  return collect<Endorsement>(*st, endorsement_from_row);
}

Result<std::vector<StoredEndorsement>> TrustStore::list_stored_endorsements() const {
  auto st = sql::Statement::prepare(conn_, std::string(kEndorsementColumns) + "ORDER BY rowid");
  if (!st) return st.error();
  return collect<StoredEndorsement>(*st, [](const sql::Statement& s) {
    return StoredEndorsement{endorsement_from_row(s), s.column_text(10)};
  });
}

Result<std::vector<Endorsement>> TrustStore::endorsements_for(const KeyId& target) const {
  auto st = sql::Statement::prepare(conn_, std::string(kEndorsementColumns) + "WHERE target = ?1 ORDER BY issuer");
  if (!st) return st.error();
  st->bind(1, target.str());
  return collect<Endorsement>(*st, endorsement_from_row);
}

Result<std::optional<StoredEndorsement>> TrustStore::get_endorsement(const KeyId& issuer, const KeyId& target) const {
  auto st = sql::Statement::prepare(conn_, std::string(kEndorsementColumns) + "WHERE issuer = ?1 AND target = ?2");
  if (!st) return st.error();
  st->bind(1, issuer.str()).bind(2, target.str());
  return first<StoredEndorsement>(*st, [](const sql::Statement& s) {
    return StoredEndorsement{endorsement_from_row(s), s.column_text(10)};
  });
}

// --- roots -----------------------------------------------------------------

Result<bool> TrustStore::add_root(const KeyId& key, const Change& change) {
  bool added = false;
  auto r = atomically([&]() -> Result<void> {
    auto k = get_key(key);
    if (!k) return k.error();
    if (!*k) return key_not_held(key);
    auto st = sql::Statement::prepare(conn_, "INSERT OR IGNORE INTO roots (key) VALUES (?1)");
    if (!st) return st.error();
    st->bind(1, key.str());
    VOUCH_TRY(st->run());
    added = conn_.changes() > 0;
    if (!added) return {};
    return audit("root.add", {{"key", key.str()}}, change);
  });
  if (!r) return r.error();
  return added;
}

Result<bool> TrustStore::remove_root(const KeyId& key, const Change& change) {
  bool removed = false;
  auto r = atomically([&]() -> Result<void> {
    auto st = sql::Statement::prepare(conn_, "DELETE FROM roots WHERE key = ?1");
    if (!st) return st.error();
    st->bind(1, key.str());
    VOUCH_TRY(st->run());
    removed = conn_.changes() > 0;
    if (!removed) return {};
    return audit("root.remove", {{"key", key.str()}}, change);
  });
  if (!r) return r.error();
  return removed;
}

Result<std::vector<KeyId>> TrustStore::list_roots() const {
  auto st = sql::Statement::prepare(conn_, "SELECT key FROM roots ORDER BY key");
  if (!st) return st.error();
  return collect<KeyId>(*st, [](const sql::Statement& s) { return stored_key(s.column_view(0)); });
}

// --- revocations -----------------------------------------------------------

Result<bool> TrustStore::add_revocation(const RevocationRecord& rev, const Change& change) {
  VOUCH_TRY(check_key_id(rev.key));
  if (rev.statement && rev.statement->empty())
    return make_error(ErrorKind::bad_input, "revocation of " + rev.key.str() + ": empty statement");
  bool added = false;
  auto r = atomically([&]() -> Result<void> {
    auto dup = sql::Statement::prepare(
        conn_, "SELECT 1 FROM revocations WHERE key = ?1 AND reason = ?2 AND time = ?3 AND statement IS ?4");
    if (!dup) return dup.error();
    dup->bind(1, rev.key.str()).bind(2, to_string(rev.reason)).bind(3, rev.time).bind(4, rev.statement);
    auto seen = dup->step();
    if (!seen) return seen.error();
    if (*seen) return {};
    auto ins = sql::Statement::prepare(
        conn_, "INSERT INTO revocations (key, reason, time, statement, comment) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ins) return ins.error();
    ins->bind(1, rev.key.str()).bind(2, to_string(rev.reason)).bind(3, rev.time);
    ins->bind(4, rev.statement).bind(5, rev.comment);
    VOUCH_TRY(ins->run());
    added = true;
    return audit("revocation.add",
                 {{"key", rev.key.str()},
                  {"reason", to_string(rev.reason)},
                  {"time", rev.time},
                  {"statement", opt_json(rev.statement)},
                  {"comment", opt_json(rev.comment)}},
                 change);
  });
  if (!r) return r.error();
  return added;
}

Result<std::vector<RevocationRecord>> TrustStore::revocations_of(const KeyId& key) const {
  auto st = sql::Statement::prepare(conn_, std::string(kRevocationColumns) + "WHERE key = ?1 ORDER BY time, id");
  if (!st) return st.error();
  st->bind(1, key.str());
  return collect<RevocationRecord>(*st, revocation_from_row);
}

Result<std::vector<RevocationRecord>> TrustStore::list_revocations() const {
  auto st = sql::Statement::prepare(conn_, std::string(kRevocationColumns) + "ORDER BY key, time, id");
  if (!st) return st.error();
  return collect<RevocationRecord>(*st, revocation_from_row);
}

}  // namespace vouch::trust
