// The audit log's hash chain, and tampering with the database file behind
// vouch's back (threat 23): verify_audit_log names the first broken entry.
#include "trustdb/audit_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_env.h"
#include "trustdb/store.h"

namespace vouch::trust {
namespace {

using test::TempDir;

/// A database with entries 1..10: three migrations and seven people.
class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_ / "trust.db";
    auto s = TrustStore::open(path_, OpenMode::create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    s->set_clock([] { return int64_t{1764000000}; });
    for (int i = 1; i <= 7; ++i)
      ASSERT_TRUE(s->add_person(Person{"p" + std::to_string(i), "", {}, {}}, Change{"local", ""}).ok());
  }

  /// Runs SQL on the file through a connection of its own, as an attacker would.
  void tamper(const std::string& sql) {
    auto raw = sql::Connection::open(path_, SQLITE_OPEN_READWRITE, 1000);
    ASSERT_TRUE(raw.ok());
    auto r = raw->exec(sql);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  std::string payload_of(int64_t seq) {
    auto s = TrustStore::open(path_, OpenMode::existing);
    return (*s->audit_log(seq - 1))[0].payload;
  }

  /// Verifies through a fresh store; returns the first problem's message or "".
  std::string first_problem() {
    auto s = TrustStore::open(path_, OpenMode::existing);
    EXPECT_TRUE(s.ok());
    if (!s) return "open failed";
    auto v = s->verify_audit_log();
    EXPECT_TRUE(v.ok());
    if (!v) return "verify failed";
    return v->problem ? v->problem->message : "";
  }

  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += "''";
      else out.push_back(c);
    }
    return out + "'";
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(AuditLogTest, IntactChainVerifies) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  ASSERT_TRUE(s.ok());
  auto log = s->audit_log();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 10u);
  EXPECT_EQ((*log)[0].prev_hash, std::string(kGenesisHash));
  for (size_t i = 0; i < log->size(); ++i) {
    const AuditEntry& e = (*log)[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e.hash, audit_hash(e.prev_hash, e.payload));
    if (i > 0) {
      EXPECT_EQ(e.prev_hash, (*log)[i - 1].hash);
    }
  }
  EXPECT_EQ((*log)[3].payload,
            R"({"action":"person.add","actor":"local","change":{"display_name":"","emails":[],"keys":[],"name":"p1"},"seq":4,"time":1764000000})");
  auto v = s->verify_audit_log();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->problem.has_value());
  EXPECT_EQ(v->entries, 10);
  EXPECT_EQ(v->head_hash, log->back().hash);
  // SHA-256 over the hex text of prev_hash followed by the payload bytes.
  EXPECT_EQ(audit_hash("", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(AuditLogTest, EditedPayloadBreaksItsHash) {
  std::string p = payload_of(7);
  p.replace(p.find("\"p4\""), 4, "\"pX\"");
  tamper("UPDATE audit_log SET payload = " + quote(p) + " WHERE seq = 7");
  EXPECT_EQ(first_problem(), "entry 7: hash does not match its contents");
}

TEST_F(AuditLogTest, RehashedEntryBreaksTheNextLink) {
  // Rewrite entry 7 and re-hash 7 and 8 consistently, but miss 9's link.
  std::string p7 = payload_of(7);
  p7.replace(p7.find("\"p4\""), 4, "\"pX\"");
  auto s = TrustStore::open(path_, OpenMode::existing);
  auto log = *s->audit_log();
  const std::string h7 = audit_hash(log[5].hash, p7);
  const std::string h8 = audit_hash(h7, log[7].payload);
  tamper("UPDATE audit_log SET payload = " + quote(p7) + ", hash = " + quote(h7) + " WHERE seq = 7;" +
         "UPDATE audit_log SET prev_hash = " + quote(h7) + ", hash = " + quote(h8) + " WHERE seq = 8;");
  EXPECT_EQ(first_problem(), "entry 9: prev_hash does not match entry 8");
}

TEST_F(AuditLogTest, EditedColumnDisagreesWithThePayload) {
  tamper("UPDATE audit_log SET actor = 'openpgp:3690C240CE51B4670D30AD1C38EE757D69184620' WHERE seq = 5");
  EXPECT_EQ(first_problem(), "entry 5: payload's seq/action/actor/time differ from the row");
}

TEST_F(AuditLogTest, DeletedEntryIsASeqGap) {
  tamper("DELETE FROM audit_log WHERE seq = 6");
  EXPECT_EQ(first_problem(), "seq gap after 5");
  auto s = TrustStore::open(path_, OpenMode::existing);
  auto v = s->verify_audit_log();
  EXPECT_EQ(v->problem->seq, 7);
  EXPECT_EQ(v->entries, 6);
}

TEST_F(AuditLogTest, RewrittenFirstEntryMustStartFromGenesis) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  auto log = *s->audit_log();
  const std::string fake_prev(64, 'f');
  tamper("UPDATE audit_log SET prev_hash = " + quote(fake_prev) + ", hash = " +
         quote(audit_hash(fake_prev, log[0].payload)) + " WHERE seq = 1");
  EXPECT_EQ(first_problem(), "entry 1: prev_hash is not the genesis value (64 zeros)");
}

TEST_F(AuditLogTest, NonCanonicalPayloadIsReported) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  auto log = *s->audit_log();
  // Same JSON value with whitespace, re-hashed so only canonicality is wrong.
  std::string p = log[3].payload;
  p.insert(1, " ");
  tamper("UPDATE audit_log SET payload = " + quote(p) + ", hash = " +
         quote(audit_hash(log[3].prev_hash, p)) + " WHERE seq = 4");
  // Entry 5's link breaks too, but entry 4 comes first.
  EXPECT_EQ(first_problem(), "entry 4: payload is not canonical JSON");
}

TEST_F(AuditLogTest, AppendOutsideATransactionIsRefused) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  auto e = append_audit_entry(s->connection(), 1, "local", "test", nlohmann::json::object());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::internal);
  EXPECT_EQ(e.error().message, "audit log entry written outside a transaction");
  EXPECT_EQ(s->audit_log()->size(), 10u);
}

TEST_F(AuditLogTest, HeadRecordCatchesACutAndRefusesToWriteOverIt) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  const std::string head9 = (*s->audit_log())[8].hash;
  tamper("DELETE FROM audit_log WHERE seq = 10");
  auto v = s->verify_audit_log();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->problem.has_value());
  ASSERT_TRUE(v->head_problem.has_value());
  EXPECT_EQ(v->head_problem->message.rfind("the log ends at entry 9, but the head record names entry 10 (hash ", 0), 0u)
      << v->head_problem->message;
  auto write = s->add_person(Person{"late", "", {}, {}});
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().message, "trust database " + path_ + ": its audit log ends at entry 9, not where its head "
                                   "record says (entry 10); nothing written: run `vouch log --verify`");
  EXPECT_FALSE(s->get_person("late")->has_value());
  // The head record deleted too: still refused, and reported.
  tamper("DELETE FROM meta WHERE key = 'audit_head'");
  EXPECT_FALSE(s->add_person(Person{"late", "", {}, {}}).ok());
  EXPECT_EQ(s->verify_audit_log()->head_problem->message,
            "the database has no head record (meta audit_head), so the end of the log cannot be checked: it was deleted");
  // Moved back consistently: the chain alone cannot tell (an anchor can).
  tamper("INSERT INTO meta (key, value) VALUES ('audit_head', '9 " + head9 + "')");
  EXPECT_FALSE(s->verify_audit_log()->head_problem.has_value());
}

TEST_F(AuditLogTest, ActorAndReasonAreRecorded) {
  auto s = TrustStore::open(path_, OpenMode::existing);
  s->set_clock([] { return int64_t{1764000500}; });
  ASSERT_TRUE(s->add_person(Person{"zed", "Zed", {"zed@example.org"}, {}},
                            Change{"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620", "new maintainer"})
                  .ok());
  const AuditEntry e = s->audit_log()->back();
  EXPECT_EQ(e.seq, 11);
  EXPECT_EQ(e.time, 1764000500);
  EXPECT_EQ(e.actor, "openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  EXPECT_EQ(e.action, "person.add");
  EXPECT_EQ(e.payload,
            R"({"action":"person.add","actor":"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620",)"
            R"("change":{"display_name":"Zed","emails":["zed@example.org"],"keys":[],"name":"zed",)"
            R"("why":"new maintainer"},"seq":11,"time":1764000500})");
}

}  // namespace
}  // namespace vouch::trust
