#include "trustdb/database.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "trustdb/audit_log.h"
#include "trustdb/audit_replay.h"

namespace vouch::trust {

namespace {

// Version 1: the first schema. Never edit a step that has shipped: a
// database created by it must migrate the same way forever; add a step.
//
// Design notes:
// - endorsements: PRIMARY KEY (issuer, target) is the spec's "one per pair,
//   newest wins" (the store replaces rows). emails and scopes are LF-joined
//   text columns, not JSON and not side tables: they come from one-line
//   statement fields (so cannot contain LF), are always read together with
//   their endorsement and never queried on their own, and the trust
//   computation loads every endorsement (100,000 rows) in one sequential scan
//   where a join or a JSON parse per row would dominate.
// - endorsements and revocations carry no foreign key to keys: statements
//   about keys we do not (yet) hold are valid, and a revocation must survive
//   the removal of its key so that remove + re-import cannot launder it.
// - roots and key_subkeys cascade with their key; a key's person link is
//   cleared when the person goes.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('application', 'vouch-trust');
CREATE TABLE people (
  name         TEXT PRIMARY KEY NOT NULL,
  display_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE person_emails (
  person TEXT NOT NULL REFERENCES people(name) ON DELETE CASCADE,
  email  TEXT NOT NULL,
  PRIMARY KEY (person, email)
);
CREATE TABLE keys (
  id         TEXT PRIMARY KEY NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('ssh', 'openpgp')),
  material   TEXT NOT NULL,
  created    INTEGER,
  expires    INTEGER,
  first_seen INTEGER NOT NULL,
  person     TEXT REFERENCES people(name) ON DELETE SET NULL
);
CREATE TABLE key_subkeys (
  key         TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (key, fingerprint)
);
CREATE TABLE endorsements (
  issuer    TEXT NOT NULL,
  target    TEXT NOT NULL,
  person    TEXT,
  emails    TEXT NOT NULL DEFAULT '',
  amount    INTEGER NOT NULL CHECK (amount BETWEEN 0 AND 120),
  depth     INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 255),
  scopes    TEXT NOT NULL DEFAULT '',
  created   INTEGER NOT NULL,
  expires   INTEGER,
  comment   TEXT,
  statement TEXT NOT NULL,
  PRIMARY KEY (issuer, target)
);
CREATE TABLE roots (
  key TEXT PRIMARY KEY NOT NULL REFERENCES keys(id) ON DELETE CASCADE
);
CREATE TABLE revocations (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL,
  reason    TEXT NOT NULL CHECK (reason IN ('compromised', 'superseded', 'retired', 'unspecified')),
  time      INTEGER NOT NULL,
  statement TEXT,
  comment   TEXT
);
CREATE INDEX revocations_key ON revocations(key);
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  time      INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
)sql";

// Version 2: who added a key and why (docs/trust-model.md "keys: ... who added it and
// why"), and the lookups v1 scanned for: endorsements by target (trust path,
// endorsements_for), OpenPGP issuer fingerprint -> key, keys of a person.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE keys ADD COLUMN added_by TEXT NOT NULL DEFAULT 'local';
ALTER TABLE keys ADD COLUMN comment TEXT NOT NULL DEFAULT '';
CREATE INDEX endorsements_target ON endorsements(target);
CREATE INDEX key_subkeys_fingerprint ON key_subkeys(fingerprint);
CREATE INDEX keys_person ON keys(person);
)sql";

// Version 3: no new tables. Its migration entry carries the replay's baseline
// (audit_replay.h): the tables as they are when the database reaches version
// 3, the point from which `vouch log --verify` replays the log. Entries from
// here on carry every column they change.
constexpr std::string_view kSchemaV3 = R"sql(
-- version 3: the audit log is the source of truth (baseline in the migration entry)
)sql";

std::string getenv_str(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

Error not_vouch(const std::string& path, const std::string& why) {
  return make_error(ErrorKind::bad_input, path + " is not a valid vouch trust database: " + why);
}

/// mkdir -p of the parent of `path`; directories it creates get mode 0700
/// (the database says whom the user trusts; nobody else needs to list it).
Result<void> make_parent_dirs(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return {};
  std::filesystem::path prefix;
  for (const auto& part : parent) {
    prefix /= part;
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        return make_error(ErrorKind::environment,
                          "cannot create trust database " + path + ": " + prefix.string() + " is not a directory");
      continue;
    }
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
      return make_error(ErrorKind::environment, "cannot create directory " + prefix.string() +
                                                    " for the trust database: " + std::strerror(errno));
  }
  return {};
}

Result<std::string> first_text(const sql::Connection& conn, std::string_view query) {
  auto st = sql::Statement::prepare(conn, query);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return *row ? st->column_text(0) : std::string();
}

/// quick_check plus "is this ours": a user_version of 0 must mean an empty
/// file (we are about to create the schema), anything else needs our meta row.
Result<int> check_file(const sql::Connection& conn) {
  const std::string& path = conn.path();
  auto check = first_text(conn, "PRAGMA quick_check");
  if (!check) return check.error();
  if (*check != "ok") {
    // SQLite's report starts "*** in database main ***" and spans lines; the
    // error is one line.
    std::string why = *check;
    if (why.starts_with("*** in database main ***")) why.erase(0, 24);
    for (char& c : why)
      if (c == '\n' || c == '\r') c = ' ';
    while (!why.empty() && why.front() == ' ') why.erase(0, 1);
    if (why.size() > 200) why = why.substr(0, 197) + "...";
    return not_vouch(path, "damaged (" + why + ")");
  }
  auto version = schema_version(conn);
  if (!version) return version.error();
  if (*version == 0) {
    auto tables = first_text(conn, "SELECT count(*) FROM sqlite_master");
    if (!tables) return tables.error();
    if (*tables != "0") return not_vouch(path, "it holds tables of another application");
    return 0;
  }
  if (*version < 0) return not_vouch(path, "negative schema version " + std::to_string(*version));
  auto has_meta = first_text(conn, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!has_meta) return has_meta.error();
  if (*has_meta != "1") return not_vouch(path, "it has no meta table");
  auto app = first_text(conn, "SELECT value FROM meta WHERE key = 'application'");
  if (!app) return app.error();
  if (*app != "vouch-trust") return not_vouch(path, "its meta table does not name vouch-trust");
  return *version;
}

Result<void> set_pragmas(sql::Connection& conn) {
  auto mode = first_text(conn, "PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  if (*mode != "wal")
    return make_error(ErrorKind::environment,
                      "trust database " + conn.path() + " cannot use WAL mode (journal mode is " + *mode + ")");
  // FULL, not NORMAL: in WAL mode NORMAL never corrupts the file, but a
  // commit acknowledged just before a power cut may be lost. A revocation or
  // a root removal that silently un-happens is a security problem, and the
  // trust database is written rarely, so one fsync per commit is cheap.
  return conn.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL");
}

/// Applies step `from` -> `from + 1` inside the caller's transaction.
Result<void> migrate_step(sql::Connection& conn, int from, int64_t now) {
  const int to = from + 1;
  if (auto r = conn.exec(schema_migrations()[static_cast<size_t>(from)]); !r) return r;
  if (auto r = conn.exec("PRAGMA user_version = " + std::to_string(to)); !r) return r;
  auto meta = sql::Statement::prepare(conn,
                                      "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!meta) return meta.error();
  meta->bind(1, std::to_string(to));
  if (auto r = meta->run(); !r) return r;
  nlohmann::json change = {{"from", from}, {"to", to}};
  if (to == kReplayBaselineVersion) {
    auto baseline = snapshot_tables(conn);
    if (!baseline) return baseline.error();
    change["baseline"] = std::move(*baseline);
  }
  auto entry = append_audit_entry(conn, now, "local", "schema.migrate", change);
  if (!entry) return entry.error();
  return {};
}

/// Every pending step in ONE transaction: a process killed while creating or
/// upgrading the file leaves it at the old version, never halfway. Re-reads
/// the version under the write lock, in case another process migrated while
/// we waited for it.
Result<void> migrate(sql::Connection& conn, int64_t now) {
  auto tx = sql::Transaction::begin(conn);
  if (!tx) return tx.error();
  auto current = schema_version(conn);
  if (!current) return current.error();
  for (int v = *current; v < kSchemaVersion; ++v)
    if (auto r = migrate_step(conn, v, now); !r) return r;  // tx rolls back
  return tx->commit();
}

}  // namespace

const std::vector<std::string_view>& schema_migrations() {
  static const std::vector<std::string_view> steps = {kSchemaV1, kSchemaV2, kSchemaV3};
  static_assert(kSchemaVersion == 3, "add the new step to schema_migrations()");
  return steps;
}

Result<std::string> resolve_db_path(std::string_view flag) {
  if (!flag.empty()) return std::string(flag);
  if (auto v = getenv_str("VOUCH_DB"); !v.empty()) return v;
  // The XDG spec says relative values are invalid and must be ignored.
  if (auto v = getenv_str("XDG_DATA_HOME"); !v.empty() && v.front() == '/') return v + "/vouch/trust.db";
  if (auto v = getenv_str("HOME"); !v.empty()) return v + "/.local/share/vouch/trust.db";
  return make_error(ErrorKind::environment,
                    "cannot locate the trust database: pass --db FILE or set VOUCH_DB "
                    "(neither XDG_DATA_HOME nor HOME is set)");
}

int busy_timeout_from_env() {
  const std::string v = getenv_str("VOUCH_DB_TIMEOUT_MS");
  int ms = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || ms < 0) return kDefaultBusyTimeoutMs;
  return ms;
}

Result<int> schema_version(const sql::Connection& conn) {
  auto v = first_text(conn, "PRAGMA user_version");
  if (!v) return v.error();
  return std::atoi(v->c_str());
}

Result<sql::Connection> open_database(const std::string& path, OpenMode mode, int64_t now) {
  if (path.empty()) return make_error(ErrorKind::bad_input, "empty trust database path");
  int flags = SQLITE_OPEN_READWRITE;
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && mode == OpenMode::existing)
    return make_error(ErrorKind::not_found,
                      "trust database " + path + " does not exist (`vouch key import` creates it)");
  if (exists && S_ISDIR(st.st_mode))
    return make_error(ErrorKind::bad_input, path + " is not a valid vouch trust database: it is a directory");
  if (mode == OpenMode::create) {
    if (auto r = make_parent_dirs(path); !r) return r.error();
    flags |= SQLITE_OPEN_CREATE;
  }
  auto conn = sql::Connection::open(path, flags, busy_timeout_from_env());
  if (!conn) return conn.error();

  // Everything up to here only reads: a file we do not understand (random
  // bytes, another application's database, a newer schema) is left untouched.
  auto version = check_file(*conn);
  if (!version) return version.error();
  if (*version > kSchemaVersion)
    return make_error(ErrorKind::unsupported, "trust database " + path + " has schema version " +
                                                  std::to_string(*version) + ", newer than this vouch understands (" +
                                                  std::to_string(kSchemaVersion) + "); upgrade vouch");
  if (auto r = set_pragmas(*conn); !r) return r.error();
  if (*version < kSchemaVersion)
    if (auto r = migrate(*conn, now); !r) return r.error();
  return conn;
}

}  // namespace vouch::trust
