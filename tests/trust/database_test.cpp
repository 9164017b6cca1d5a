// Opening the trust database: location rules, pragmas, refusing files that
// are not ours, migrations from an old schema, and locking between writers.
#include "trustdb/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <thread>

#include "test_env.h"
#include "trustdb/store.h"

namespace vouch::trust {
namespace {

using test::TempDir;

/// Sets (or unsets, for nullptr) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string first_text(const sql::Connection& conn, const std::string& query) {
  auto st = sql::Statement::prepare(conn, query);
  EXPECT_TRUE(st.ok()) << query;
  if (!st) return {};
  auto row = st->step();
  EXPECT_TRUE(row.ok()) << query;
  return row.ok() && *row ? st->column_text(0) : std::string();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

TEST(ResolveDbPath, FlagThenVouchDbThenXdgThenHome) {
  ScopedEnv db("VOUCH_DB", "/env/trust.db");
  ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
  ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(*resolve_db_path("/flag.db"), "/flag.db");
  EXPECT_EQ(*resolve_db_path(""), "/env/trust.db");
  {
    ScopedEnv unset_db("VOUCH_DB", nullptr);
    EXPECT_EQ(*resolve_db_path(""), "/xdg/vouch/trust.db");
    ScopedEnv unset_xdg("XDG_DATA_HOME", nullptr);
    EXPECT_EQ(*resolve_db_path(""), "/home/u/.local/share/vouch/trust.db");
    ScopedEnv relative_xdg("XDG_DATA_HOME", "relative");  // invalid per XDG: ignored
    EXPECT_EQ(*resolve_db_path(""), "/home/u/.local/share/vouch/trust.db");
    ScopedEnv unset_home("HOME", nullptr);
    auto r = resolve_db_path("");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::environment);
  }
}

TEST(BusyTimeout, FromEnvironment) {
  ScopedEnv t("VOUCH_DB_TIMEOUT_MS", "100");
  EXPECT_EQ(busy_timeout_from_env(), 100);
  ScopedEnv bad("VOUCH_DB_TIMEOUT_MS", "10s");
  EXPECT_EQ(busy_timeout_from_env(), kDefaultBusyTimeoutMs);
  ScopedEnv none("VOUCH_DB_TIMEOUT_MS", nullptr);
  EXPECT_EQ(busy_timeout_from_env(), 10'000);
}

TEST(OpenDatabase, CreateMakesPrivateDirectoriesAndSetsPragmas) {
  TempDir dir;
  const std::string path = dir / "a/b/trust.db";
  auto conn = open_database(path, OpenMode::create, 1764000000);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir / "a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(exists(path));
  EXPECT_EQ(first_text(*conn, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(first_text(*conn, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(first_text(*conn, "PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(*schema_version(*conn), kSchemaVersion);
  EXPECT_EQ(first_text(*conn, "SELECT value FROM meta WHERE key = 'schema_version'"), "3");

  // A fresh database is built by the same steps as a migrated one, each logged.
  auto log = read_audit_log(*conn);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].payload,
            R"({"action":"schema.migrate","actor":"local","change":{"from":0,"to":1},"seq":1,"time":1764000000})");
  EXPECT_EQ((*log)[1].action, "schema.migrate");
  EXPECT_EQ((*log)[1].prev_hash, (*log)[0].hash);

  // Reopening an up-to-date database changes nothing.
  auto again = open_database(path, OpenMode::existing, 1764000001);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(read_audit_log(*again)->size(), 3u);
  EXPECT_EQ(first_text(*again, "SELECT value FROM meta WHERE key = 'audit_head'"), "3 " + (*log)[2].hash);
}

TEST(OpenDatabase, ExistingModeDoesNotCreate) {
  TempDir dir;
  const std::string path = dir / "sub/trust.db";
  auto conn = open_database(path, OpenMode::existing, 0);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().kind, ErrorKind::not_found);
  EXPECT_EQ(conn.error().message,
            "trust database " + path + " does not exist (`vouch key import` creates it)");
  EXPECT_FALSE(exists(dir / "sub"));
}

TEST(OpenDatabase, RandomBytesAreNotADatabase) {
  TempDir dir;
  const std::string path = dir / "trust.db";
  std::string junk;
  for (int i = 0; i < 8192; ++i) junk.push_back(static_cast<char>((i * 7919 + 13) % 251));
  test::write_file(path, junk);
  for (OpenMode mode : {OpenMode::existing, OpenMode::create}) {
    auto conn = open_database(path, mode, 0);
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(conn.error().message, path + " is not a valid vouch trust database: file is not a database");
  }
  EXPECT_EQ(test::read_file(path), junk);  // untouched
  auto store = TrustStore::open(path, OpenMode::existing);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message, path + " is not a valid vouch trust database: file is not a database");
}

TEST(OpenDatabase, AnotherApplicationsDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir / "other.db";
  {
    auto raw = sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw->exec("CREATE TABLE songs (title TEXT)").ok());
  }
  auto conn = open_database(path, OpenMode::create, 0);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(conn.error().message,
            path + " is not a valid vouch trust database: it holds tables of another application");
}

TEST(OpenDatabase, NewerSchemaIsRefusedAndLeftUntouched) {
  TempDir dir;
  const std::string path = dir / "trust.db";
  {
    auto conn = open_database(path, OpenMode::create, 0);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn->exec("PRAGMA user_version = 4; PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  const std::string before = test::read_file(path);
  auto conn = open_database(path, OpenMode::create, 0);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(conn.error().message, "trust database " + path +
                                      " has schema version 4, newer than this vouch understands (3); "
                                      "upgrade vouch");
  EXPECT_EQ(test::read_file(path), before);
}

TEST(OpenDatabase, MigratesAVersion1DatabaseKeepingItsRows) {
  TempDir dir;
  const std::string path = dir / "trust.db";
  {
    auto raw = sql::Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    ASSERT_TRUE(raw.ok());
    auto r = raw->exec(test::read_file(test::source_dir() + "/tests/data/trust/schema_v1.sql"));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  auto store = TrustStore::open(path, OpenMode::existing);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*store->schema_version(), 3);
  EXPECT_EQ(first_text(store->connection(), "SELECT value FROM meta WHERE key = 'schema_version'"), "3");
  EXPECT_EQ(first_text(store->connection(),
                       "SELECT count(*) FROM sqlite_master WHERE name = 'endorsements_target'"),
            "1");

  const KeyId pgp{KeyKind::openpgp, "3690C240CE51B4670D30AD1C38EE757D69184620"};
  const KeyId ssh{KeyKind::ssh, "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"};
  auto key = store->get_key(pgp);
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->created, 1690000000);
  EXPECT_EQ((*key)->first_seen, 1700000100);
  EXPECT_EQ((*key)->added_by, "local");  // the v2 column's default for old rows
  EXPECT_EQ((*key)->comment, "");
  EXPECT_EQ((*key)->person, "jia");
  EXPECT_EQ((*key)->signing_subkeys, std::vector<std::string>{"1111222233334444555566667777888899990000"});
  auto by_sub = store->find_key_by_subkey("1111222233334444555566667777888899990000");
  ASSERT_TRUE(by_sub.ok() && by_sub->has_value());
  EXPECT_EQ((*by_sub)->id, pgp);

  auto person = store->get_person("jia");
  ASSERT_TRUE(person.ok() && person->has_value());
  EXPECT_EQ((*person)->display_name, "Jia Example");
  EXPECT_EQ((*person)->emails, std::vector<std::string>{"jia@example.org"});
  EXPECT_EQ((*person)->keys, std::vector<KeyId>{pgp});

  auto endorsements = store->endorsements_for(ssh);
  ASSERT_TRUE(endorsements.ok());
  ASSERT_EQ(endorsements->size(), 1u);
  EXPECT_EQ((*endorsements)[0].issuer, pgp);
  EXPECT_EQ((*endorsements)[0].emails, std::vector<std::string>{"jia@example.org"});
  EXPECT_TRUE((*endorsements)[0].scopes.empty());
  EXPECT_EQ((*endorsements)[0].comment, "same person");
  EXPECT_EQ(*store->list_roots(), std::vector<KeyId>{pgp});
  auto revs = store->list_revocations();
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ((*revs)[0].reason, RevocationReason::compromised);
  EXPECT_FALSE((*revs)[0].statement.has_value());

  // The migrations extended the fixture's audit chain, in one transaction.
  auto log = store->audit_log();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 8u);
  EXPECT_EQ((*log)[6].action, "schema.migrate");
  EXPECT_NE((*log)[6].payload.find(R"("change":{"from":1,"to":2})"), std::string::npos);
  EXPECT_EQ((*log)[6].prev_hash, "f2a956d63d603706c7aa359fd9fca8b33da9029d55e728e95506854b10eb1056");
  auto verified = store->verify_audit_log();
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->problem.has_value()) << verified->problem->message;
  EXPECT_FALSE(verified->head_problem.has_value()) << verified->head_problem->message;
  EXPECT_EQ(verified->entries, 8);
  // Version 3's entry records the tables as the baseline: the old entries
  // (which lack what a replay needs, and miss the fixture's revocation) are
  // a chain only, and the replay from the baseline matches.
  EXPECT_NE(log->back().payload.find(R"("from":2,"to":3)"), std::string::npos);
  auto tables = store->verify_tables();
  ASSERT_TRUE(tables.ok());
  EXPECT_FALSE(tables->problem.has_value()) << tables->problem->message;
  EXPECT_TRUE(tables->differences.empty()) << tables->differences.front().message;
  ASSERT_TRUE(store->connection().exec("DELETE FROM revocations").ok());
  tables = store->verify_tables();
  ASSERT_EQ(tables->differences.size(), 1u);
  EXPECT_EQ(tables->differences[0].message,
            "table revocations, row ssh:SHA256:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ compromised 1700000600 -: "
            "recorded by entry 8 but missing from the database");

  // The new columns work on migrated rows.
  KeyRecord k;
  k.id = KeyId{KeyKind::ssh, "SHA256:BbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"};
  k.material = "ssh-ed25519 AAAA second";
  ASSERT_TRUE(store->add_key(k, Change{"local", "met at FOSDEM"}).ok());
  EXPECT_EQ((*store->get_key(k.id))->comment, "met at FOSDEM");
}

TEST(Locking, SecondWriterGetsTheLockedErrorAfterTheTimeout) {
  TempDir dir;
  const std::string path = dir / "trust.db";
  auto a = TrustStore::open(path, OpenMode::create);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ScopedEnv timeout("VOUCH_DB_TIMEOUT_MS", "100");
  auto b = TrustStore::open(path, OpenMode::existing);
  ASSERT_TRUE(b.ok()) << b.error().message;

  auto held = a->transaction([&]() -> Result<void> {
    auto r = a->add_person(Person{"alice", "Alice", {}, {}});
    if (!r) return r;
    // b is another connection: it must wait 100 ms, then give up cleanly.
    auto blocked = b->add_person(Person{"bob", "Bob", {}, {}});
    EXPECT_FALSE(blocked.ok());
    if (!blocked.ok()) {
      EXPECT_EQ(blocked.error().kind, ErrorKind::environment);
      EXPECT_EQ(blocked.error().message,
                "trust database " + path + " is locked by another process (waited 100 ms)");
    }
    // Readers are not blocked by a writer in WAL mode; they see the old state.
    auto people = b->list_people();
    EXPECT_TRUE(people.ok());
    if (people.ok()) {
      EXPECT_TRUE(people->empty());
    }
    return {};
  });
  ASSERT_TRUE(held.ok()) << held.error().message;
  ASSERT_TRUE(b->add_person(Person{"bob", "Bob", {}, {}}).ok());
  EXPECT_EQ(b->list_people()->size(), 2u);
}

TEST(Locking, TwoWritersOnSeparateConnectionsBothSucceed) {
  TempDir dir;
  const std::string path = dir / "trust.db";
  ASSERT_TRUE(TrustStore::open(path, OpenMode::create).ok());
  constexpr int kPerWriter = 40;
  auto writer = [&](const std::string& prefix, std::string* failure) {
    auto store = TrustStore::open(path, OpenMode::existing);
    if (!store) {
      *failure = store.error().message;
      return;
    }
    for (int i = 0; i < kPerWriter; ++i) {
      auto r = store->add_person(Person{prefix + std::to_string(i), "", {}, {}});
      if (!r) {
        *failure = r.error().message;
        return;
      }
    }
  };
  std::string fail_a, fail_b;
  std::thread ta(writer, "a", &fail_a);
  std::thread tb(writer, "b", &fail_b);
  ta.join();
  tb.join();
  EXPECT_EQ(fail_a, "");
  EXPECT_EQ(fail_b, "");
  auto store = TrustStore::open(path, OpenMode::existing);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->list_people()->size(), 2u * kPerWriter);
  auto verified = store->verify_audit_log();
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->problem.has_value());
  EXPECT_FALSE(verified->head_problem.has_value());
  EXPECT_EQ(verified->entries, 3 + 2 * kPerWriter);
  auto tables = store->verify_tables();
  ASSERT_TRUE(tables.ok());
  EXPECT_TRUE(tables->differences.empty());
}

}  // namespace
}  // namespace vouch::trust
