// Key files as found in the wild (docs/signatures.md, "Key files"): several
// armored blocks with text between them, bare revocation certificates, and
// what is an error.
#include <gtest/gtest.h>

#include "crypto/armor.h"
#include "crypto/openpgp_key.h"
#include "pgp_forge.h"
#include "test_env.h"

namespace vouch::crypto::pgp {
namespace {

using test::forge::EdKey;
namespace forge = test::forge;

constexpr int64_t kT = 1700000000;

std::string data_file(const std::string& name) {
  return test::read_file(test::source_dir() + "/tests/data/openpgp/" + name);
}

std::string err(const Result<KeyFile>& r) { return r.ok() ? "ok" : r.error().message; }

TEST(DearmorAllTest, ReadsEveryBlockAndIgnoresTextAround) {
  const std::string a = armor("PGP PUBLIC KEY BLOCK", "one");
  const std::string b = armor("PGP PUBLIC KEY BLOCK", "two");
  auto blocks = dearmor_all("pub   rsa4096 2019-01-01\nuid   Someone\n\n" + a + "\nsome text\n" + b + "trailer\n");
  ASSERT_TRUE(blocks.ok()) << blocks.error().message;
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].data, "one");
  EXPECT_EQ((*blocks)[1].data, "two");
}

TEST(DearmorAllTest, Errors) {
  EXPECT_EQ(dearmor_all("just text\n").error().message, "armor: no \"-----BEGIN ...-----\" line");
  const std::string a = armor("PGP PUBLIC KEY BLOCK", "one");
  EXPECT_EQ(dearmor_all(a + a.substr(0, a.find("-----END"))).error().message,
            "armor: block 2: missing \"-----END PGP PUBLIC KEY BLOCK-----\" line");
  std::string bad_crc = a;
  bad_crc[bad_crc.find("\n=") + 2] ^= 1;
  EXPECT_EQ(dearmor_all(a + bad_crc).error().message.rfind("armor: block 2: CRC-24 mismatch", 0), 0u);
}

TEST(KeyFileTest, GithubWebFlowHasTwoCertificates) {
  auto file = parse_key_file(data_file("github-web-flow.asc"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->certificates.size(), 2u);
  EXPECT_EQ(file->certificates[0].primary.key.fingerprint, "968479A1AFF927E37D1A566BB5690EEEBB952194");
  EXPECT_EQ(file->certificates[1].primary.key.fingerprint, "5DE3E0509C47EA3CF04A42D34AEE18F83AFDEB23");
  EXPECT_EQ(file->certificates[0].primary.key.bits, 4096u);
  EXPECT_EQ(file->certificates[1].primary.key.bits, 2048u);
  EXPECT_EQ(file->blocks.size(), 2u);
  EXPECT_TRUE(file->revocations.empty());
  EXPECT_TRUE(file->skipped.empty());
}

TEST(KeyFileTest, BareRevocationIsKeptApart) {
  EdKey k(kT);
  const std::string rev = k.sign(0x20, k.framed, forge::subpacket(29, std::string("\x02", 1)), kT + 10);
  // As gpg --gen-revoke writes it: a public key block holding one signature, with a comment.
  std::string text = forge::armored_cert(forge::packet(2, rev));
  text.insert(text.find('\n') + 1, "Comment: This is a revocation certificate\n");
  auto file = parse_key_file(text);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_TRUE(file->certificates.empty());
  ASSERT_EQ(file->revocations.size(), 1u);
  EXPECT_EQ(file->revocations[0].issuer_fingerprint, k.fpr_hex());
  EXPECT_EQ(file->revocations[0].revocation_reason, 2);
  EXPECT_TRUE(file->blocks.empty());  // nothing for GnuPG to import
}

TEST(KeyFileTest, CertificateAndRevocationInSeparateBlocks) {
  EdKey k(kT);
  const std::string cert = forge::armored_cert(forge::primary_with_uid(k, "k <k@example.org>", 0x03));
  const std::string rev = crypto::pgp::armor("PGP SIGNATURE", forge::packet(2, k.sign(0x20, k.framed, "", kT + 10)));
  auto file = parse_key_file(cert + "\n" + rev);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->certificates.size(), 1u);
  EXPECT_EQ(file->revocations.size(), 1u);
  EXPECT_EQ(file->blocks.size(), 1u);
}

TEST(KeyFileTest, BinaryCertificates) {
  EdKey a(kT), b(kT);
  auto file = parse_key_file(forge::primary_with_uid(a, "a <a@x>") + forge::primary_with_uid(b, "b <b@x>"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->certificates.size(), 2u);
}

TEST(KeyFileTest, UnsupportedKeyVersionIsSkippedNotFatal) {
  EdKey a(kT);
  std::string v5 = a.body;
  v5[0] = 5;
  auto file = parse_key_file(forge::armored_cert(forge::packet(6, v5) + forge::packet(13, "old <o@x>")) +
                             forge::armored_cert(forge::primary_with_uid(a, "a <a@x>")));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->certificates.size(), 1u);
  EXPECT_EQ(file->skipped, std::vector<std::string>{"certificate at offset 0 of armored block 1: OpenPGP key "
                                                    "version 5 is not supported"});
}

// An unsupported subkey before any primary key, then a user ID: both
// skipped, no certificate to attach them to (found by fuzz/fuzz_openpgp_cert:
// the user ID used to be added to a certificate that did not exist).
TEST(KeyFileTest, UnsupportedSubkeyBeforeAnyPrimaryThenUserId) {
  EdKey a(kT);
  std::string v5 = a.body;
  v5[0] = 5;
  const std::string subkey = forge::packet(14, v5);
  const std::string uid = forge::packet(13, "stray <s@x>");
  auto file = parse_key_file(subkey + uid + forge::primary_with_uid(a, "a <a@x>"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->certificates.size(), 1u);
  EXPECT_EQ(file->certificates[0].user_ids, std::vector<std::string>{"a <a@x>"});
  EXPECT_EQ(file->skipped, (std::vector<std::string>{"subkey at offset 0: OpenPGP key version 5 is not supported",
                                                     "user ID packet at offset " + std::to_string(subkey.size()) +
                                                         " before any public key"}));
}

TEST(KeyFileTest, Errors) {
  EXPECT_EQ(err(parse_key_file("nothing here\n")), "OpenPGP key: armor: no \"-----BEGIN ...-----\" line");
  const std::string guarded = ":" + armor("PGP PUBLIC KEY BLOCK", "x");
  EXPECT_EQ(err(parse_key_file(guarded)),
            "OpenPGP key: no armored block; a revocation certificate from GnuPG's openpgp-revocs.d keeps a ':' "
            "before -----BEGIN until you remove it");
  EXPECT_EQ(err(parse_key_file(armor("PGP MESSAGE", "x"))),
            "OpenPGP key: armored block 1 is a \"PGP MESSAGE\", not a \"PGP PUBLIC KEY BLOCK\"");
  EXPECT_EQ(err(parse_key_file(armor("PGP PRIVATE KEY BLOCK", "x"))),
            "OpenPGP key: armored block 1 is a private key (only public certificates are accepted)");
  EXPECT_EQ(err(parse_key_file(armor("PGP PUBLIC KEY BLOCK", "\x01\x02"))),
            "OpenPGP packet at offset 0: header octet has bit 7 clear (not OpenPGP data)");
}

}  // namespace
}  // namespace vouch::crypto::pgp
