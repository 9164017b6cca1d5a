#include "crypto/ssh_key.h"

#include <gtest/gtest.h>

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

std::string blob_of(const std::string& line) {
  auto sp1 = line.find(' ');
  auto sp2 = line.find(' ', sp1 + 1);
  return *util::base64_decode(line.substr(sp1 + 1, sp2 - sp1 - 1));
}

struct KeyCase {
  std::string keygen_type;
  std::string ssh_type;
  unsigned bits;
  SshKeyAlgo algo;
};

class SshKeyRealKeyTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(SshKeyRealKeyTest, ParsesSshKeygenKeysWithItsFingerprint) {
  test::TempDir dir;
  const KeyCase& c = GetParam();
  auto made = test::make_ssh_key(dir.path(), "alice", c.keygen_type);
  auto key = parse_ssh_public_key_line(made.public_line);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->type, c.ssh_type);
  EXPECT_EQ(key->algo, c.algo);
  EXPECT_EQ(key->bits(), c.bits);
  EXPECT_EQ(key->comment, "alice@example.org");
  EXPECT_EQ(key->fingerprint(), made.fingerprint);
  EXPECT_EQ(to_openssh_line(*key), made.public_line);
  EXPECT_FALSE(key->is_sk());

  auto from_blob = parse_ssh_public_key_blob(key->blob);
  ASSERT_TRUE(from_blob);
  EXPECT_EQ(from_blob->fingerprint(), made.fingerprint);
  EXPECT_EQ(from_blob->comment, "");
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, SshKeyRealKeyTest,
    ::testing::Values(KeyCase{"ed25519", "ssh-ed25519", 256, SshKeyAlgo::ed25519},
                      KeyCase{"ecdsa-256", "ecdsa-sha2-nistp256", 256, SshKeyAlgo::ecdsa},
                      KeyCase{"ecdsa-384", "ecdsa-sha2-nistp384", 384, SshKeyAlgo::ecdsa},
                      KeyCase{"ecdsa-521", "ecdsa-sha2-nistp521", 521, SshKeyAlgo::ecdsa},
                      KeyCase{"rsa-2048", "ssh-rsa", 2048, SshKeyAlgo::rsa},
                      KeyCase{"rsa-3072", "ssh-rsa", 3072, SshKeyAlgo::rsa}),
    [](const auto& info) {
      std::string n = info.param.keygen_type;
      for (char& ch : n) if (ch == '-') ch = '_';
      return n;
    });

TEST(SshKeyTest, ParsesOpenSshFidoVectors) {
  auto ed = parse_ssh_public_key_line(data_file("ed25519_sk.pub"));
  ASSERT_TRUE(ed) << ed.error().message;
  EXPECT_EQ(ed->type, "sk-ssh-ed25519@openssh.com");
  EXPECT_EQ(ed->algo, SshKeyAlgo::sk_ed25519);
  EXPECT_EQ(ed->application, "ssh:");
  EXPECT_EQ(ed->comment, "ED25519-SK test key");
  EXPECT_EQ(ed->fingerprint(), "SHA256:pbI9wlyrFSsUbp+GTiIAOqNMvoajbF2tHsPMECyrMYU");
  EXPECT_TRUE(ed->is_sk());

  auto ec = parse_ssh_public_key_line(data_file("ecdsa_sk_webauthn.pub"));
  ASSERT_TRUE(ec) << ec.error().message;
  EXPECT_EQ(ec->type, "sk-ecdsa-sha2-nistp256@openssh.com");
  EXPECT_EQ(ec->application, "mindrot.org");
  EXPECT_EQ(ec->curve, "nistp256");
  EXPECT_EQ(ec->bits(), 256u);
  EXPECT_EQ(ec->comment, "");
  EXPECT_EQ(ec->fingerprint(), "SHA256:CnLUlPNaYYz05nves7k8lkzRjnzbbkaxQnfzZrS3kSM");
}

TEST(SshKeyTest, LineTypeMustMatchBlobType) {
  std::string ed = data_file("ed25519.pub");
  std::string rsa_typed = "ssh-rsa" + ed.substr(ed.find(' '));
  auto key = parse_ssh_public_key_line(rsa_typed);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().kind, ErrorKind::malformed);
  EXPECT_EQ(key.error().message,
            "SSH public key: key type \"ssh-rsa\" does not match the blob's type \"ssh-ed25519\"");
}

TEST(SshKeyTest, RejectsMalformedLines) {
  auto expect_error = [](std::string_view line, const std::string& message) {
    auto key = parse_ssh_public_key_line(line);
    ASSERT_FALSE(key) << line;
    EXPECT_EQ(key.error().kind, ErrorKind::malformed) << line;
    EXPECT_EQ(key.error().message, message) << line;
  };
  expect_error("", "SSH public key: expected \"type base64 [comment]\"");
  expect_error("ssh-ed25519", "SSH public key: expected \"type base64 [comment]\"");
  expect_error("ssh-ed25519 AAAA!!!!", "SSH public key: invalid base64 in the key");
  expect_error("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "SSH public key: truncated Ed25519 key");
  expect_error("ssh-ed25519 " + util::base64_encode(str("ssh-ed25519") + str("short")),
               "SSH public key: Ed25519 public key is not 32 bytes");
}

TEST(SshKeyTest, RejectsMalformedBlobs) {
  auto expect_error = [](const std::string& blob, const std::string& message) {
    auto key = parse_ssh_public_key_blob(blob);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().kind, ErrorKind::malformed);
    EXPECT_EQ(key.error().message, message);
  };
  std::string ed = blob_of(data_file("ed25519.pub"));
  expect_error("", "SSH public key: truncated key type");
  expect_error(u32(1000) + "ssh-ed25519", "SSH public key: truncated key type");
  expect_error(ed + "x", "SSH public key: trailing bytes after the ssh-ed25519 key");
  expect_error(ed.substr(0, ed.size() - 1), "SSH public key: truncated Ed25519 key");
  std::string point(65, '\x04');
  expect_error(str("ecdsa-sha2-nistp384") + str("nistp256") + str(point),
               "SSH public key: curve \"nistp256\" does not match key type \"ecdsa-sha2-nistp384\"");
  expect_error(str("ecdsa-sha2-nistp256") + str("nistp256") + str(std::string(33, '\x02')),
               "SSH public key: ECDSA point is not an uncompressed nistp256 point");
  expect_error(str("sk-ssh-ed25519@openssh.com") + str(std::string(32, 'k')),
               "SSH public key: truncated FIDO application");
  expect_error(str("ssh-rsa") + str("\x01\x00\x01"sv) + str("\x80\x01"),
               "SSH public key: truncated or negative RSA parameter");
  expect_error(str("ssh-rsa") + str("\x01\x00\x01"sv) + str(""), "SSH public key: RSA parameter is zero");
}

TEST(SshKeyTest, RsaBitsIgnoreTheSignPaddingByte) {
  std::string n = std::string(1, '\0') + std::string(1, '\x80') + std::string(255, '\x01');
  auto key = parse_ssh_public_key_blob(str("ssh-rsa") + str("\x01\x00\x01"sv) + str(n));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->bits(), 2048u);
  EXPECT_EQ(key->rsa_n.size(), 256u);
  EXPECT_EQ(key->rsa_e, "\x01\x00\x01"sv);
}

TEST(SshKeyTest, OtherKeyTypesAreUnsupported) {
  std::string dsa = str("ssh-dss") + str("\x01") + str("\x02") + str("\x03") + str("\x04");
  auto key = parse_ssh_public_key_blob(dsa);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(key.error().message, "unsupported SSH key type \"ssh-dss\"");

  auto line = parse_ssh_public_key_line("ssh-dss " + util::base64_encode(dsa) + " old key");
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().kind, ErrorKind::unsupported);

  auto cert = parse_ssh_public_key_blob(str("ssh-ed25519-cert-v01@openssh.com") + str("nonce"));
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(cert.error().message, "unsupported SSH key type \"ssh-ed25519-cert-v01@openssh.com\"");
  EXPECT_EQ(ssh_blob_type(dsa), "ssh-dss");
  EXPECT_EQ(ssh_blob_type("xx"), "");
}

TEST(SshKeyTest, EveryTruncationOfARealBlobFailsCleanly) {
  for (const char* name : {"ed25519.pub", "ecdsa.pub", "rsa.pub", "ed25519_sk.pub", "ecdsa_sk.pub"}) {
    std::string blob = blob_of(data_file(name));
    for (size_t n = 0; n < blob.size(); ++n) {
      auto key = parse_ssh_public_key_blob(blob.substr(0, n));
      EXPECT_FALSE(key) << name << " truncated to " << n;
      if (!key) {
        EXPECT_EQ(key.error().kind, ErrorKind::malformed);
      }
    }
  }
}

}  // namespace
}  // namespace vouch::crypto
