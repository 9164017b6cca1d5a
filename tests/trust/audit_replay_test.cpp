// Replaying the audit log against the tables (threat 35): every store
// operation replays to exactly its rows; edits behind the store's back, and
// entries the replay cannot apply, are named.
#include "trustdb/audit_replay.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_env.h"
#include "trustdb/store.h"

namespace vouch::trust {
namespace {

using test::TempDir;

const KeyId kA{KeyKind::ssh, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
const KeyId kB{KeyKind::ssh, "SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"};
const KeyId kP{KeyKind::openpgp, "3690C240CE51B4670D30AD1C38EE757D69184620"};

class AuditReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_ / "trust.db";
    auto s = TrustStore::open(path_, OpenMode::create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_.emplace(std::move(*s));
    store_->set_clock([] { return int64_t{1764000000}; });
  }
  TrustStore& store() { return *store_; }

  KeyRecord key(const KeyId& id, std::string material) {
    KeyRecord k;
    k.id = id;
    k.material = std::move(material);
    return k;
  }
  /// The messages of verify_tables(), problem first.
  std::vector<std::string> complaints() {
    auto v = store().verify_tables();
    EXPECT_TRUE(v.ok());
    std::vector<std::string> out;
    if (!v) return out;
    if (v->problem) out.push_back(v->problem->message);
    for (const auto& d : v->differences) out.push_back(d.message);
    return out;
  }
  void exec(const std::string& sql) {
    auto r = store().connection().exec(sql);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  TempDir dir_;
  std::string path_;
  std::optional<TrustStore> store_;
};

TEST_F(AuditReplayTest, EveryOperationReplaysToItsRows) {
  EXPECT_EQ(complaints(), std::vector<std::string>{});
  KeyRecord p = key(kP, "armored");
  p.signing_subkeys = {"1111222233334444555566667777888899990000"};
  p.expires = 1900000000;
  ASSERT_TRUE(store().add_key(key(kA, "ssh-ed25519 AAAA a"), Change{"local", "met at FOSDEM"}).ok());
  ASSERT_TRUE(store().add_key(key(kB, "ssh-ed25519 AAAA b")).ok());
  ASSERT_TRUE(store().add_key(p).ok());
  p.material = "armored, refreshed";
  p.signing_subkeys = {"AAAA222233334444555566667777888899990000"};
  ASSERT_EQ(*store().add_key(p), KeyImport::updated);
  ASSERT_TRUE(store().add_person(Person{"jia", "Jia", {"jia@example.org", "jia@example.net"}, {kA}}).ok());
  ASSERT_TRUE(store().add_key_to_person("jia", kP).ok());
  ASSERT_TRUE(store().add_root(kB).ok());
  Endorsement e;
  e.issuer = kB;
  e.target = kA;
  e.person = "jia";
  e.emails = {"jia@example.org"};
  e.scopes = {"*@example.org"};
  e.depth = 2;
  e.created = 1764000000;
  e.expires = 1800000000;
  e.comment = "in person";
  ASSERT_TRUE(store().put_endorsement(e, "line-1").ok());
  e.amount = 60;
  e.created += 10;
  ASSERT_EQ(store().put_endorsement(e, "line-2")->outcome, PutOutcome::replaced);
  ASSERT_TRUE(store().add_revocation(RevocationRecord{kB, RevocationReason::retired, 1764000100, std::nullopt, "old"}).ok());
  ASSERT_TRUE(store().add_revocation(RevocationRecord{kA, RevocationReason::compromised, 1764000200, "stmt", std::nullopt}).ok());
  EXPECT_EQ(complaints(), std::vector<std::string>{});
  ASSERT_TRUE(store().remove_root(kB).ok());
  ASSERT_TRUE(store().remove_key(kB).ok());
  ASSERT_TRUE(store().add_person(Person{"kim", "", {"kim@example.org"}, {}}).ok());
  ASSERT_TRUE(store().remove_person("kim", PersonKeys::refuse).ok());
  auto removed = store().remove_person("jia", PersonKeys::remove);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, (std::vector<KeyId>{kP, kA}));
  EXPECT_EQ(complaints(), std::vector<std::string>{});
}

TEST_F(AuditReplayTest, EditsBehindTheStoresBackAreNamed) {
  ASSERT_TRUE(store().add_key(key(kA, "ssh-ed25519 AAAA a")).ok());
  ASSERT_TRUE(store().add_key(key(kB, "ssh-ed25519 AAAA b")).ok());
  ASSERT_TRUE(store().add_root(kA).ok());
  ASSERT_TRUE(store().add_revocation(RevocationRecord{kB, RevocationReason::compromised, 1764000100, std::nullopt, std::nullopt}).ok());
  exec("INSERT INTO roots (key) VALUES ('" + kB.str() + "'); DELETE FROM revocations; "
       "UPDATE keys SET first_seen = 1 WHERE id = '" + kA.str() + "'");
  EXPECT_EQ(complaints(),
            (std::vector<std::string>{
                "table keys, row " + kA.str() + ": first_seen is 1 in the database but 1764000000 in the audit log (entry 4)",
                "table roots, row " + kB.str() + ": in the database but not in the audit log",
                "table revocations, row " + kB.str() + " compromised 1764000100 -: recorded by entry 7 but missing from "
                                                       "the database"}));
  auto v = store().verify_tables();
  EXPECT_EQ(v->differences[1].table, "roots");
  EXPECT_EQ(v->differences[1].row, kB.str());
}

TEST_F(AuditReplayTest, AnEntryTheReplayCannotApplyIsAProblem) {
  auto tx = sql::Transaction::begin(store().connection());
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(append_audit_entry(store().connection(), 1764000000, "local", "key.remove", {{"key", kA.str()}}).ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(complaints(), std::vector<std::string>{"entry 4 (key.remove): removes key " + kA.str() +
                                                   ", which the log does not hold"});
  // The chain itself is intact: the entry was appended the proper way.
  EXPECT_FALSE(store().verify_audit_log()->problem.has_value());
}

TEST_F(AuditReplayTest, UnknownActionsAndMissingFieldsFailClosed) {
  {
    auto tx = sql::Transaction::begin(store().connection());
    ASSERT_TRUE(append_audit_entry(store().connection(), 1764000000, "local", "key.grant", {{"key", kA.str()}}).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(complaints(), std::vector<std::string>{"entry 4 (key.grant): unknown action; this vouch cannot replay it"});
}

TEST_F(AuditReplayTest, LegacyEntryShapeAfterTheBaselineFails) {
  auto tx = sql::Transaction::begin(store().connection());
  // A key.add as vouch wrote it before version 3: no first_seen.
  ASSERT_TRUE(append_audit_entry(store().connection(), 1764000000, "local", "key.add",
                                 {{"key", kA.str()}, {"material_sha256", sha256_hex("x")},
                                  {"signing_subkeys", nlohmann::json::array()}, {"created", nullptr},
                                  {"expires", nullptr}})
                  .ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(complaints(), std::vector<std::string>{"entry 4 (key.add): the payload has no first_seen"});
}

TEST_F(AuditReplayTest, FreshDatabaseHasAnEmptyBaselineAtVersion3) {
  auto log = store().audit_log();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ(nlohmann::json::parse((*log)[2].payload)["change"].dump(),
            R"({"baseline":{"endorsements":{},"key_subkeys":{},"keys":{},"people":{},"person_emails":{},)"
            R"("revocations":{},"roots":{}},"from":2,"to":3})");
}

}  // namespace
}  // namespace vouch::trust
