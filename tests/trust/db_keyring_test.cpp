// keyring_from_store: the database's keys as a verification keyring, with the
// database's revocations applied on top of what the key material says.
#include "trustdb/db_keyring.h"

#include <gtest/gtest.h>

#include "signature/signature_check.h"
#include "test_env.h"
#include "trustdb/key_import.h"

namespace vouch::trust {
namespace {

using test::TempDir;

constexpr int64_t kT = 1800000000;  // a fixed reference time

class DbKeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = TrustStore::open(dir_ / "trust.db", OpenMode::create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_.emplace(std::move(*s));
    key_ = test::make_ssh_key(dir_.path(), "dev", "ed25519");
    auto imported = import_key_file(key_.public_path);
    ASSERT_TRUE(imported.ok()) << imported.error().message;
    ASSERT_TRUE(store_->add_key(imported->keys[0]).ok());
    id_ = imported->keys[0].id;
    sig_ = test::ssh_sign(key_, "git", "payload\n", dir_.path());
  }

  /// The verdict on the SSH signature taken as made at `made`.
  SignatureResult check(int64_t made) {
    auto ring = keyring_from_store(*store_);
    EXPECT_TRUE(ring.ok()) << ring.error().message;
    if (!ring.ok()) return {};
    return signature::check_signature(*ring, sig_, "payload\n", {"git", made, kT});
  }

  void revoke(RevocationReason reason, int64_t time) {
    ASSERT_TRUE(store_->add_revocation(RevocationRecord{id_, reason, time, std::nullopt, std::nullopt}).ok());
  }

  TempDir dir_;
  std::optional<TrustStore> store_;
  test::SshKey key_;
  KeyId id_;
  std::string sig_;
};

TEST_F(DbKeyringTest, UnrevokedKeyIsGood) {
  auto r = check(kT - 100);
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_EQ(r.key, id_.str());
}

TEST_F(DbKeyringTest, HardRevocationInDatabaseVoidsEverySignature) {
  revoke(RevocationReason::compromised, kT);
  auto r = check(kT - 1000);  // made long before the revocation: still void
  EXPECT_EQ(r.status, SigStatus::revoked_key);
  EXPECT_EQ(r.reason, "key " + id_.str() + " is revoked (compromised): every signature by it is void");
}

TEST_F(DbKeyringTest, SoftRevocationKeepsEarlierSignatures) {
  revoke(RevocationReason::superseded, kT);
  EXPECT_EQ(check(kT - 1).status, SigStatus::good);
  auto r = check(kT);
  EXPECT_EQ(r.status, SigStatus::revoked_key);
  EXPECT_EQ(r.reason, "signature made 2027-01-15 08:00:00Z, after the key was revoked (superseded) at "
                      "2027-01-15 08:00:00Z");
}

TEST_F(DbKeyringTest, StrongestOfSeveralRevocationsWins) {
  revoke(RevocationReason::retired, kT);
  revoke(RevocationReason::superseded, kT - 500);  // earlier soft one wins over the later
  EXPECT_EQ(check(kT - 501).status, SigStatus::good);
  EXPECT_EQ(check(kT - 500).status, SigStatus::revoked_key);
  revoke(RevocationReason::unspecified, kT + 500);  // hard beats soft, whenever it was made
  EXPECT_EQ(check(kT - 501).status, SigStatus::revoked_key);
}

TEST_F(DbKeyringTest, SshExpiryFromRecordApplies) {
  auto rec = store_->get_key(id_);
  ASSERT_TRUE(rec.ok() && rec->has_value());
  KeyRecord k = **rec;
  k.expires = kT;
  ASSERT_TRUE(store_->add_key(k).ok());
  EXPECT_EQ(check(kT - 1).status, SigStatus::good);
  EXPECT_EQ(check(kT + 1).status, SigStatus::expired_key);
}

TEST_F(DbKeyringTest, OpenPgpKeyRevokedOnlyInDatabase) {
  test::GpgHome gpg(dir_.path());
  std::string fpr = gpg.gen_key("P <p@example.org>");
  auto imported = import_key_data(gpg.export_public(fpr), "p.asc");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_TRUE(store_->add_key(imported->keys[0]).ok());
  auto sig = gpg.gpg({"--armor", "--detach-sign", "--local-user", fpr}, "payload\n");
  ASSERT_EQ(sig.exit_code, 0) << sig.err;

  auto ring = keyring_from_store(*store_);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  auto before = signature::check_signature(*ring, sig.out, "payload\n", {"git", 0, kT});
  EXPECT_EQ(before.status, SigStatus::good) << before.reason;

  ASSERT_TRUE(store_->add_revocation(RevocationRecord{imported->keys[0].id, RevocationReason::compromised, kT,
                                                      std::nullopt, std::nullopt}).ok());
  auto ring2 = keyring_from_store(*store_);
  ASSERT_TRUE(ring2.ok()) << ring2.error().message;
  auto after = signature::check_signature(*ring2, sig.out, "payload\n", {"git", 0, kT});
  EXPECT_EQ(after.status, SigStatus::revoked_key);
  EXPECT_EQ(after.key, "openpgp:" + fpr);
}

TEST_F(DbKeyringTest, BrokenStoredMaterialNamesTheKey) {
  KeyRecord bad;
  bad.id = KeyId{KeyKind::ssh, "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"};
  bad.material = "ssh-ed25519 AAAA";
  ASSERT_TRUE(store_->add_key(bad).ok());
  auto ring = keyring_from_store(*store_);
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().kind, ErrorKind::malformed);
  EXPECT_TRUE(ring.error().message.starts_with("trust database key " + bad.id.str() + ": "))
      << ring.error().message;
}

}  // namespace
}  // namespace vouch::trust
