// Threat 35: the trust tables edited directly in SQLite, behind vouch's back.
// `vouch log --verify` replays the audit log from its first entry and
// compares the result with every trust table; each test here edits one thing
// the way an attacker with write access to the file would (his own SQLite
// connection, foreign keys off) and asserts the exact complaint.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_support.h"
#include "trustdb/sqlite.h"

namespace vouch::test {
namespace {

constexpr int64_t kT0 = 1770000000;

class AuditReplayE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_ = make_ssh_key(dir_.path(), "alice", "ed25519");
    mallory_ = make_ssh_key(dir_.path(), "mallory", "ed25519");
    bob_ = make_ssh_key(dir_.path(), "bob", "ed25519");
    ok({"key", "import", alice_.public_path, mallory_.public_path, bob_.public_path});
    ok({"trust", "root", "add", id(alice_)});
    ok({"person", "add", "bob", "--name", "Bob", "--email", "bob@example.org", "--key", id(bob_)});
    ok({"endorse", bob_.public_path, "--as", alice_.private_path, "--depth", "1"});
    ok({"key", "revoke", id(mallory_), "--reason", "compromised"});
    ASSERT_EQ(ok({"log", "--verify"}).substr(0, 18), "audit log intact: ");
  }

  RunResult v(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return vouch(args, dir_.path(), {{"VOUCH_NOW", std::to_string(kT0)}});
  }
  std::string ok(const std::vector<std::string>& args) {
    RunResult r = v(args);
    EXPECT_EQ(r.exit_code, 0) << testing::PrintToString(args) << "\n" << r.out << r.err;
    return r.out;
  }
  /// Edits the file as an attacker: a plain connection, foreign keys off.
  void tamper(const std::string& sql) {
    auto raw = trust::sql::Connection::open(db_, SQLITE_OPEN_READWRITE, 1000);
    ASSERT_TRUE(raw.ok());
    auto r = raw->exec(sql);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  /// `vouch log --verify` must fail (exit 1); returns its stdout.
  std::string refused() {
    RunResult r = v({"log", "--verify"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    return r.out;
  }
  int64_t last_seq() {
    auto j = nlohmann::json::parse(ok({"--format", "json", "log"}));
    return j["entries"].back()["seq"].get<int64_t>();
  }
  int64_t seq_of(const std::string& action) {
    auto j = nlohmann::json::parse(ok({"--format", "json", "log"}));
    for (const auto& e : j["entries"])
      if (e["action"] == action) return e["seq"].get<int64_t>();
    return -1;
  }
  static std::string id(const SshKey& k) { return "ssh:" + k.fingerprint; }

  TempDir dir_;
  std::string db_ = dir_ / "trust.db";
  SshKey alice_, mallory_, bob_;
};

// The published attack: mallory made a root, his revocation deleted, and the
// revocation's log row dropped.
TEST_F(AuditReplayE2E, threat_35_RootAddedRevocationDeletedLastRowDropped) {
  const int64_t last = last_seq();
  tamper("INSERT INTO roots(key) VALUES ('" + id(mallory_) + "'); DELETE FROM revocations; "
         "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
  const std::string out = refused();
  EXPECT_NE(out.find("audit log broken: the log ends at entry " + std::to_string(last - 1) +
                     ", but the head record names entry " + std::to_string(last) + " (hash "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("): entries were removed from the end\n"
                     "trust tables differ from the audit log (1 difference):\n"
                     "  table roots, row " + id(mallory_) + ": in the database but not in the audit log\n"),
            std::string::npos)
      << out;
  auto j = nlohmann::json::parse(v({"--format", "json", "log", "--verify"}).out);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["differences"][0]["table"], "roots");
  EXPECT_EQ(j["differences"][0]["row"], id(mallory_));
}

TEST_F(AuditReplayE2E, threat_35_RootAddedOnly) {
  tamper("INSERT INTO roots(key) VALUES ('" + id(mallory_) + "')");
  EXPECT_EQ(refused(), "trust tables differ from the audit log (1 difference):\n  table roots, row " + id(mallory_) +
                           ": in the database but not in the audit log\n");
}

TEST_F(AuditReplayE2E, threat_35_RevocationDeletedOnly) {
  const int64_t seq = seq_of("revocation.add");
  tamper("DELETE FROM revocations");
  EXPECT_EQ(refused(), "trust tables differ from the audit log (1 difference):\n  table revocations, row " +
                           id(mallory_) + " compromised " + std::to_string(kT0) + " -: recorded by entry " +
                           std::to_string(seq) + " but missing from the database\n");
}

TEST_F(AuditReplayE2E, threat_35_EachTableEdited) {
  struct Case {
    std::string sql, expected;
  };
  const std::string add = std::to_string(seq_of("key.add"));
  const std::string person = std::to_string(seq_of("person.add"));
  const std::string endorse = std::to_string(seq_of("endorsement.add"));
  const std::string revoke = std::to_string(seq_of("revocation.add"));
  const std::vector<Case> cases = {
      {"UPDATE keys SET expires = 1900000000 WHERE id = '" + id(alice_) + "'",
       "table keys, row " + id(alice_) + ": expires is 1900000000 in the database but null in the audit log (entry " +
           add + ")"},
      {"UPDATE keys SET material = 'ssh-ed25519 AAAA' WHERE id = '" + id(alice_) + "'",
       "table keys, row " + id(alice_) + ": material_sha256 is "},
      {"UPDATE keys SET person = 'bob' WHERE id = '" + id(mallory_) + "'",
       "table keys, row " + id(mallory_) + ": person is \"bob\" in the database but null in the audit log"},
      {"INSERT INTO key_subkeys (key, fingerprint) VALUES ('" + id(alice_) + "', 'ABCD')",
       "table key_subkeys, row " + id(alice_) + " ABCD: in the database but not in the audit log"},
      {"UPDATE people SET display_name = 'Robert' WHERE name = 'bob'",
       "table people, row bob: display_name is \"Robert\" in the database but \"Bob\" in the audit log (entry " +
           person + ")"},
      {"INSERT INTO person_emails (person, email) VALUES ('bob', 'mallory@evil.example')",
       "table person_emails, row bob mallory@evil.example: in the database but not in the audit log"},
      {"UPDATE endorsements SET depth = 255",
       "table endorsements, row " + id(alice_) + " -> " + id(bob_) +
           ": depth is 255 in the database but 1 in the audit log (entry " + endorse + ")"},
      {"UPDATE revocations SET reason = 'superseded'",
       "table revocations, row " + id(mallory_) + " compromised " + std::to_string(kT0) + " -: recorded by entry " +
           revoke + " but missing from the database"},
  };
  const std::string clean = dir_ / "clean.db";
  std::filesystem::copy_file(db_, clean);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.sql);
    std::filesystem::copy_file(clean, db_, std::filesystem::copy_options::overwrite_existing);
    tamper(c.sql);
    const std::string out = refused();
    EXPECT_NE(out.find("  " + c.expected), std::string::npos) << out;
  }
}

TEST_F(AuditReplayE2E, LogRowsDroppedOrReordered) {
  const std::string clean = dir_ / "clean.db";
  std::filesystem::copy_file(db_, clean);
  const auto reset = [&] { std::filesystem::copy_file(clean, db_, std::filesystem::copy_options::overwrite_existing); };
  tamper("DELETE FROM audit_log WHERE seq = 1");
  EXPECT_EQ(refused(), "audit log broken: seq gap after 0\n");
  reset();
  tamper("DELETE FROM audit_log WHERE seq = 5");
  EXPECT_EQ(refused(), "audit log broken: seq gap after 4\n");
  reset();
  // Swap two entries' places.
  tamper("UPDATE audit_log SET seq = -1 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = 6; "
         "UPDATE audit_log SET seq = 6 WHERE seq = -1");
  EXPECT_EQ(refused(), "audit log broken: entry 5: prev_hash does not match entry 4\n");
  reset();
  // The last entry dropped together with what it recorded: the head record tells.
  const int64_t last = last_seq();
  tamper("DELETE FROM revocations; DELETE FROM audit_log WHERE seq = " + std::to_string(last));
  std::string out = refused();
  EXPECT_EQ(out.rfind("audit log broken: the log ends at entry " + std::to_string(last - 1) +
                          ", but the head record names entry " + std::to_string(last),
                      0),
            0u)
      << out;
  EXPECT_EQ(out.find("trust tables differ"), std::string::npos) << out;
  // A write on top would cover the cut with a new head record: refused.
  RunResult write = v({"trust", "root", "add", id(bob_)});
  EXPECT_EQ(write.exit_code, 2) << write.out << write.err;
  EXPECT_EQ(write.err, "vouch: error: trust database " + db_ + ": its audit log ends at entry " +
                           std::to_string(last - 1) + ", not where its head record says (entry " +
                           std::to_string(last) + "); nothing written: run `vouch log --verify`\n");
  EXPECT_EQ(refused(), out);
}

// Everything rewritten consistently, head record included: only an anchor
// kept outside the file tells — the audit-head a bundle export wrote.
TEST_F(AuditReplayE2E, BundleAuditHeadAnchorsTheLog) {
  const std::string bundle = dir_ / "published";
  ok({"keyring", "export", bundle});
  const std::string head = read_file(bundle + "/audit-head");
  const int64_t last = last_seq();
  EXPECT_EQ(head.rfind("vouch-audit-head v1\nseq " + std::to_string(last) + "\nhash ", 0), 0u) << head;
  EXPECT_NE(ok({"log", "--verify", "--head", bundle}).find("trust tables match the log; 1 anchor found\n"),
            std::string::npos);

  // The revocation and its entry gone, the head record moved back with them.
  auto j = nlohmann::json::parse(ok({"--format", "json", "log"}));
  const auto& prev = j["entries"][j["entries"].size() - 2];
  tamper("DELETE FROM revocations; DELETE FROM audit_log WHERE seq = " + std::to_string(last) +
         "; UPDATE meta SET value = '" + std::to_string(last - 1) + " " + prev["hash"].get<std::string>() +
         "' WHERE key = 'audit_head'");
  EXPECT_EQ(ok({"log", "--verify"}).substr(0, 18), "audit log intact: ");
  RunResult r = v({"log", "--verify", "--head", bundle});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out, "audit log broken: the log ends at entry " + std::to_string(last - 1) + ", before the anchor " +
                       std::to_string(last) + ":" + head.substr(head.find("hash ") + 5, 64) +
                       ": entries were removed from the end since the anchor was taken\n");
  // The short form, and bad anchors.
  EXPECT_EQ(v({"log", "--verify", "--head", std::to_string(last - 1) + ":" + prev["hash"].get<std::string>()}).exit_code, 0);
  RunResult bad = v({"log", "--verify", "--head", "12:xyz"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "vouch: error: --head 12:xyz: expected \"SEQ:HASH\" or an audit-head file (\"vouch-audit-head "
                     "v1\", \"seq N\", \"hash <64 hex>\")\n");
  EXPECT_EQ(v({"log", "--head", bundle}).exit_code, 2);
}

TEST_F(AuditReplayE2E, PersonRemoveIsAuditedAndReplayed) {
  RunResult refused_remove = v({"person", "remove", "bob"});
  EXPECT_EQ(refused_remove.exit_code, 2);
  EXPECT_EQ(refused_remove.err, "vouch: error: person bob still has 1 key (" + id(bob_) +
                                    "): remove them first, or pass --with-keys\n");
  EXPECT_EQ(ok({"person", "remove", "bob", "--with-keys"}), "removed person bob and 1 key: " + id(bob_) + "\n");
  EXPECT_EQ(ok({"--format", "json", "person", "list"}), "{\n  \"people\": [],\n  \"schema\": 1\n}\n");
  auto log = nlohmann::json::parse(ok({"--format", "json", "log"}))["entries"];
  EXPECT_EQ(log[log.size() - 2]["action"], "key.remove");
  EXPECT_EQ(log.back()["action"], "person.remove");
  EXPECT_EQ(log.back()["change"]["keys_removed"], nlohmann::json::array({id(bob_)}));
  EXPECT_EQ(ok({"log", "--verify"}).substr(0, 18), "audit log intact: ");
  RunResult missing = v({"person", "remove", "bob"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "vouch: error: person bob does not exist\n");
  // A person without keys goes without --with-keys.
  ok({"person", "add", "carol", "--email", "carol@example.org"});
  EXPECT_EQ(ok({"person", "remove", "carol"}), "removed person carol\n");
  EXPECT_EQ(ok({"log", "--verify"}).substr(0, 18), "audit log intact: ");
}

}  // namespace
}  // namespace vouch::test
