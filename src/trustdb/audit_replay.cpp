#include "trustdb/audit_replay.h"

#include <map>
#include <set>

#include "trustdb/table_rows.h"

namespace vouch::trust {

namespace {

using nlohmann::json;

/// table -> row key -> columns.
using State = TableRows;
/// table -> row key -> the entry that last set the row (0: the baseline).
using Origins = std::map<std::string, std::map<std::string, int64_t>>;

/// Applies log entries to a State, one at a time; the first entry it cannot
/// apply ends the replay with a problem naming it.
class Replayer {
 public:
  /// false (and problem() set) when `e` cannot be applied.
  bool apply(const AuditEntry& e);
  const std::optional<AuditProblem>& problem() const { return problem_; }
  bool started() const { return started_; }
  const State& state() const { return state_; }
  const Origins& origins() const { return origins_; }

 private:
  bool fail(const std::string& why) {
    problem_ = AuditProblem{seq_, "entry " + std::to_string(seq_) + " (" + action_ + "): " + why};
    return false;
  }
  /// The field `name` of the entry's change; sets the problem when absent
  /// or of the wrong JSON type.
  const json* field(const char* name, json::value_t type, bool nullable = false);
  bool str(const char* name, std::string& out);
  bool text_list(const char* name, std::vector<std::string>& out);
  void set(const std::string& table, const std::string& key, json value) {
    state_[table][key] = std::move(value);
    origins_[table][key] = seq_;
  }
  void erase(const std::string& table, const std::string& key) {
    state_[table].erase(key);
    origins_[table].erase(key);
  }
  bool has(const std::string& table, const std::string& key) const {
    auto t = state_.find(table);
    return t != state_.end() && t->second.contains(key);
  }

  bool baseline();
  bool key_add(bool update);
  bool key_remove();
  bool person_add();
  bool person_add_key();
  bool person_remove();
  bool endorsement_put(bool replace);
  bool root_change(bool add);
  bool revocation_add();

  State state_;
  Origins origins_;
  bool started_ = false;
  std::optional<AuditProblem> problem_;
  // The entry being applied.
  int64_t seq_ = 0;
  std::string action_, actor_;
  json change_;
};

const json* Replayer::field(const char* name, json::value_t type, bool nullable) {
  auto it = change_.find(name);
  if (it == change_.end()) {
    fail(std::string("the payload has no ") + name);
    return nullptr;
  }
  const bool number = type == json::value_t::number_integer;
  const bool ok = (nullable && it->is_null()) || (number ? it->is_number_integer() : it->type() == type);
  if (!ok) {
    fail(std::string("the payload's ") + name + " has the wrong type");
    return nullptr;
  }
  return &*it;
}

bool Replayer::str(const char* name, std::string& out) {
  const json* v = field(name, json::value_t::string);
  if (v == nullptr) return false;
  out = v->get<std::string>();
  return true;
}

bool Replayer::text_list(const char* name, std::vector<std::string>& out) {
  const json* v = field(name, json::value_t::array);
  if (v == nullptr) return false;
  out.clear();
  for (const auto& item : *v) {
    if (!item.is_string()) return fail(std::string("the payload's ") + name + " holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return true;
}

bool Replayer::baseline() {
  const json* b = field("baseline", json::value_t::object);
  if (b == nullptr) return false;
  state_.clear();
  origins_.clear();
  for (const auto& t : replayed_tables()) {
    auto it = b->find(t);
    if (it == b->end() || !it->is_object()) return fail("the baseline has no table " + t);
    for (const auto& [key, value] : it->items()) {
      state_[t][key] = value;
      origins_[t][key] = seq_;
    }
  }
  started_ = true;
  return true;
}

bool Replayer::key_add(bool update) {
  std::string id, material;
  if (!str("key", id) || !str("material_sha256", material)) return false;
  std::vector<std::string> subkeys;
  if (!text_list("signing_subkeys", subkeys)) return false;
  const json* created = field("created", json::value_t::number_integer, true);
  const json* expires = field("expires", json::value_t::number_integer, true);
  if (created == nullptr || expires == nullptr) return false;
  auto key = KeyId::parse(id);
  if (!key || key->str() != id) return fail("\"" + id + "\" is not a canonical key id");
  json row;
  if (update) {
    if (!has("keys", id)) return fail("updates key " + id + ", which the log does not hold");
    row = state_["keys"][id];
    for (auto it = state_["key_subkeys"].begin(); it != state_["key_subkeys"].end();) {
      if (it->first.starts_with(id + " ")) {
        origins_["key_subkeys"].erase(it->first);
        it = state_["key_subkeys"].erase(it);
      } else {
        ++it;
      }
    }
  } else {
    if (has("keys", id)) return fail("adds key " + id + ", which the log already holds");
    const json* first_seen = field("first_seen", json::value_t::number_integer);
    if (first_seen == nullptr) return false;
    auto why = change_.find("why");
    row = {{"kind", std::string(to_string(key->kind))},
           {"first_seen", *first_seen},
           {"added_by", actor_},
           {"comment", why != change_.end() && why->is_string() ? why->get<std::string>() : ""},
           {"person", nullptr}};
  }
  row["material_sha256"] = material;
  row["created"] = *created;
  row["expires"] = *expires;
  set("keys", id, std::move(row));
  for (const auto& f : subkeys) set("key_subkeys", subkey_row(id, f), json::object());
  return true;
}

bool Replayer::key_remove() {
  std::string id;
  if (!str("key", id)) return false;
  if (!has("keys", id)) return fail("removes key " + id + ", which the log does not hold");
  erase("keys", id);
  erase("roots", id);  // roots and key_subkeys cascade with their key
  for (auto it = state_["key_subkeys"].begin(); it != state_["key_subkeys"].end();) {
    if (it->first.starts_with(id + " ")) {
      origins_["key_subkeys"].erase(it->first);
      it = state_["key_subkeys"].erase(it);
    } else {
      ++it;
    }
  }
  return true;
}

bool Replayer::person_add() {
  std::string name, display;
  std::vector<std::string> emails, keys;
  if (!str("name", name) || !str("display_name", display) || !text_list("emails", emails) || !text_list("keys", keys))
    return false;
  if (has("people", name)) return fail("adds person " + name + ", who the log already holds");
  set("people", name, {{"display_name", display}});
  for (const auto& e : emails) set("person_emails", email_row(name, e), json::object());
  for (const auto& k : keys) {
    if (!has("keys", k)) return fail("gives person " + name + " key " + k + ", which the log does not hold");
    json row = state_["keys"][k];
    if (!row["person"].is_null()) return fail("gives person " + name + " key " + k + ", which belongs to someone");
    row["person"] = name;
    set("keys", k, std::move(row));
  }
  return true;
}

bool Replayer::person_add_key() {
  std::string name, k;
  if (!str("person", name) || !str("key", k)) return false;
  if (!has("people", name)) return fail("names person " + name + ", who the log does not hold");
  if (!has("keys", k)) return fail("names key " + k + ", which the log does not hold");
  json row = state_["keys"][k];
  row["person"] = name;
  set("keys", k, std::move(row));
  return true;
}

bool Replayer::person_remove() {
  std::string name;
  if (!str("name", name)) return false;
  if (!has("people", name)) return fail("removes person " + name + ", who the log does not hold");
  erase("people", name);
  for (auto it = state_["person_emails"].begin(); it != state_["person_emails"].end();) {
    if (it->first.starts_with(name + " ")) {
      origins_["person_emails"].erase(it->first);
      it = state_["person_emails"].erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [id, row] : state_["keys"])  // ON DELETE SET NULL
    if (row["person"] == name) {
      row["person"] = nullptr;
      origins_["keys"][id] = seq_;
    }
  return true;
}

bool Replayer::endorsement_put(bool replace) {
  std::string issuer, target, statement;
  std::vector<std::string> emails, scopes;
  if (!str("issuer", issuer) || !str("target", target) || !str("statement", statement) ||
      !text_list("emails", emails) || !text_list("scopes", scopes))
    return false;
  const json* person = field("person", json::value_t::string, true);
  const json* amount = field("amount", json::value_t::number_integer);
  const json* depth = field("depth", json::value_t::number_integer);
  const json* created = field("created", json::value_t::number_integer);
  const json* expires = field("expires", json::value_t::number_integer, true);
  const json* comment = field("comment", json::value_t::string, true);
  if (!person || !amount || !depth || !created || !expires || !comment) return false;
  const std::string row = endorsement_row(issuer, target);
  if (replace != has("endorsements", row))
    return fail(replace ? "replaces endorsement " + row + ", which the log does not hold"
                        : "adds endorsement " + row + ", which the log already holds");
  set("endorsements", row,
      {{"person", *person},
       {"emails", emails},
       {"amount", *amount},
       {"depth", *depth},
       {"scopes", scopes},
       {"created", *created},
       {"expires", *expires},
       {"comment", *comment},
       {"statement_sha256", sha256_hex(statement)}});
  return true;
}

bool Replayer::root_change(bool add) {
  std::string id;
  if (!str("key", id)) return false;
  if (add) {
    if (!has("keys", id)) return fail("makes key " + id + " a root, which the log does not hold");
    if (has("roots", id)) return fail("makes key " + id + " a root, which it already is");
    set("roots", id, json::object());
  } else {
    if (!has("roots", id)) return fail("removes root " + id + ", which is not a root in the log");
    erase("roots", id);
  }
  return true;
}

bool Replayer::revocation_add() {
  std::string key, reason;
  if (!str("key", key) || !str("reason", reason)) return false;
  const json* time = field("time", json::value_t::number_integer);
  const json* statement = field("statement", json::value_t::string, true);
  const json* comment = field("comment", json::value_t::string, true);
  if (!time || !statement || !comment) return false;
  const std::string row = revocation_row(key, reason, time->get<int64_t>(), opt_sha(*statement));
  if (has("revocations", row)) return fail("records revocation " + row + " twice");
  set("revocations", row, {{"comment", *comment}});
  return true;
}

bool Replayer::apply(const AuditEntry& e) {
  seq_ = e.seq;
  action_ = e.action;
  actor_ = e.actor;
  auto doc = json::parse(e.payload, nullptr, false);
  change_ = doc.is_object() && doc.contains("change") ? doc["change"] : json();
  if (!change_.is_object()) return fail("the payload has no change object");

  if (e.action == "schema.migrate") {
    const json* to = field("to", json::value_t::number_integer);
    if (to == nullptr) return false;
    if (to->get<int64_t>() != kReplayBaselineVersion) return true;
    if (started_) return fail("a second baseline");
    return baseline();
  }
  // Before the baseline: an older vouch's entries, checked as a chain only.
  if (!started_) return true;
  if (e.action == "key.add") return key_add(false);
  if (e.action == "key.update") return key_add(true);
  if (e.action == "key.remove") return key_remove();
  if (e.action == "person.add") return person_add();
  if (e.action == "person.add_key") return person_add_key();
  if (e.action == "person.remove") return person_remove();
  if (e.action == "endorsement.add") return endorsement_put(false);
  if (e.action == "endorsement.replace") return endorsement_put(true);
  if (e.action == "root.add") return root_change(true);
  if (e.action == "root.remove") return root_change(false);
  if (e.action == "revocation.add") return revocation_add();
  if (e.action == "keyring.import") return true;  // a summary; each change has its own entry
  return fail("unknown action; this vouch cannot replay it");
}

/// "null", "\"text\"", "[...]": a column's value for a message, shortened.
std::string show(const json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

std::string entry_ref(int64_t seq) { return "entry " + std::to_string(seq); }

void compare(const State& log, const Origins& origins, const State& db, std::vector<StateDifference>& out) {
  static const std::map<std::string, json> kEmpty;
  for (const auto& table : replayed_tables()) {
    auto lt = log.find(table);
    auto dt = db.find(table);
    const auto& l = lt == log.end() ? kEmpty : lt->second;
    const auto& d = dt == db.end() ? kEmpty : dt->second;
    std::set<std::string> keys;
    for (const auto& [k, v] : l) keys.insert(k);
    for (const auto& [k, v] : d) keys.insert(k);
    for (const auto& k : keys) {
      const std::string where = "table " + table + ", row " + k + ": ";
      auto li = l.find(k);
      auto di = d.find(k);
      const int64_t seq = li == l.end() ? 0 : origins.at(table).at(k);
      if (li == l.end()) {
        out.push_back({table, k, where + "in the database but not in the audit log"});
      } else if (di == d.end()) {
        out.push_back({table, k, where + "recorded by " + entry_ref(seq) + " but missing from the database"});
      } else if (li->second != di->second) {
        for (const auto& [col, want] : li->second.items()) {
          auto got = di->second.find(col);
          if (got != di->second.end() && *got == want) continue;
          out.push_back({table, k,
                         where + col + " is " + (got == di->second.end() ? "absent" : show(*got)) +
                             " in the database but " + show(want) + " in the audit log (" + entry_ref(seq) + ")"});
          break;
        }
      }
    }
  }
}

}  // namespace

const std::vector<std::string>& replayed_tables() {
  static const std::vector<std::string> tables = {"keys",  "key_subkeys",  "people",     "person_emails",
                                                  "roots", "endorsements", "revocations"};
  return tables;
}

Result<json> snapshot_tables(const sql::Connection& conn) {
  std::vector<DuplicateRow> duplicates;
  auto s = read_table_rows(conn, duplicates);
  if (!s) return s.error();
  json out = json::object();
  for (const auto& [table, rows] : *s) {
    json t = json::object();
    for (const auto& [k, v] : rows) t[k] = v;
    out[table] = std::move(t);
  }
  return out;
}

Result<ReplayVerification> verify_tables_against_log(const sql::Connection& conn,
                                                     const std::vector<AuditEntry>& entries) {
  ReplayVerification v;
  Replayer replay;
  for (const AuditEntry& e : entries) {
    if (!replay.apply(e)) {
      v.problem = replay.problem();
      return v;
    }
  }
  if (!replay.started()) {
    v.problem = AuditProblem{entries.empty() ? 0 : entries.back().seq,
                             "the log has no schema.migrate entry to version " +
                                 std::to_string(kReplayBaselineVersion) + " (where the replay starts)"};
    return v;
  }
  std::vector<DuplicateRow> duplicates;
  auto db = read_table_rows(conn, duplicates);
  if (!db) return db.error();
  for (const auto& d : duplicates)
    v.differences.push_back(
        {d.table, d.row, "table " + d.table + ", row " + d.row + ": appears twice in the database"});
  compare(replay.state(), replay.origins(), *db, v.differences);
  return v;
}

}  // namespace vouch::trust
