// Keyring::add_revocation: a revocation from elsewhere combined with what the
// key material says, the one saying more winning.
#include "keys/keyring.h"

#include <gtest/gtest.h>

#include "test_env.h"

namespace vouch::keys {
namespace {

class KeyringRevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = test::make_ssh_key(dir_.path(), "k", "ed25519");
    other_ = test::make_ssh_key(dir_.path(), "o", "ed25519");
    ASSERT_TRUE(ring_.add_ssh_line(key_.public_line, "k.pub").ok());
    // The same key on two allowed_signers lines: two entries, both must be revoked.
    ASSERT_TRUE(ring_.add_allowed_signers("a@x " + key_.public_line + "\nb@x " + key_.public_line + "\n",
                                          "allowed_signers").ok());
    ASSERT_TRUE(ring_.add_ssh_line(other_.public_line, "o.pub").ok());
    id_ = KeyId{KeyKind::ssh, key_.fingerprint};
  }
  std::vector<std::optional<Revocation>> revocations_of(const std::string& fpr) {
    std::vector<std::optional<Revocation>> out;
    for (const auto& k : ring_.keys())
      if (k.id.id == fpr) out.push_back(k.revocation);
    return out;
  }

  test::TempDir dir_;
  test::SshKey key_, other_;
  KeyId id_;
  Keyring ring_;
};

TEST_F(KeyringRevocationTest, AppliesToEveryEntryOfTheKeyOnly) {
  ring_.add_revocation(id_, {100, false, "superseded"});
  auto revs = revocations_of(key_.fingerprint);
  ASSERT_EQ(revs.size(), 3u);
  for (const auto& r : revs) {
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->time, 100);
    EXPECT_FALSE(r->hard);
    EXPECT_EQ(r->reason, "superseded");
  }
  EXPECT_FALSE(revocations_of(other_.fingerprint)[0].has_value());
}

TEST_F(KeyringRevocationTest, EarlierSoftBeatsLaterSoft) {
  ring_.add_revocation(id_, {200, false, "retired"});
  ring_.add_revocation(id_, {100, false, "superseded"});
  ring_.add_revocation(id_, {300, false, "retired"});
  auto r = revocations_of(key_.fingerprint)[0];
  EXPECT_EQ(r->time, 100);
  EXPECT_EQ(r->reason, "superseded");
}

TEST_F(KeyringRevocationTest, HardBeatsSoftEitherOrder) {
  ring_.add_revocation(id_, {100, false, "superseded"});
  ring_.add_revocation(id_, {500, true, "compromised"});
  ring_.add_revocation(id_, {50, false, "retired"});
  auto r = revocations_of(key_.fingerprint)[0];
  EXPECT_TRUE(r->hard);
  EXPECT_EQ(r->reason, "compromised");
}

TEST_F(KeyringRevocationTest, UnknownKeyIsANoOp) {
  ring_.add_revocation(KeyId{KeyKind::openpgp, std::string(40, 'A')}, {1, true, "compromised"});
  for (const auto& k : ring_.keys()) EXPECT_FALSE(k.revocation.has_value());
}

}  // namespace
}  // namespace vouch::keys
