#include "crypto/openpgp_key.h"

#include <gtest/gtest.h>

#include <sstream>

#include "crypto/armor.h"
#include "crypto/openpgp_packet.h"
#include "crypto/openpgp_verify.h"
#include "test_env.h"

namespace vouch::crypto::pgp {
namespace {

using test::GpgHome;
using test::TempDir;

std::string gen_key(GpgHome& gpg, const std::string& uid, const std::string& algo, const std::string& usage = "sign") {
  gpg.gen_key(uid, algo, usage);
  auto fprs = gpg.fingerprints("=" + uid);
  EXPECT_FALSE(fprs.empty()) << uid;
  return fprs.empty() ? "" : fprs.front();
}

Result<Certificate> one_cert(const std::string& text) {
  auto certs = parse_certificates(text);
  if (!certs) return certs.error();
  EXPECT_EQ(certs->size(), 1u);
  return certs->at(0);
}

std::string err(const Result<std::vector<Certificate>>& r) { return r.ok() ? "ok" : r.error().message; }

/// gpg --gen-revoke refuses --batch, so it is driven through --command-fd.
void revoke_primary(GpgHome& gpg, const std::string& fpr, const std::string& menu_choice, const std::string& text) {
  auto rev = test::run({"gpg", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", "--command-fd", "0",
                        "--armor", "--gen-revoke", fpr},
                       {.cwd = "", .env = gpg.env(), .input = "y\n" + menu_choice + "\n" + text + "\n\ny\n"});
  ASSERT_EQ(rev.exit_code, 0) << rev.err;
  auto imp = gpg.gpg({"--import"}, rev.out);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
}

TEST(OpenPgpKeyTest, ParsesKeysOfEachAlgorithm) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string ed = gen_key(gpg, "Ed <ed@example.org>", "ed25519");
  const std::string ec = gen_key(gpg, "Ec <ec@example.org>", "nistp384");
  const std::string rsa = gen_key(gpg, "Rsa <rsa@example.org>", "rsa2048");

  auto e = one_cert(gpg.export_public(ed));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->primary.key.version, 4);
  EXPECT_EQ(e->primary.key.algo, kAlgoEddsaLegacy);
  EXPECT_EQ(e->primary.key.fingerprint, ed);
  EXPECT_EQ(e->primary.key.key_id, std::stoull(ed.substr(24), nullptr, 16));
  EXPECT_EQ(e->primary.key.curve, Curve::ed25519);
  EXPECT_EQ(e->primary.key.point.size(), 33u);
  EXPECT_EQ(e->primary.key.point[0], 0x40);
  EXPECT_EQ(e->user_ids, std::vector<std::string>{"Ed <ed@example.org>"});
  ASSERT_EQ(e->primary.binding_sigs.size(), 1u);  // the user ID self-signature
  EXPECT_EQ(e->primary.binding_sigs[0].type, 0x13);
  EXPECT_EQ(e->primary.binding_sigs[0].key_flags, kFlagCertify | kFlagSign);
  EXPECT_TRUE(e->primary.revocations.empty());
  EXPECT_TRUE(e->subkeys.empty());

  auto c = one_cert(gpg.export_public(ec));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->primary.key.algo, kAlgoEcdsa);
  EXPECT_EQ(c->primary.key.curve, Curve::p384);
  EXPECT_EQ(c->primary.key.point.size(), 97u);
  EXPECT_EQ(c->primary.key.fingerprint, ec);

  auto r = one_cert(gpg.export_public(rsa));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->primary.key.algo, kAlgoRsa);
  EXPECT_EQ(r->primary.key.rsa_n.size(), 256u);
  EXPECT_EQ(r->primary.key.rsa_e, std::string("\x01\x00\x01", 3));
  EXPECT_EQ(r->primary.key.fingerprint, rsa);

  // All three in one export, binary.
  auto all = parse_certificates(gpg.gpg({"--export"}).out);
  ASSERT_TRUE(all.ok()) << err(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].primary.key.fingerprint, ed);
  EXPECT_EQ((*all)[1].primary.key.fingerprint, ec);
  EXPECT_EQ((*all)[2].primary.key.fingerprint, rsa);
}

TEST(OpenPgpKeyTest, PrimaryRevocationIsVerifiedWithItsReason) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Rev <rev@example.org>", "ed25519");
  revoke_primary(gpg, fpr, "2", "replaced by a new key");  // menu 2: superseded (reason 0x01)
  const std::string exported = gpg.export_public(fpr);
  auto cert = one_cert(exported);
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  ASSERT_EQ(cert->primary.revocations.size(), 1u);
  const Signature& rev = cert->primary.revocations[0];
  EXPECT_EQ(rev.type, kSigKeyRevocation);
  EXPECT_EQ(rev.revocation_reason, 1);
  EXPECT_EQ(rev.revocation_text, "replaced by a new key");
  EXPECT_TRUE(rev.created.has_value());

  // The same revocation with a flipped signature bit is dropped.
  std::string data = dearmor(exported)->data;
  auto packets = parse_packets(data);
  ASSERT_TRUE(packets.ok());
  bool flipped = false;
  for (const Packet& p : *packets) {
    if (p.tag == kTagSignature && static_cast<uint8_t>(p.body[1]) == kSigKeyRevocation) {
      const size_t last = static_cast<size_t>(p.body.data() - data.data()) + p.body.size() - 1;
      data[last] ^= 0x01;
      flipped = true;
    }
  }
  ASSERT_TRUE(flipped);
  auto forged = one_cert(data);
  ASSERT_TRUE(forged.ok()) << forged.error().message;
  EXPECT_TRUE(forged->primary.revocations.empty());
}

TEST(OpenPgpKeyTest, CompromisedRevocationIsHard) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Hard <hard@example.org>", "rsa2048");
  revoke_primary(gpg, fpr, "1", "stolen laptop");  // menu 1: compromised (reason 0x02)
  auto cert = one_cert(gpg.export_public(fpr));
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  ASSERT_EQ(cert->primary.revocations.size(), 1u);
  EXPECT_EQ(cert->primary.revocations[0].revocation_reason, 2);
  EXPECT_EQ(cert->primary.revocations[0].revocation_text, "stolen laptop");
}

TEST(OpenPgpKeyTest, SubkeyRevocationIsVerified) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Sub <sub@example.org>", "ed25519", "cert");
  gpg.add_subkey(fpr, "ed25519", "sign");
  gpg.add_subkey(fpr, "ed25519", "sign");
  auto edit = gpg.gpg({"--command-fd", "0", "--edit-key", fpr}, "key 1\nrevkey\ny\n3\nretired\n\ny\nsave\n");
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  auto fprs = gpg.fingerprints(fpr);
  ASSERT_EQ(fprs.size(), 3u);

  auto cert = one_cert(gpg.export_public(fpr));
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  EXPECT_TRUE(cert->primary.revocations.empty());
  ASSERT_EQ(cert->subkeys.size(), 2u);
  EXPECT_EQ(cert->subkeys[0].key.fingerprint, fprs[1]);
  EXPECT_EQ(cert->subkeys[1].key.fingerprint, fprs[2]);
  ASSERT_EQ(cert->subkeys[0].revocations.size(), 1u);
  EXPECT_EQ(cert->subkeys[0].revocations[0].type, kSigSubkeyRevocation);
  EXPECT_EQ(cert->subkeys[0].revocations[0].revocation_reason, 3);
  EXPECT_EQ(cert->subkeys[0].revocations[0].revocation_text, "retired");
  EXPECT_TRUE(cert->subkeys[1].revocations.empty());
  for (const auto& sk : cert->subkeys) {
    ASSERT_EQ(sk.binding_sigs.size(), 1u);
    EXPECT_TRUE(grants_signing(sk.binding_sigs[0]));
    EXPECT_EQ(verify_key_signature(sk.binding_sigs[0], cert->primary.key, &sk.key).result, NativeResult::good);
  }
  // A subkey binding checked against the wrong subkey does not verify.
  EXPECT_EQ(verify_key_signature(cert->subkeys[0].binding_sigs[0], cert->primary.key, &cert->subkeys[1].key).result,
            NativeResult::bad);
}

TEST(OpenPgpKeyTest, EncryptionSubkeyIsParsedButNotSigning) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Enc <enc@example.org>", "ed25519");
  gpg.add_subkey(fpr, "cv25519", "encr");
  auto fprs = gpg.fingerprints(fpr);
  auto cert = one_cert(gpg.export_public(fpr));
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  ASSERT_EQ(cert->subkeys.size(), 1u);
  ASSERT_EQ(fprs.size(), 2u);
  const PublicKey& sub = cert->subkeys[0].key;
  EXPECT_EQ(sub.fingerprint, fprs[1]);
  EXPECT_EQ(sub.algo, kAlgoEcdh);
  EXPECT_EQ(sub.curve, Curve::other);  // Curve25519 for ECDH: not a signing curve
  ASSERT_EQ(cert->subkeys[0].binding_sigs.size(), 1u);
  EXPECT_FALSE(grants_signing(cert->subkeys[0].binding_sigs[0]));
}

TEST(OpenPgpKeyTest, RejectsSecretKeysAndMalformedInput) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Sec <sec@example.org>", "ed25519");
  EXPECT_EQ(err(parse_certificates(gpg.gpg({"--export-secret-keys", fpr}).out)),
            "OpenPGP key: secret key packet at offset 0 (only public certificates are accepted)");

  const std::string data = dearmor(gpg.export_public(fpr))->data;
  EXPECT_EQ(err(parse_certificates("")), "OpenPGP data is empty");
  EXPECT_EQ(err(parse_certificates(armor("PGP SIGNATURE", data))),
            "OpenPGP key: armor label is \"PGP SIGNATURE\", expected \"PGP PUBLIC KEY BLOCK\"");
  auto packets = parse_packets(data);
  ASSERT_TRUE(packets.ok());
  ASSERT_GE(packets->size(), 3u);
  EXPECT_EQ(err(parse_certificates(data.substr((*packets)[1].offset))),
            "OpenPGP key: user ID packet at offset 0 before any primary key");
  EXPECT_EQ(err(parse_certificates(data.substr((*packets)[2].offset))),
            "OpenPGP key: signature packet at offset 0 before any public key");
  EXPECT_EQ(err(parse_certificates(std::string("\xC6\x02\x04\x00", 4))),
            "OpenPGP key: truncated key packet header at offset 0");
  EXPECT_EQ(err(parse_certificates(std::string("\xC6\x01\x05", 3))),
            "OpenPGP key version 5 is not supported at offset 0");
  // Every truncation fails cleanly or yields a shorter certificate.
  for (size_t n = 0; n < data.size(); ++n) {
    auto r = parse_certificates(data.substr(0, n));
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::malformed) << n;
    }
  }
  // Trust and unknown packets are skipped.
  auto skipped = parse_certificates(data + std::string("\xCC\x02\x00\x00\xFC\x01x", 7));
  ASSERT_TRUE(skipped.ok()) << err(skipped);
  EXPECT_EQ(skipped->at(0).primary.key.fingerprint, fpr);
}

}  // namespace
}  // namespace vouch::crypto::pgp
