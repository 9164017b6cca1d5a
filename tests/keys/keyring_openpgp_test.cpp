// OpenPGP keyrings from directories: which (sub)keys may sign (threat 31),
// revocation certificates kept as files, multi-block key files, and files
// that cannot be read at all.
#include <gtest/gtest.h>

#include "keys/keyring.h"
#include "pgp_forge.h"
#include "test_env.h"

namespace vouch::keys {
namespace {

using test::forge::EdKey;
namespace forge = test::forge;

constexpr int64_t kT = 1700000000;

class KeyringOpenPgpTest : public ::testing::Test {
 protected:
  Result<Keyring> load() { return Keyring::load_directory(dir_.path()); }
  void put(const std::string& name, const std::string& text) { test::write_file(dir_ / name, text); }
  /// A certify-only primary with one subkey bound as a signing key (with
  /// its back-signature unless `backsig` is false).
  std::string cert(const EdKey& primary, const std::string& uid, const EdKey& sub, bool backsig) {
    const std::string hashed = backsig ? forge::signing_binding(primary, sub) : forge::subpacket(27, "\x02");
    return forge::armored_cert(forge::primary_with_uid(primary, uid) + forge::bound_subkey(primary, sub, primary, hashed));
  }

  test::TempDir dir_;
  EdKey alice_{kT - 1000}, alice_sub_{kT - 900}, mallory_{kT - 800}, pat_{kT - 700}, pat_sub_{kT - 600};
};

TEST_F(KeyringOpenPgpTest, SubkeyWithoutBackSignatureCannotSign) {
  put("pat.asc", cert(pat_, "pat <pat@example.org>", pat_sub_, false));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_TRUE(ring->keys().empty());
  EXPECT_EQ(ring->find_openpgp(pat_sub_.fpr_hex()), nullptr);
  EXPECT_EQ(ring->warnings(), std::vector<std::string>{"OpenPGP subkey " + pat_sub_.fpr_hex() + " of " +
                                                       pat_.fpr_hex() + " cannot sign: its binding signature "
                                                       "carries no primary-key binding signature (0x19 back-signature)"});
}

TEST_F(KeyringOpenPgpTest, BorrowedSubkeyStaysWithTheCertificateThatCrossCertifiedIt) {
  put("0-mallory.asc", cert(mallory_, "mallory <m@example.org>", alice_sub_, false));
  put("alice.asc", cert(alice_, "alice <alice@example.org>", alice_sub_, true));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  const SigningKey* k = ring->find_openpgp(alice_sub_.fpr_hex());
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->id.id, alice_.fpr_hex());
  EXPECT_TRUE(k->rival_primaries.empty());
  EXPECT_EQ(ring->find_openpgp_key_id(alice_sub_.pk.empty() ? 0 : k->pgp->key_id), k);
  EXPECT_EQ(ring->keys().size(), 1u);
}

TEST_F(KeyringOpenPgpTest, TwoValidClaimsMakeTheSubkeyAmbiguous) {
  // The subkey's owner cross-certified it for two certificates: neither may win silently.
  put("alice.asc", cert(alice_, "alice <alice@example.org>", alice_sub_, true));
  put("mallory.asc", cert(mallory_, "mallory <m@example.org>", alice_sub_, true));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  const SigningKey* k = ring->find_openpgp(alice_sub_.fpr_hex());
  ASSERT_NE(k, nullptr);
  std::vector<std::string> both = {k->id.id, k->rival_primaries.empty() ? "" : k->rival_primaries[0]};
  std::sort(both.begin(), both.end());
  std::vector<std::string> want = {alice_.fpr_hex(), mallory_.fpr_hex()};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(both, want);
  ASSERT_EQ(ring->warnings().size(), 1u);
  EXPECT_EQ(ring->warnings()[0], "OpenPGP signing key " + alice_sub_.fpr_hex() + " is bound to both " + k->id.id +
                                     " and " + k->rival_primaries[0] + "; its signatures are not accepted");
}

TEST_F(KeyringOpenPgpTest, ABindingMadeAfterTheSubkeysRevocationDoesNotRestoreIt) {
  const std::string prefix = alice_.framed + alice_sub_.framed;
  std::string c = forge::primary_with_uid(alice_, "alice <alice@example.org>") +
                  forge::bound_subkey(alice_, alice_sub_, alice_, forge::signing_binding(alice_, alice_sub_));
  c += forge::packet(2, alice_.sign(0x28, prefix, forge::subpacket(29, std::string("\x02", 1)), kT - 100));
  c += forge::packet(2, alice_.sign(0x18, prefix,
                                    forge::subpacket(27, "\x02") +
                                        forge::subpacket(32, forge::back_signature(alice_, alice_sub_, kT - 50)),
                                    kT - 50));
  put("alice.asc", forge::armored_cert(c));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  const SigningKey* k = ring->find_openpgp(alice_sub_.fpr_hex());
  ASSERT_NE(k, nullptr);
  ASSERT_TRUE(k->revocation.has_value());
  EXPECT_TRUE(k->revocation->hard);
  EXPECT_EQ(k->revocation->reason, "compromised");
}

TEST_F(KeyringOpenPgpTest, RevocationCertificateFileRevokesTheKey) {
  EdKey k(kT - 1000);
  put("key.asc", forge::armored_cert(forge::primary_with_uid(k, "k <k@example.org>", 0x03)));
  // Sorted before the key it revokes: the order of files does not matter.
  put("a-key.rev.asc",
      forge::armored_cert(forge::packet(2, k.sign(0x20, k.framed, forge::subpacket(29, std::string("\x01", 1)), kT))));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  const SigningKey* key = ring->find_openpgp(k.fpr_hex());
  ASSERT_NE(key, nullptr);
  ASSERT_TRUE(key->revocation.has_value());
  EXPECT_FALSE(key->revocation->hard);
  EXPECT_EQ(key->revocation->reason, "superseded");
  EXPECT_EQ(key->revocation->time, kT);
  EXPECT_TRUE(ring->warnings().empty());
}

TEST_F(KeyringOpenPgpTest, RevocationCertificatesThatDoNotApplyAreWarnings) {
  EdKey k(kT - 1000), stranger(kT - 1000);
  put("key.asc", forge::armored_cert(forge::primary_with_uid(k, "k <k@example.org>", 0x03)));
  put("stranger.rev.asc", forge::armored_cert(forge::packet(2, stranger.sign(0x20, stranger.framed, "", kT))));
  // Made by the stranger, claiming to be k's: it names k but does not verify.
  std::string forged = stranger.sign(0x20, k.framed, "", kT);
  forged.replace(forged.find(stranger.fpr), 20, k.fpr);
  put("forged.rev.asc", forge::armored_cert(forge::packet(2, forged)));
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_FALSE(ring->find_openpgp(k.fpr_hex())->revocation.has_value());
  ASSERT_EQ(ring->warnings().size(), 2u);
  EXPECT_EQ(ring->warnings()[0].substr(ring->warnings()[0].rfind('/') + 1),
            "forged.rev.asc: revocation certificate for OpenPGP key " + k.fpr_hex() + " does not verify "
            "(issuer key ID " + stranger.fpr_hex().substr(24) + " does not match key " + k.fpr_hex() + "); ignored");
  EXPECT_EQ(ring->warnings()[1], dir_ / "stranger.rev.asc" + ": revocation certificate for OpenPGP key " +
                                     stranger.fpr_hex() + ", which is not in the keyring; ignored");
}

TEST_F(KeyringOpenPgpTest, EveryBlockOfAMultiBlockFileIsRead) {
  put("KEYS.asc", "This file holds the project's keys.\n\n" +
                      test::read_file(test::source_dir() + "/tests/data/openpgp/github-web-flow.asc") +
                      "\n-- the end\n");
  auto ring = load();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ASSERT_NE(ring->find_openpgp("968479A1AFF927E37D1A566BB5690EEEBB952194"), nullptr);
  ASSERT_NE(ring->find_openpgp("5DE3E0509C47EA3CF04A42D34AEE18F83AFDEB23"), nullptr);
  EXPECT_EQ(ring->find_openpgp("5DE3E0509C47EA3CF04A42D34AEE18F83AFDEB23")->expires, 1705435200);
  EXPECT_EQ(ring->find_openpgp("968479A1AFF927E37D1A566BB5690EEEBB952194")->weakness, "");
}

TEST_F(KeyringOpenPgpTest, AFileWithNothingReadableIsAnErrorNamingIt) {
  put("notes.asc", "my keys are elsewhere\n");
  auto ring = load();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().kind, ErrorKind::malformed);
  EXPECT_EQ(ring.error().message, dir_ / "notes.asc" + ": OpenPGP key: armor: no \"-----BEGIN ...-----\" line");
  put("notes.asc", "\n");
  EXPECT_EQ(load().error().message, dir_ / "notes.asc" + ": OpenPGP key: the file is empty");
}

TEST_F(KeyringOpenPgpTest, RsaUnderTheFloorIsMarkedWeakAtLoad) {
  test::GpgHome gpg(dir_ / "gnupg");
  const std::string fpr = gpg.gen_key("small <s@example.org>", "rsa1024");
  test::TempDir keys;
  test::write_file(keys / "small.asc", gpg.export_public(fpr));
  auto ring = Keyring::load_directory(keys.path());
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ASSERT_NE(ring->find_openpgp(fpr), nullptr);
  EXPECT_EQ(ring->find_openpgp(fpr)->weakness, "RSA key of 1024 bits is below the 2048-bit minimum");
}

}  // namespace
}  // namespace vouch::keys
