#include "crypto/openpgp_verify.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <sstream>

#include "crypto/armor.h"
#include "crypto/digest.h"
#include "crypto/openpgp_key.h"
#include "crypto/openpgp_signature.h"
#include "test_env.h"

namespace vouch::crypto::pgp {
namespace {

using test::GpgHome;
using test::TempDir;

const std::string kPayload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\n\nmessage\n";

/// Generates a key and returns its primary fingerprint.
std::string gen_key(GpgHome& gpg, const std::string& uid, const std::string& algo, const std::string& usage = "sign") {
  gpg.gen_key(uid, algo, usage);
  auto fprs = gpg.fingerprints("=" + uid);
  EXPECT_FALSE(fprs.empty()) << uid;
  return fprs.empty() ? "" : fprs.front();
}

/// Adds a subkey and returns its fingerprint.
std::string add_subkey(GpgHome& gpg, const std::string& primary, const std::string& algo, const std::string& usage) {
  gpg.add_subkey(primary, algo, usage);
  auto fprs = gpg.fingerprints(primary);
  return fprs.empty() ? "" : fprs.back();
}

/// The key of `cert` (primary or subkey) whose fingerprint issued `sig`.
const PublicKey* issuer_key(const Certificate& cert, const Signature& sig) {
  if (cert.primary.key.fingerprint == sig.issuer_fingerprint) return &cert.primary.key;
  for (const auto& sk : cert.subkeys)
    if (sk.key.fingerprint == sig.issuer_fingerprint) return &sk.key;
  return nullptr;
}

/// A gpg key, its parsed certificate, and signing through gpg.
struct GpgSigner {
  TempDir dir;
  GpgHome gpg{dir.path()};
  std::string fpr;
  Certificate cert;

  explicit GpgSigner(const std::string& algo, const std::string& usage = "sign") {
    fpr = gen_key(gpg, "Signer <signer@example.org>", algo, usage);
    load();
  }
  void load() {
    auto certs = parse_certificates(gpg.export_public(fpr));
    EXPECT_TRUE(certs.ok()) << certs.error().message;
    if (certs.ok()) cert = certs->at(0);
  }
  std::string sign(const std::string& payload, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--armor", "--detach-sign", "--local-user", fpr};
    args.insert(args.begin(), extra.begin(), extra.end());
    auto r = gpg.gpg(args, payload);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  NativeVerification verify(const std::string& armored, const std::string& payload) {
    auto sig = parse_detached_signature(armored);
    if (!sig) return {NativeResult::malformed, sig.error().message};
    const PublicKey* key = issuer_key(cert, *sig);
    if (!key) return {NativeResult::bad, "no key " + sig->issuer_fingerprint};
    return verify_document(*sig, *key, payload);
  }
};

#define EXPECT_VERDICT(v, r, why)         \
  do {                                    \
    auto v_ = (v);                        \
    EXPECT_EQ(v_.result, r) << v_.reason; \
    EXPECT_EQ(v_.reason, why);            \
  } while (0)

class AlgorithmTest : public ::testing::TestWithParam<const char*> {};

TEST_P(AlgorithmTest, GoodSignatureVerifiesAndAlteredPayloadDoesNot) {
  GpgSigner s(GetParam());
  const std::string sig = s.sign(kPayload);
  EXPECT_VERDICT(s.verify(sig, kPayload), NativeResult::good, "");
  auto v = s.verify(sig, kPayload + "x");
  EXPECT_EQ(v.result, NativeResult::bad) << v.reason;
  EXPECT_TRUE(v.reason.starts_with("digest prefix ")) << v.reason;
}

INSTANTIATE_TEST_SUITE_P(Gpg, AlgorithmTest,
                         ::testing::Values("ed25519", "rsa3072", "rsa2048", "nistp256", "nistp384", "nistp521"),
                         [](const auto& info) { return std::string(info.param); });

/// Flips a bit of the signature value but keeps the digest prefix right, so
/// the algorithm itself must reject it.
TEST(OpenPgpVerifyTest, TamperedSignatureValueIsBad) {
  for (const char* algo : {"ed25519", "rsa2048", "nistp256"}) {
    GpgSigner s(algo);
    auto sig = parse_detached_signature(s.sign(kPayload));
    ASSERT_TRUE(sig.ok());
    sig->mpis.back().back() ^= 0x01;
    auto v = verify_document(*sig, s.cert.primary.key, kPayload);
    EXPECT_EQ(v.result, NativeResult::bad) << algo;
    const std::string name = std::string(algo) == "ed25519" ? "Ed25519" : algo[0] == 'r' ? "RSA" : "ECDSA";
    EXPECT_EQ(v.reason, name + " signature does not verify");
  }
}

TEST(OpenPgpVerifyTest, WrongDigestPrefixIsBad) {
  GpgSigner s("ed25519");
  auto sig = parse_detached_signature(s.sign(kPayload));
  ASSERT_TRUE(sig.ok());
  const uint16_t real = sig->digest_prefix;
  sig->digest_prefix ^= 0xFFFF;
  char want[80];
  std::snprintf(want, sizeof want, "digest prefix %04X does not match the computed %04X",
                static_cast<unsigned>(sig->digest_prefix), static_cast<unsigned>(real));
  EXPECT_VERDICT(verify_document(*sig, s.cert.primary.key, kPayload), NativeResult::bad, want);
}

TEST(OpenPgpVerifyTest, WrongKeyIsBad) {
  GpgSigner a("ed25519");
  GpgSigner b("ed25519");
  auto sig = parse_detached_signature(a.sign(kPayload));
  ASSERT_TRUE(sig.ok());
  EXPECT_VERDICT(verify_document(*sig, b.cert.primary.key, kPayload), NativeResult::bad,
                 "issuer fingerprint " + a.fpr + " is not key " + b.fpr);
  GpgSigner r("rsa2048");
  EXPECT_VERDICT(verify_document(*sig, r.cert.primary.key, kPayload), NativeResult::bad,
                 "signature algorithm 22 does not match key algorithm 1");
}

TEST(OpenPgpVerifyTest, TextSignatureTypeIsBad) {
  GpgSigner s("ed25519");
  const std::string sig = s.sign(kPayload, {"--textmode"});
  EXPECT_VERDICT(s.verify(sig, kPayload), NativeResult::bad,
                 "signature type 0x01 is not a binary document signature (0x00)");
}

TEST(OpenPgpVerifyTest, Sha1AndMd5AreWeakButRsa2048IsNot) {
  GpgSigner s("ed25519");
  EXPECT_VERDICT(s.verify(s.sign(kPayload, {"--digest-algo", "SHA1"}), kPayload), NativeResult::weak,
                 "SHA1 digest is not accepted");
  EXPECT_VERDICT(s.verify(s.sign(kPayload, {"--allow-weak-digest-algos", "--digest-algo", "MD5"}), kPayload),
                 NativeResult::weak, "MD5 digest is not accepted");
  // The math was checked: only the digest is weak, so a SHA-1 cut-off may accept it.
  EXPECT_TRUE(s.verify(s.sign(kPayload, {"--digest-algo", "SHA1"}), kPayload).weak_digest_only);
  // A weak digest never hides a bad signature.
  EXPECT_EQ(s.verify(s.sign(kPayload, {"--digest-algo", "SHA1"}), kPayload + "x").result, NativeResult::bad);
}

TEST(OpenPgpVerifyTest, SmallRsaKeyIsWeak) {
  GpgSigner s("rsa1024");
  EXPECT_VERDICT(s.verify(s.sign(kPayload), kPayload), NativeResult::weak,
                 "RSA key of 1024 bits is below the 2048-bit minimum");
  // A small key stays weak whatever the digest rules say.
  EXPECT_FALSE(s.verify(s.sign(kPayload, {"--digest-algo", "SHA1"}), kPayload).weak_digest_only);
  EXPECT_EQ(key_weakness(s.cert.primary.key), "RSA key of 1024 bits is below the 2048-bit minimum");
}

TEST(OpenPgpVerifyTest, DsaIsUnsupportedNativelyAndWeakAsAKey) {
  GpgSigner s("dsa2048");
  EXPECT_VERDICT(s.verify(s.sign(kPayload), kPayload), NativeResult::unsupported,
                 "public key algorithm 17 is not verified natively");
  EXPECT_EQ(s.cert.primary.key.bits, 2048u);
  EXPECT_EQ(key_weakness(s.cert.primary.key), "DSA key (2048 bits) is not accepted");
}

TEST(OpenPgpVerifyTest, SigningSubkeyUnderCertificationOnlyPrimary) {
  GpgSigner s("ed25519", "cert");
  const std::string sub = add_subkey(s.gpg, s.fpr, "rsa2048", "sign");
  s.load();
  ASSERT_EQ(s.cert.subkeys.size(), 1u);
  EXPECT_EQ(s.cert.subkeys[0].key.fingerprint, sub);
  ASSERT_EQ(s.cert.subkeys[0].binding_sigs.size(), 1u);
  EXPECT_TRUE(grants_signing(s.cert.subkeys[0].binding_sigs[0]));
  EXPECT_VERDICT(verify_key_signature(s.cert.subkeys[0].binding_sigs[0], s.cert.primary.key,
                                      &s.cert.subkeys[0].key),
                 NativeResult::good, "");

  const std::string armored = s.sign(kPayload);
  auto sig = parse_detached_signature(armored);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->issuer_fingerprint, sub);
  EXPECT_EQ(sig->pubkey_algo, kAlgoRsa);
  EXPECT_VERDICT(verify_document(*sig, s.cert.subkeys[0].key, kPayload), NativeResult::good, "");
  EXPECT_EQ(verify_document(*sig, s.cert.primary.key, kPayload).result, NativeResult::bad);
}

/// Git stores gpg's armored detached signature in the gpgsig header; the
/// signed payload is the commit object without that header.
TEST(OpenPgpVerifyTest, GitCommitSignatureVerifiesOverThePayload) {
  TempDir dir;
  GpgHome gpg(dir.path());
  const std::string fpr = gen_key(gpg, "Git Signer <git@example.org>", "ed25519");
  auto certs = parse_certificates(gpg.export_public(fpr));
  ASSERT_TRUE(certs.ok()) << certs.error().message;
  test::TestRepo repo(dir / "repo", &gpg);
  repo.commit({{"a.txt", "a\n"}}, "signed commit", test::TestRepo::Signer::openpgp(fpr));
  const std::string object = repo.git_raw({"cat-file", "commit", "HEAD"}).out;

  std::string payload, signature;
  bool in_sig = false;
  size_t pos = 0;
  while (pos < object.size()) {
    size_t nl = object.find('\n', pos);
    std::string line = object.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos + 1);
    pos += line.size();
    if (line.starts_with("gpgsig ")) {
      signature += line.substr(7);
      in_sig = true;
    } else if (in_sig && line.starts_with(" ")) {
      signature += line.substr(1);
    } else {
      in_sig = false;
      payload += line;
    }
  }
  ASSERT_TRUE(signature.starts_with("-----BEGIN PGP SIGNATURE-----")) << object;
  auto sig = parse_detached_signature(signature);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_VERDICT(verify_document(*sig, certs->at(0).primary.key, payload), NativeResult::good, "");
  EXPECT_EQ(verify_document(*sig, certs->at(0).primary.key, object).result, NativeResult::bad);
}

// ---- signatures built in the test with libsodium: Ed25519 (algorithm 27),
// which gpg 2.2 cannot make, and subpacket cases gpg does not produce.

struct SodiumKey {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  PublicKey key;
  SodiumKey() {
    EXPECT_GE(sodium_init(), 0);
    crypto_sign_keypair(pk, sk);
    std::string body = {4, 0x60, 0, 0, 0, 27};
    body.append(reinterpret_cast<const char*>(pk), sizeof pk);
    auto k = parse_public_key_packet(body);
    EXPECT_TRUE(k.ok()) << k.error().message;
    key = *k;
  }
  std::string fpr_bytes() const {
    std::string out;
    for (size_t i = 0; i < key.fingerprint.size(); i += 2)
      out += static_cast<char>(std::stoi(key.fingerprint.substr(i, 2), nullptr, 16));
    return out;
  }
  /// A binary v4 signature packet over `payload`.
  std::string sign(const std::string& payload, uint8_t hash_id = 10, const std::string& extra_subpackets = "",
                   uint8_t type = 0) const {
    std::string sub = std::string{5, 2, 0x61, 0, 0, 0} + std::string{22, 33, 4} + fpr_bytes() + extra_subpackets;
    std::string hashed = std::string{4, static_cast<char>(type), 27, static_cast<char>(hash_id), 0,
                                     static_cast<char>(sub.size())} + sub;
    HashAlgo h = hash_id == 1 ? HashAlgo::md5 : hash_id == 2 ? HashAlgo::sha1 : HashAlgo::sha512;
    Hasher hasher(h);
    hasher.update(payload);
    hasher.update(hashed);
    hasher.update(std::string{4, static_cast<char>(0xFF), 0, 0, 0, static_cast<char>(hashed.size())});
    const std::string d = hasher.finish();
    unsigned char s[crypto_sign_BYTES];
    crypto_sign_detached(s, nullptr, reinterpret_cast<const unsigned char*>(d.data()), d.size(), sk);
    std::string body = hashed + std::string{0, 0} + d.substr(0, 2) + std::string(reinterpret_cast<char*>(s), sizeof s);
    return std::string{static_cast<char>(0xC2), static_cast<char>(body.size())} + body;
  }
};

TEST(OpenPgpVerifyTest, Ed25519Algorithm27) {
  SodiumKey k;
  EXPECT_EQ(k.key.algo, kAlgoEd25519);
  EXPECT_EQ(k.key.point.size(), 32u);
  auto sig = parse_detached_signature(armor("PGP SIGNATURE", k.sign(kPayload)));
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_EQ(sig->created, 0x61000000);
  EXPECT_EQ(sig->issuer_fingerprint, k.key.fingerprint);
  EXPECT_VERDICT(verify_document(*sig, k.key, kPayload), NativeResult::good, "");
  auto altered = verify_document(*sig, k.key, kPayload + " ");
  EXPECT_EQ(altered.result, NativeResult::bad);
  EXPECT_TRUE(altered.reason.starts_with("digest prefix ")) << altered.reason;
  Signature forged = *sig;
  forged.mpis[0][10] ^= 0x01;
  EXPECT_VERDICT(verify_document(forged, k.key, kPayload), NativeResult::bad, "Ed25519 signature does not verify");

  auto md5 = parse_detached_signature(k.sign(kPayload, 1));
  ASSERT_TRUE(md5.ok());
  EXPECT_VERDICT(verify_document(*md5, k.key, kPayload), NativeResult::weak, "MD5 digest is not accepted");
}

TEST(OpenPgpVerifyTest, UnknownCriticalSubpacketIsBad) {
  SodiumKey k;
  // Critical notation data (20 | 0x80): vouch does not interpret notations.
  const std::string notation = std::string{13, static_cast<char>(0x94), static_cast<char>(0x80), 0, 0, 0, 0, 2, 0, 2} +
                               "ab" + "cd";
  auto sig = parse_detached_signature(k.sign(kPayload, 10, notation));
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_TRUE(sig->unknown_critical);
  EXPECT_VERDICT(verify_document(*sig, k.key, kPayload), NativeResult::bad,
                 "unknown critical subpacket 20 (notation data)");
  // The same subpacket without the critical bit is fine.
  const std::string plain = std::string{13, 20, static_cast<char>(0x80), 0, 0, 0, 0, 2, 0, 2} + "abcd";
  auto ok = parse_detached_signature(k.sign(kPayload, 10, plain));
  ASSERT_TRUE(ok.ok());
  EXPECT_VERDICT(verify_document(*ok, k.key, kPayload), NativeResult::good, "");
}

TEST(OpenPgpVerifyTest, MissingCreationTimeIsMalformed) {
  SodiumKey k;
  auto sig = parse_detached_signature(k.sign(kPayload));
  ASSERT_TRUE(sig.ok());
  sig->created.reset();
  EXPECT_VERDICT(verify_document(*sig, k.key, kPayload), NativeResult::malformed,
                 "signature has no hashed creation time subpacket");
}

TEST(OpenPgpVerifyTest, UnsupportedVersionsAndHashes) {
  SodiumKey k;
  auto sig = parse_detached_signature(k.sign(kPayload));
  ASSERT_TRUE(sig.ok());
  Signature v = *sig;
  v.hash_algo = 12;  // SHA3-256
  EXPECT_VERDICT(verify_document(v, k.key, kPayload), NativeResult::unsupported,
                 "digest algorithm 12 is not verified natively");
  PublicKey key6 = k.key;
  key6.version = 6;
  EXPECT_VERDICT(verify_document(*sig, key6, kPayload), NativeResult::unsupported,
                 "key version 6 is not verified natively");
}

}  // namespace
}  // namespace vouch::crypto::pgp
