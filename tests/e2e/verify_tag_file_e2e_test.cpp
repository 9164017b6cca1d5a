// End to end: tags signed both ways, unsigned and lightweight tags, and
// detached file signatures both ways, through the real vouch binary.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

class VerifyTagFileTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  std::string keys = dir / "keyring";
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  std::string bob = gpg.gen_key("Bob <bob@example.org>");

  void SetUp() override {
    write_file(keys + "/alice.pub", alice.public_line + "\n");
    write_file(keys + "/bob.asc", gpg.export_public(bob));
    repo.commit({{"a.txt", "1"}}, "release", Signer::ssh(alice));
  }
  nlohmann::json verify_tag(const std::string& tag, int expected_exit) {
    return vouch_json({"-C", repo.path(), "verify-tag", tag, "--keyring", keys}, expected_exit);
  }
};

TEST_F(VerifyTagFileTest, TagsSignedBothWaysPass) {
  repo.tag("v1.0", "HEAD", Signer::ssh(alice));
  repo.tag("v1.1", "HEAD", Signer::openpgp(bob));
  auto j = verify_tag("v1.0", 0);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["ref"], "refs/tags/v1.0");
  EXPECT_EQ(j["signature"]["key"], "ssh:" + alice.fingerprint);
  EXPECT_EQ(j["target"], repo.git({"rev-parse", "HEAD"}));
  j = verify_tag("v1.1", 0);
  EXPECT_EQ(j["signature"]["key"], "openpgp:" + bob);
  j = vouch_json({"-C", repo.path(), "verify-tag", "v1.0", "v1.1", "--keyring", keys}, 0);
  EXPECT_EQ(j["tags"].size(), 2u);
}

TEST_F(VerifyTagFileTest, UnsignedAndLightweightTagsFail) {
  repo.tag("v2.0", "HEAD", Signer::none());
  repo.tag("v2.1", "HEAD", Signer::none(), /*annotated=*/false);
  auto j = verify_tag("v2.0", 1);
  EXPECT_EQ(j["signature"]["status"], "missing");
  EXPECT_EQ(j["errors"][0], "tag v2.0: signature missing: tag is not signed");
  j = verify_tag("v2.1", 1);
  EXPECT_EQ(j["annotated"], false);
  EXPECT_EQ(j["errors"][0], "tag v2.1: signature missing: lightweight tag: there is no tag object to sign");
  RunResult r = vouch({"-C", repo.path(), "verify-tag", "v9", "--keyring", keys});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: no tag 'v9'\n");
}

TEST_F(VerifyTagFileTest, TagByStrangerFails) {
  SshKey mallory = make_ssh_key(dir.path(), "mallory", "ed25519");
  repo.tag("v3.0", "HEAD", Signer::ssh(mallory));
  auto j = verify_tag("v3.0", 1);
  EXPECT_EQ(j["signature"]["status"], "unknown-key");
}

TEST_F(VerifyTagFileTest, DetachedFileSignaturesBothWays) {
  std::string tarball = dir / "rel.tar.gz";
  write_file(tarball, std::string("release bytes\0\x01\x02", 16));
  // SSH, namespace "file" (the default)
  run_ok({"ssh-keygen", "-q", "-Y", "sign", "-n", "file", "-f", alice.private_path, tarball});
  auto j = vouch_json({"verify-file", tarball, "--signature", tarball + ".sig", "--keyring", keys}, 0);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["signature"]["key"], "ssh:" + alice.fingerprint);
  EXPECT_EQ(j["namespace"], "file");
  // ... a different namespace is refused
  j = vouch_json({"verify-file", tarball, "--signature", tarball + ".sig", "--namespace", "git", "--keyring", keys}, 1);
  EXPECT_EQ(j["signature"]["status"], "bad");
  // OpenPGP armored and binary
  run_ok({"gpg", "--batch", "--armor", "--local-user", bob, "--output", tarball + ".asc", "--detach-sign", tarball},
         {.env = gpg.env()});
  run_ok({"gpg", "--batch", "--local-user", bob, "--output", tarball + ".gpgsig", "--detach-sign", tarball},
         {.env = gpg.env()});
  j = vouch_json({"verify-file", tarball, "--signature", tarball + ".asc", "--keyring", keys}, 0);
  EXPECT_EQ(j["signature"]["key"], "openpgp:" + bob);
  j = vouch_json({"verify-file", tarball, "--signature", tarball + ".gpgsig", "--keyring", keys}, 0);
  EXPECT_EQ(j["signature"]["key"], "openpgp:" + bob);
  // An altered file fails both ways.
  write_file(tarball, "release bytes, plus a backdoor");
  j = vouch_json({"verify-file", tarball, "--signature", tarball + ".sig", "--keyring", keys}, 1);
  EXPECT_EQ(j["signature"]["status"], "bad");
  j = vouch_json({"verify-file", tarball, "--signature", tarball + ".asc", "--keyring", keys}, 1);
  EXPECT_EQ(j["signature"]["status"], "bad");
  EXPECT_EQ(j["errors"][0].get<std::string>().rfind(tarball + ": signature bad", 0), 0u);
}

TEST_F(VerifyTagFileTest, MissingSignatureFileIsBadInput) {
  RunResult r = vouch({"verify-file", dir / "nothing", "--signature", dir / "nothing.sig", "--keyring", keys});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read " + (dir / "nothing") + ": no such file\n");
}

}  // namespace
}  // namespace vouch::test
