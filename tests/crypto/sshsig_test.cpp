#include "crypto/sshsig.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "pgp_forge.h"
#include "test_env.h"
#include "util/base64.h"

namespace vouch::crypto {
namespace {

using namespace std::literals;

std::string data_file(const std::string& name) {
  return test::read_file(test::source_dir() + "/tests/data/ssh/" + name);
}

std::string u32(uint32_t v) {
  std::string s;
  for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xff));
  return s;
}
std::string str(std::string_view s) { return u32(static_cast<uint32_t>(s.size())) + std::string(s); }

// Re-serializes a parsed signature, so tests can change one field at a time.
std::string to_blob(const SshSignature& s, uint32_t version = 1) {
  return "SSHSIG" + u32(version) + str(s.key.blob) + str(s.ns) + str(s.reserved) + str(s.hash_alg) +
         str(s.signature_blob);
}
std::string armor(std::string_view blob) {
  std::string b64 = util::base64_encode(blob), out = "-----BEGIN SSH SIGNATURE-----\n";
  for (size_t i = 0; i < b64.size(); i += 70) out += b64.substr(i, 70) + "\n";
  return out + "-----END SSH SIGNATURE-----\n";
}

SshSignature parse_ok(std::string_view armored) {
  auto sig = parse_sshsig_armored(armored);
  EXPECT_TRUE(sig) << sig.error().message;
  return sig ? *sig : SshSignature{};
}

void expect_malformed(std::string_view armored, const std::string& message) {
  auto sig = parse_sshsig_armored(armored);
  ASSERT_FALSE(sig) << "parsed: " << armored;
  EXPECT_EQ(sig.error().kind, ErrorKind::malformed);
  EXPECT_EQ(sig.error().message, message);
}

// ------------------------------------------------------------ real ssh-keygen signatures

struct SignCase {
  std::string keygen_type;
  std::string sig_type;  // inner signature type ssh-keygen uses
};

class SshSigRealKeyTest : public ::testing::TestWithParam<SignCase> {};

TEST_P(SshSigRealKeyTest, GoodSignatureVerifies) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "alice", GetParam().keygen_type);
  const std::string message = "tree 1234\nauthor A <a@example.org> 1 +0000\n\nmessage\n";
  std::string armored = test::ssh_sign(key, "git", message, dir.path());
  ASSERT_TRUE(looks_like_sshsig(armored));
  SshSignature sig = parse_ok(armored);
  EXPECT_EQ(sig.key.fingerprint(), key.fingerprint);
  EXPECT_EQ(sig.ns, "git");
  EXPECT_EQ(sig.hash_alg, "sha512");
  EXPECT_EQ(sig.signature_blob.substr(4, GetParam().sig_type.size()), GetParam().sig_type);

  auto v = verify_sshsig(sig, message, "git");
  EXPECT_EQ(v.status, SigStatus::good) << v.reason;
  EXPECT_EQ(v.reason, "");
  EXPECT_FALSE(v.user_present);

  auto wrong_ns = verify_sshsig(sig, message, "file");
  EXPECT_EQ(wrong_ns.status, SigStatus::bad);
  EXPECT_EQ(wrong_ns.reason, "signature namespace \"git\" does not match expected \"file\"");

  auto altered = verify_sshsig(sig, message + " ", "git");
  EXPECT_EQ(altered.status, SigStatus::bad);
  EXPECT_EQ(altered.reason, "signature does not verify");

  // Another key of the same type swapped in as the embedded key.
  auto other = test::make_ssh_key(dir.path(), "mallory", GetParam().keygen_type);
  SshSignature swapped = sig;
  swapped.key.blob = *util::base64_decode(other.public_line.substr(other.public_line.find(' ') + 1,
                                                                   other.public_line.rfind(' ') -
                                                                       other.public_line.find(' ') - 1));
  auto reparsed = parse_sshsig_armored(armor(to_blob(swapped)));
  ASSERT_TRUE(reparsed) << reparsed.error().message;
  EXPECT_EQ(reparsed->key.fingerprint(), other.fingerprint);
  auto v2 = verify_sshsig(*reparsed, message, "git");
  EXPECT_EQ(v2.status, SigStatus::bad);
  EXPECT_EQ(v2.reason, "signature does not verify");

  // Round trip through our own serializer keeps it good.
  auto again = parse_sshsig_armored(armor(to_blob(sig)));
  ASSERT_TRUE(again);
  EXPECT_EQ(verify_sshsig(*again, message, "git").status, SigStatus::good);
}

INSTANTIATE_TEST_SUITE_P(AllTypes, SshSigRealKeyTest,
                         ::testing::Values(SignCase{"ed25519", "ssh-ed25519"},
                                           SignCase{"ecdsa-256", "ecdsa-sha2-nistp256"},
                                           SignCase{"ecdsa-384", "ecdsa-sha2-nistp384"},
                                           SignCase{"ecdsa-521", "ecdsa-sha2-nistp521"},
                                           SignCase{"rsa-2048", "rsa-sha2-512"},
                                           SignCase{"rsa-3072", "rsa-sha2-512"}),
                         [](const auto& info) {
                           std::string n = info.param.keygen_type;
                           for (char& ch : n) if (ch == '-') ch = '_';
                           return n;
                         });

TEST(SshSigTest, SignatureTypeMustMatchKeyType) {
  test::TempDir dir;
  auto ed = test::make_ssh_key(dir.path(), "ed", "ed25519");
  auto ec = test::make_ssh_key(dir.path(), "ec", "ecdsa-256");
  SshSignature sig = parse_ok(test::ssh_sign(ed, "git", "data", dir.path()));
  SshSignature ec_sig = parse_ok(test::ssh_sign(ec, "git", "data", dir.path()));
  sig.key = ec_sig.key;
  auto v = verify_sshsig(sig, "data", "git");
  EXPECT_EQ(v.status, SigStatus::bad);
  EXPECT_EQ(v.reason, "signature type \"ssh-ed25519\" does not match key type \"ecdsa-sha2-nistp256\"");
}

TEST(SshSigTest, Rsa1024KeyIsWeak) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "old", "rsa-1024");
  SshSignature sig = parse_ok(test::ssh_sign(key, "git", "data", dir.path()));
  EXPECT_EQ(sig.key.bits(), 1024u);
  auto v = verify_sshsig(sig, "data", "git");
  EXPECT_EQ(v.status, SigStatus::weak);
  EXPECT_EQ(v.reason, "RSA key of 1024 bits is below the 2048-bit minimum");
  EXPECT_EQ(verify_sshsig(sig, "other", "git").status, SigStatus::bad);
}

// ssh-keygen never makes SHA-1 SSHSIG signatures, so one is built here: the
// SSHSIG signed data is signed by `openssl dgst -sha1` with the same RSA key.
TEST(SshSigTest, Sha1RsaSignatureIsWeak) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "k", "rsa-2048");
  test::run_ok({"ssh-keygen", "-q", "-p", "-N", "", "-m", "PEM", "-f", key.private_path});
  SshSignature sig = parse_ok(test::ssh_sign(key, "git", "data", dir.path()));
  std::string to_sign = sshsig_signed_data("git", "", "sha512", digest(HashAlgo::sha512, "data"));
  test::write_file(dir / "tbs", to_sign);
  test::run_ok({"openssl", "dgst", "-sha1", "-sign", key.private_path, "-out", dir / "sig.bin", dir / "tbs"});
  sig.signature_blob = str("ssh-rsa") + str(test::read_file(dir / "sig.bin"));
  auto v = verify_sshsig(sig, "data", "git");
  EXPECT_EQ(v.status, SigStatus::weak);
  EXPECT_EQ(v.reason, "SHA-1 RSA signature (\"ssh-rsa\") rejected");
  EXPECT_EQ(verify_sshsig(sig, "datb", "git").status, SigStatus::bad);
}

// ------------------------------------------------------------ OpenSSH's published vectors

struct VectorCase {
  std::string name;
  std::string fingerprint;
  bool sk;
  uint32_t counter = 0;
};

class SshSigVectorTest : public ::testing::TestWithParam<VectorCase> {};

TEST_P(SshSigVectorTest, VerifiesAndRejectsAlteredData) {
  const auto& c = GetParam();
  SshSignature sig = parse_ok(data_file(c.name + ".sig"));
  auto pub = parse_ssh_public_key_line(data_file(c.name + ".pub"));
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(sig.key.blob, pub->blob);
  EXPECT_EQ(sig.key.fingerprint(), c.fingerprint);
  std::string ns = data_file("namespace"), data = data_file("signed-data");

  auto v = verify_sshsig(sig, data, ns);
  EXPECT_EQ(v.status, SigStatus::good) << v.reason;
  if (c.sk) {
    EXPECT_TRUE(v.user_present);
    EXPECT_FALSE(v.user_verified);
    EXPECT_EQ(v.counter, c.counter);
  }
  auto bad = verify_sshsig(sig, data + "!", ns);
  EXPECT_EQ(bad.status, SigStatus::bad);
  EXPECT_EQ(bad.reason, c.name == "ecdsa_sk_webauthn" ? "webauthn clientDataJSON does not match the signed data"
                                                      : "signature does not verify");
  EXPECT_EQ(verify_sshsig(sig, data, "git").status, SigStatus::bad);
}

INSTANTIATE_TEST_SUITE_P(
    OpenSsh, SshSigVectorTest,
    ::testing::Values(VectorCase{"ed25519", "SHA256:ZxTZQ/K7JZpz0mHqWqdmYCUcq3MAtnu9TYA66TCBkxM", false},
                      VectorCase{"ecdsa", "SHA256:YInG0FuXzFrI4twnU4WIDUE7/iFeM9DVtx6zdi61Pvg", false},
                      VectorCase{"rsa", "SHA256:PnEztoQ74skPJhb/bvdbzdOVa2whp8Ws4housCPVrkI", false},
                      VectorCase{"ed25519_sk", "SHA256:pbI9wlyrFSsUbp+GTiIAOqNMvoajbF2tHsPMECyrMYU", true, 0x12345678},
                      VectorCase{"ecdsa_sk", "SHA256:/ALxJUlmDPE0gxeL1nZip4oXm1VG1qmR2xL5iUzZD1A", true, 0x12345678},
                      VectorCase{"ecdsa_sk_webauthn", "SHA256:CnLUlPNaYYz05nves7k8lkzRjnzbbkaxQnfzZrS3kSM",
                                 true, 799}),
    [](const auto& info) { return info.param.name; });

TEST(SshSigTest, FidoApplicationAndWebauthnOriginAreChecked) {
  std::string data = data_file("signed-data");
  SshSignature ed = parse_ok(data_file("ed25519_sk.sig"));
  ed.key.application = "ssh:other";
  auto v = verify_sshsig(ed, data, "unittest");
  EXPECT_EQ(v.status, SigStatus::bad);
  EXPECT_EQ(v.reason, "signature does not verify");

  SshSignature wa = parse_ok(data_file("ecdsa_sk_webauthn.sig"));
  size_t at = wa.signature_blob.find("https://www.mindrot.org");
  ASSERT_NE(at, std::string::npos);
  SshSignature origin = wa;
  origin.signature_blob[at + 22] = 'h';  // the origin no longer matches clientDataJSON
  auto o = verify_sshsig(origin, data, "unittest");
  EXPECT_EQ(o.status, SigStatus::bad);
  EXPECT_EQ(o.reason, "webauthn clientDataJSON does not match the signed data");
  SshSignature quote = wa;
  quote.signature_blob[at + 5] = '"';  // a quote in the origin is refused outright
  EXPECT_EQ(verify_sshsig(quote, data, "unittest").reason,
            "webauthn clientDataJSON does not match the signed data");
}

TEST(SshSigTest, DsaIsWeak) {
  SshSignature sig = parse_ok(data_file("dsa.sig"));
  EXPECT_EQ(sig.key.type, "ssh-dss");
  EXPECT_FALSE(sig.key_supported);
  EXPECT_EQ(sig.key.fingerprint(), "SHA256:+IPzJ++K4bSXTY9XCCq7yE8WMZiqlbRNRhWGccNPz10");
  auto v = verify_sshsig(sig, data_file("signed-data"), "unittest");
  EXPECT_EQ(v.status, SigStatus::weak);
  EXPECT_EQ(v.reason, "DSA key (\"ssh-dss\") is not accepted");
}

TEST(SshSigTest, UnknownHashAlgorithmIsUnsupported) {
  SshSignature sig = parse_ok(data_file("ed25519.sig"));
  sig.hash_alg = "sha1";
  auto v = verify_sshsig(sig, data_file("signed-data"), "unittest");
  EXPECT_EQ(v.status, SigStatus::unsupported);
  EXPECT_EQ(v.reason, "unsupported SSH signature hash algorithm \"sha1\"");
}

// ------------------------------------------------------------ malformed input

TEST(SshSigTest, RejectsBrokenArmor) {
  std::string good = data_file("ed25519.sig");
  ASSERT_TRUE(parse_sshsig_armored(good));
  EXPECT_TRUE(parse_sshsig_armored(good + "\n  \n"));
  expect_malformed("", "SSH signature: missing \"-----BEGIN SSH SIGNATURE-----\" line");
  expect_malformed(" " + good, "SSH signature: missing \"-----BEGIN SSH SIGNATURE-----\" line");
  expect_malformed(good.substr(0, good.size() - 10),
                   "SSH signature: missing \"-----END SSH SIGNATURE-----\" line");
  expect_malformed(good.substr(0, 80), "SSH signature: missing \"-----END SSH SIGNATURE-----\" line");
  expect_malformed(good + "x", "SSH signature: data after the END line");
  expect_malformed("-----BEGIN SSH SIGNATURE-----x\n", "SSH signature: garbage after the BEGIN line");
  std::string garbage = good;
  garbage[40] = '*';
  expect_malformed(garbage, "SSH signature: invalid base64 in the armor");
  std::string blank = good;
  blank.insert(good.find('\n') + 1, "\n");
  expect_malformed(blank, "SSH signature: empty line inside the armor");
  expect_malformed(armor("SSHSIG"), "SSH signature: truncated version");
}

TEST(SshSigTest, RejectsBrokenBlobs) {
  SshSignature sig = parse_ok(data_file("ed25519.sig"));
  std::string blob = to_blob(sig);
  ASSERT_TRUE(parse_sshsig_blob(blob));

  auto expect_blob_error = [](const std::string& b, const std::string& message) {
    auto r = parse_sshsig_blob(b);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::malformed);
    EXPECT_EQ(r.error().message, message);
  };
  expect_blob_error("SSHSIh" + blob.substr(6), "SSH signature: bad magic (expected \"SSHSIG\")");
  expect_blob_error(to_blob(sig, 2), "SSH signature: unsupported version 2 (expected 1)");
  expect_blob_error(blob + "xyz", "SSH signature: 3 trailing bytes after the signature");
  // The namespace length claims more bytes than there are.
  std::string too_long = "SSHSIG" + u32(1) + str(sig.key.blob) + u32(0x7fffffff) + "git";
  expect_blob_error(too_long, "SSH signature: truncated or over-long field");
  SshSignature bad_key = sig;
  bad_key.key.blob = sig.key.blob + "x";
  expect_blob_error(to_blob(bad_key),
                    "SSH signature: SSH public key: trailing bytes after the ssh-ed25519 key");

  // Every prefix of a valid blob is rejected, none crashes.
  for (size_t n = 0; n < blob.size(); ++n) {
    auto r = parse_sshsig_blob(blob.substr(0, n));
    EXPECT_FALSE(r) << n;
  }
}

TEST(SshSigTest, MalformedSignatureFieldsAreMalformedVerdicts) {
  for (const char* name : {"ed25519", "ecdsa", "rsa", "ed25519_sk", "ecdsa_sk", "ecdsa_sk_webauthn"}) {
    SshSignature sig = parse_ok(data_file(std::string(name) + ".sig"));
    std::string full = sig.signature_blob;
    for (size_t n = 0; n < full.size(); ++n) {
      sig.signature_blob = full.substr(0, n);
      auto v = verify_sshsig(sig, data_file("signed-data"), "unittest");
      EXPECT_NE(v.status, SigStatus::good) << name << " truncated to " << n;
    }
    sig.signature_blob = full + "x";
    auto v = verify_sshsig(sig, data_file("signed-data"), "unittest");
    EXPECT_EQ(v.status, SigStatus::malformed) << name;
  }
}

TEST(SshSigTest, FidoFlagsAreCoveredBySignature) {
  SshSignature sig = parse_ok(data_file("ed25519_sk.sig"));
  std::string data = data_file("signed-data");
  // Flags byte follows string type | string sig(64).
  size_t flags_at = 4 + std::string("sk-ssh-ed25519@openssh.com").size() + 4 + 64;
  ASSERT_EQ(sig.signature_blob[flags_at], '\x01');
  sig.signature_blob[flags_at] = '\x05';  // claim user verification
  auto v = verify_sshsig(sig, data, "unittest");
  EXPECT_EQ(v.status, SigStatus::bad);
  EXPECT_TRUE(v.user_verified);  // reported as claimed, but the verdict is bad
}

// ------------------------------------------------------------ found by the differential harness

// ssh-keygen -Y verify checks every SSHSIG over an empty reserved field,
// whatever the blob carries (tests/differential, docs/differential.md).
TEST(SshSigReservedTest, SignedDataCarriesAnEmptyReservedField) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "alice", "ed25519");
  SshSignature made_over_empty = parse_ok(test::ssh_sign(key, "file", "data\n", dir.path()));
  made_over_empty.reserved = "x";
  SshSignature reparsed = parse_ok(armor(to_blob(made_over_empty)));
  EXPECT_EQ(reparsed.reserved, "x");
  auto ok = verify_sshsig(reparsed, "data\n", "file");
  EXPECT_EQ(ok.status, SigStatus::good) << ok.reason;

  test::forge::EdKey ed(0);
  const std::string key_blob = str("ssh-ed25519") + str(ed.pk);
  const std::string to_sign = sshsig_signed_data("file", "x", "sha512", digest(HashAlgo::sha512, "data\n"));
  unsigned char raw[crypto_sign_BYTES];
  crypto_sign_detached(raw, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(),
                       reinterpret_cast<const unsigned char*>(ed.sk.data()));
  const std::string blob = "SSHSIG" + u32(1) + str(key_blob) + str("file") + str("x") + str("sha512") +
                           str(str("ssh-ed25519") + str(std::string(reinterpret_cast<const char*>(raw), sizeof raw)));
  auto made_over_x = verify_sshsig(parse_ok(armor(blob)), "data\n", "file");
  EXPECT_EQ(made_over_x.status, SigStatus::bad);
  EXPECT_EQ(made_over_x.reason, "signature does not verify");
}

// ssh-keygen refuses a BEGIN line ending in CR LF ("missing header").
TEST(SshSigArmorTest, CarriageReturnOnTheBeginLineIsRefused) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "alice", "ed25519");
  const std::string armored = test::ssh_sign(key, "file", "data\n", dir.path());
  std::string crlf;
  for (char c : armored) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  expect_malformed(crlf, "SSH signature: garbage after the BEGIN line");
  // CR elsewhere (base64 lines, END line) is whitespace to ssh-keygen too.
  std::string body_crlf = armored;
  body_crlf.replace(body_crlf.find("\n-----END"), 1, "\r\n");
  EXPECT_TRUE(parse_sshsig_armored(body_crlf));
}

}  // namespace
}  // namespace vouch::crypto
