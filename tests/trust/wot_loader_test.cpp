// load_wot_input: the trust database's keys (with their person's emails),
// endorsements, roots and revocations as the trust computation's input,
// from a real SQLite file holding real SSH keys and signed endorsements.
#include "wot/wot_loader.h"

#include <gtest/gtest.h>

#include "statement/signer.h"
#include "test_env.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"
#include "trustdb/db_keyring.h"
#include "trustdb/key_import.h"

namespace vouch::trust {
namespace {

using test::SshKey;
using test::TempDir;

constexpr int64_t kNow = 1770000000;

class WotLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = TrustStore::open(dir_ / "trust.db", OpenMode::create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_.emplace(std::move(*s));
    store_->set_clock([] { return kNow; });
    root_ = import("root");
    alice_ = import("alice");
    bob_ = import("bob");
  }

  SshKey import(const std::string& name) {
    SshKey k = test::make_ssh_key(dir_.path(), name, "ed25519");
    auto imported = import_key_file(k.public_path);
    EXPECT_TRUE(imported.ok()) << imported.error().message;
    EXPECT_TRUE(store_->add_key(imported->keys.at(0)).ok());
    return k;
  }

  /// Signs, verifies and stores an endorsement, as `vouch endorse` does.
  void endorse(const SshKey& issuer, const SshKey& target, int amount, int depth,
               std::vector<std::string> scopes = {}) {
    Endorsement e;
    e.issuer = id(issuer);
    e.target = id(target);
    e.amount = amount;
    e.depth = depth;
    e.scopes = std::move(scopes);
    e.created = kNow - 1000;
    auto text = serialize_checked(e);
    ASSERT_TRUE(text.ok()) << text.error().message;
    auto sig = statement::sign_statement(*text, issuer.private_path, statement::kEndorsementType);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    SignedStatement st{std::string(statement::kEndorsementType), *text, *sig};
    auto ring = keyring_from_store(*store_);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    auto verified = verify_endorsement(st, *ring, kNow);
    ASSERT_TRUE(verified.ok()) << verified.error().message;
    auto put = store_->put_endorsement(*verified, statement::to_transport_line(st));
    ASSERT_TRUE(put.ok()) << put.error().message;
  }

  static KeyId id(const SshKey& k) { return KeyId{KeyKind::ssh, k.fingerprint}; }

  TempDir dir_;
  std::optional<TrustStore> store_;
  SshKey root_, alice_, bob_;
};

TEST_F(WotLoaderTest, KeysCarryTheirPersonsEmails) {
  ASSERT_TRUE(store_->add_person(Person{"alice", "Alice", {"alice@example.org", "a@work.example"}, {id(alice_)}}).ok());
  auto in = load_wot_input(*store_);
  ASSERT_TRUE(in.ok()) << in.error().message;
  ASSERT_EQ(in->keys.size(), 3u);
  for (const auto& k : in->keys) {
    if (k.id == id(alice_)) {
      EXPECT_EQ(k.person, std::optional<std::string>("alice"));
      EXPECT_EQ(k.emails, (std::vector<std::string>{"a@work.example", "alice@example.org"}));
    } else {
      EXPECT_EQ(k.person, std::nullopt) << k.id.str();
      EXPECT_TRUE(k.emails.empty()) << k.id.str();
    }
  }
}

TEST_F(WotLoaderTest, EndorsementsRootsAndRevocationsAreLoaded) {
  endorse(root_, alice_, 120, 1);
  endorse(alice_, bob_, 60, 0);
  ASSERT_TRUE(store_->add_root(id(root_)).ok());
  ASSERT_TRUE(store_->add_revocation({id(bob_), RevocationReason::retired, kNow - 10, std::nullopt, "left"}).ok());
  auto in = load_wot_input(*store_);
  ASSERT_TRUE(in.ok()) << in.error().message;
  ASSERT_EQ(in->endorsements.size(), 2u);
  EXPECT_EQ(in->roots, std::vector<KeyId>{id(root_)});
  ASSERT_EQ(in->revocations.size(), 1u);
  EXPECT_EQ(in->revocations[0].key, id(bob_));
  EXPECT_EQ(in->revocations[0].reason, RevocationReason::retired);
  bool found = false;
  for (const auto& e : in->endorsements)
    if (e.issuer == id(alice_)) {
      found = true;
      EXPECT_EQ(e.target, id(bob_));
      EXPECT_EQ(e.amount, 60);
    }
  EXPECT_TRUE(found);
}

// The point of filling emails: a scoped introducer can introduce a person's
// key only because the database binds the person's emails to it.
TEST_F(WotLoaderTest, ScopesMatchThePersonsEmails) {
  endorse(root_, alice_, 120, 1, {"*@example.org"});
  endorse(alice_, bob_, 120, 0);
  ASSERT_TRUE(store_->add_root(id(root_)).ok());

  auto check = [&] {
    auto in = load_wot_input(*store_);
    EXPECT_TRUE(in.ok());
    return TrustGraph::build(*in, {.at = kNow}).trust_of_key(id(bob_)).amount;
  };
  EXPECT_EQ(check(), 0);  // bob has no email yet: the scope cannot match
  ASSERT_TRUE(store_->add_person(Person{"bob", "Bob", {"bob@example.org"}, {id(bob_)}}).ok());
  EXPECT_EQ(check(), 120);
}

TEST(WotLoader, EmptyDatabaseGivesEmptyInput) {
  TempDir dir;
  auto s = TrustStore::open(dir / "trust.db", OpenMode::create);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto in = load_wot_input(*s);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_TRUE(in->keys.empty());
  EXPECT_TRUE(in->endorsements.empty());
  EXPECT_TRUE(in->roots.empty());
  EXPECT_TRUE(in->revocations.empty());
}

}  // namespace
}  // namespace vouch::trust
