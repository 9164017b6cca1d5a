// Key import from files: OpenPGP certificates (armored, binary, several,
// revoked, certification-only primary with a signing subkey, DSA, refused by
// GnuPG), OpenSSH .pub lines of every type, allowed_signers files, garbage;
// and resolve_key_argument.
#include "trustdb/key_import.h"

#include <gtest/gtest.h>

#include "../e2e/e2e_support.h"
#include "test_env.h"
#include "util/base64.h"

namespace vouch::trust {
namespace {

using test::GpgHome;
using test::TempDir;

class KeyImportTest : public ::testing::Test {
 protected:
  TempDir dir_;
  GpgHome gpg_{dir_.path()};

  Result<ImportedKeys> import_text(const std::string& name, const std::string& data) {
    test::write_file(dir_ / name, data);
    return import_key_file(dir_ / name);
  }
};

TEST_F(KeyImportTest, ArmoredCertificateBecomesOneRecord) {
  std::string fpr = gpg_.gen_key("Alice <alice@example.org>");
  auto r = import_text("alice.asc", gpg_.export_public(fpr));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 1u);
  const KeyRecord& k = r->keys[0];
  EXPECT_EQ(k.id.str(), "openpgp:" + fpr);
  EXPECT_EQ(k.signing_subkeys, std::vector<std::string>{fpr});
  EXPECT_TRUE(k.created.has_value());
  EXPECT_FALSE(k.expires.has_value());
  EXPECT_TRUE(k.material.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----\n")) << k.material;
  EXPECT_TRUE(r->revocations.empty());
  EXPECT_TRUE(r->warnings.empty());
  // The stored material imports again to the same key.
  auto again = import_key_data(k.material, "again");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->keys[0].id, k.id);
}

TEST_F(KeyImportTest, BinaryCertificate) {
  std::string fpr = gpg_.gen_key("Bob <bob@example.org>", "rsa3072", "sign", "2040-01-01");
  auto bin = gpg_.gpg({"--export", fpr});
  ASSERT_EQ(bin.exit_code, 0);
  auto r = import_key_data(bin.out, "bob.gpg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 1u);
  EXPECT_EQ(r->keys[0].id.str(), "openpgp:" + fpr);
  EXPECT_TRUE(r->keys[0].expires.has_value());
}

TEST_F(KeyImportTest, CertifyOnlyPrimaryWithSigningSubkey) {
  std::string fpr = gpg_.gen_key("Carol <carol@example.org>", "ed25519", "cert");
  std::string sub = gpg_.add_subkey(fpr, "ed25519", "sign");
  auto r = import_text("carol.asc", gpg_.export_public(fpr));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 1u);
  EXPECT_EQ(r->keys[0].id.str(), "openpgp:" + fpr);
  EXPECT_EQ(r->keys[0].signing_subkeys, std::vector<std::string>{sub});
}

TEST_F(KeyImportTest, SeveralCertificatesInOneFileAndConcatenatedArmor) {
  std::string a = gpg_.gen_key("A <a@example.org>");
  std::string b = gpg_.gen_key("B <b@example.org>");
  auto both = gpg_.gpg({"--armor", "--export", a, b});
  auto r = import_key_data(both.out, "both.asc");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 2u);
  auto cat = import_key_data(gpg_.export_public(a) + gpg_.export_public(b), "cat.asc");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ(cat->keys.size(), 2u);
}

TEST_F(KeyImportTest, RevokedCertificateGivesRevocationRecord) {
  std::string fpr = gpg_.gen_key("Dave <dave@example.org>", "ed25519", "sign", "never", "20240101T000000!");
  test::revoke_openpgp(gpg_, fpr, 1, "20250101T000000!");  // 1 = compromised
  auto r = import_text("dave.asc", gpg_.export_public(fpr));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 1u);
  ASSERT_EQ(r->revocations.size(), 1u);
  const RevocationRecord& rev = r->revocations[0];
  EXPECT_EQ(rev.key.str(), "openpgp:" + fpr);
  EXPECT_EQ(rev.reason, RevocationReason::compromised);
  EXPECT_EQ(rev.time, 1735689600);
  EXPECT_EQ(rev.statement, std::string(kOpenPgpRevocationStatement));
  EXPECT_EQ(rev.comment, std::string("revoked in a test"));
}

TEST_F(KeyImportTest, SupersededRevocationIsSoft) {
  std::string fpr = gpg_.gen_key("Erin <erin@example.org>");
  test::revoke_openpgp(gpg_, fpr, 2);  // 2 = superseded
  auto r = import_key_data(gpg_.export_public(fpr), "erin.asc");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->revocations.size(), 1u);
  EXPECT_EQ(r->revocations[0].reason, RevocationReason::superseded);
}

TEST_F(KeyImportTest, CertificateGnupgRefusesIsMalformed) {
  // Only the primary key packet: no user ID, no self-signature.
  std::string fpr = gpg_.gen_key("F <f@example.org>");
  std::string bin = gpg_.gpg({"--export", fpr}).out;
  ASSERT_GE(bin.size(), 2u);
  auto b0 = static_cast<unsigned char>(bin[0]);
  size_t len = 0, header = 0;
  if (b0 & 0x40) {  // new format, one-octet length for a small key
    len = static_cast<unsigned char>(bin[1]);
    header = 2;
  } else if ((b0 & 3) == 0) {
    len = static_cast<unsigned char>(bin[1]);
    header = 2;
  } else {
    len = static_cast<size_t>(static_cast<unsigned char>(bin[1])) << 8 | static_cast<unsigned char>(bin[2]);
    header = 3;
  }
  auto r = import_key_data(bin.substr(0, header + len), "bare.gpg");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_TRUE(r.error().message.starts_with("bare.gpg: ")) << r.error().message;
}

TEST_F(KeyImportTest, DsaCertificateIsUnsupported) {
  std::string fpr = gpg_.gen_key("G <g@example.org>", "dsa2048");
  if (fpr.empty()) GTEST_SKIP() << "gpg cannot make DSA keys here";
  auto r = import_key_data(gpg_.export_public(fpr), "dsa.asc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(r.error().message,
            "dsa.asc: OpenPGP key " + fpr + " is a DSA key, which vouch does not support");
}

TEST_F(KeyImportTest, SshPublicKeyOfEveryType) {
  for (const std::string type : {"ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-3072"}) {
    auto key = test::make_ssh_key(dir_.path(), "k-" + type, type);
    auto r = import_key_file(key.public_path);
    ASSERT_TRUE(r.ok()) << type << ": " << r.error().message;
    ASSERT_EQ(r->keys.size(), 1u);
    EXPECT_EQ(r->keys[0].id.str(), "ssh:" + key.fingerprint) << type;
    EXPECT_EQ(r->keys[0].material, key.public_line) << type;
    EXPECT_TRUE(r->keys[0].signing_subkeys.empty());
  }
  for (const std::string name : {"ed25519_sk.pub", "ecdsa_sk.pub"}) {
    auto r = import_key_file(test::source_dir() + "/tests/data/ssh/" + name);
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    ASSERT_EQ(r->keys.size(), 1u);
    EXPECT_TRUE(r->keys[0].material.starts_with("sk-")) << r->keys[0].material;
  }
}

TEST_F(KeyImportTest, SshDsaIsUnsupported) {
  auto str = [](const std::string& s) {
    std::string out(4, '\0');
    out[3] = static_cast<char>(s.size());
    return out + s;
  };
  std::string blob = str("ssh-dss") + str("\x01") + str("\x02") + str("\x03") + str("\x04");
  auto r = import_text("dsa.pub", "ssh-dss " + util::base64_encode(blob) + " old@host\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(r.error().message, dir_ / "dsa.pub" + ":1: unsupported SSH key type \"ssh-dss\"");
}

TEST_F(KeyImportTest, AllowedSignersOneRecordPerKeyWithExpiry) {
  auto a = test::make_ssh_key(dir_.path(), "a", "ed25519");
  auto b = test::make_ssh_key(dir_.path(), "b", "ecdsa-256");
  std::string text = "# maintainers\n"
                     "alice@example.org " + a.public_line + "\n"
                     "bob@example.org valid-before=\"20300101Z\" " + b.public_line + "\n";
  // By file name.
  auto r = import_text("allowed_signers", text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->keys.size(), 2u);
  EXPECT_EQ(r->keys[0].id.str(), "ssh:" + a.fingerprint);
  EXPECT_FALSE(r->keys[0].expires.has_value());
  EXPECT_EQ(r->keys[1].id.str(), "ssh:" + b.fingerprint);
  EXPECT_EQ(r->keys[1].expires, int64_t{1893456000});
  EXPECT_TRUE(r->warnings.empty());
  // By content, under another name.
  auto c = import_text("signers.txt", text);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->keys.size(), 2u);
}

TEST_F(KeyImportTest, GarbageIsMalformedWithMessage) {
  auto r = import_text("notes.txt", "hello world\nthis is not a key\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().message,
            dir_ / "notes.txt" + ": not an OpenPGP certificate, an OpenSSH public key or an allowed_signers file");
  auto armor = import_key_data("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n", "cut.asc");
  ASSERT_FALSE(armor.ok());
  EXPECT_EQ(armor.error().kind, ErrorKind::malformed);
  EXPECT_EQ(armor.error().message,
            "cut.asc: armor has no \"-----END PGP PUBLIC KEY BLOCK-----\" line");
  auto missing = import_key_file(dir_ / "absent.pub");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot read " + dir_ / "absent.pub" + ": no such file");
}

TEST_F(KeyImportTest, ResolveKeyArgument) {
  auto store = TrustStore::open(dir_ / "trust.db", OpenMode::create);
  ASSERT_TRUE(store.ok()) << store.error().message;
  std::string fpr = gpg_.gen_key("H <h@example.org>", "ed25519", "cert");
  std::string sub = gpg_.add_subkey(fpr, "ed25519", "sign");
  auto pgp = import_text("h.asc", gpg_.export_public(fpr));
  ASSERT_TRUE(pgp.ok()) << pgp.error().message;
  ASSERT_TRUE(store->add_key(pgp->keys[0]).ok());
  auto ssh = test::make_ssh_key(dir_.path(), "s", "ed25519");
  auto sshrec = import_key_file(ssh.public_path);
  ASSERT_TRUE(sshrec.ok());
  ASSERT_TRUE(store->add_key(sshrec->keys[0]).ok());
  ASSERT_TRUE(store->add_person(Person{"hana", "Hana", {}, {sshrec->keys[0].id}}).ok());

  auto expect = [&](const std::string& arg, const std::string& id) {
    auto r = resolve_key_argument(*store, arg);
    ASSERT_TRUE(r.ok()) << arg << ": " << r.error().message;
    EXPECT_EQ(r->str(), id) << arg;
  };
  expect("openpgp:" + fpr, "openpgp:" + fpr);
  expect(fpr, "openpgp:" + fpr);
  expect(sub, "openpgp:" + fpr);  // a signing subkey names its certificate
  expect(ssh.fingerprint, "ssh:" + ssh.fingerprint);
  expect("ssh:" + ssh.fingerprint, "ssh:" + ssh.fingerprint);
  expect(ssh.public_path, "ssh:" + ssh.fingerprint);
  expect(dir_ / "h.asc", "openpgp:" + fpr);
  expect("hana", "ssh:" + ssh.fingerprint);

  auto bad = resolve_key_argument(*store, "nobody");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(bad.error().message, "\"nobody\" is not a key id, a public key file or a person with one key");
}

}  // namespace
}  // namespace vouch::trust
