// End to end: the real vouch binary on real repositories with real ssh-keygen
// and gpg signatures. Threats 1-6 and 20 of docs/threat-model.md, key types, subkeys.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

class VerifyCommitsTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  std::string keys = dir / "keyring";

  void SetUp() override { run_ok({"mkdir", "-p", keys}); }

  void trust_ssh(const SshKey& k, const std::string& name) { write_file(keys + "/" + name + ".pub", k.public_line + "\n"); }
  void trust_openpgp(const std::string& fpr, const std::string& name) {
    write_file(keys + "/" + name + ".asc", gpg.export_public(fpr));
  }
  nlohmann::json verify(const std::vector<std::string>& revs, int expected_exit) {
    std::vector<std::string> args = {"-C", repo.path(), "verify", "--keyring", keys};
    args.insert(args.end(), revs.begin(), revs.end());
    return vouch_json(args, expected_exit);
  }
  /// Commits (empty) signed by OpenPGP key `fpr` with gpg's clock set to `faked_time`.
  void sign_commit_at(const std::string& faked_time, const std::string& fpr, const std::string& message) {
    std::string program = faked_gpg(dir.path(), "gpg-" + faked_time.substr(0, 8), faked_time);
    repo.git({"-c", "gpg.program=" + program, "-c", "user.signingkey=" + fpr, "commit", "-q", "--allow-empty", "-S",
              "-m", message});
  }
  /// Writes a raw commit object and returns its oid.
  std::string write_commit(const std::string& raw) {
    return repo.git({"hash-object", "-t", "commit", "-w", "--stdin"}, raw);
  }
};

TEST_F(VerifyCommitsTest, SshAndOpenPgpSignedHistoryPasses) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  std::string bob = gpg.gen_key("Bob <bob@example.org>");
  trust_ssh(alice, "alice");
  trust_openpgp(bob, "bob");
  std::string c1 = repo.commit({{"a.txt", "1"}}, "first", Signer::ssh(alice));
  std::string c2 = repo.commit({{"b.txt", "2"}}, "second", Signer::openpgp(bob));

  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["tip"], c2);
  EXPECT_EQ(j["summary"]["commits"], 2);
  EXPECT_EQ(j["summary"]["passed"], 2);
  ASSERT_EQ(j["commits"].size(), 2u);
  EXPECT_EQ(j["commits"][0]["commit"], c2);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][0]["signature"]["kind"], "openpgp");
  EXPECT_EQ(j["commits"][0]["signature"]["key"], "openpgp:" + bob);
  EXPECT_EQ(j["commits"][0]["signature"]["backend"], "native");
  EXPECT_EQ(j["commits"][1]["commit"], c1);
  EXPECT_EQ(j["commits"][1]["signature"]["kind"], "ssh");
  EXPECT_EQ(j["commits"][1]["signature"]["key"], "ssh:" + alice.fingerprint);

  RunResult text = vouch({"-C", repo.path(), "verify", "--keyring", keys});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, c2.substr(0, 12) + " ok   good openpgp:" + bob + "  # second\n" + c1.substr(0, 12) +
                          " ok   good ssh:" + alice.fingerprint + "  # first\n2 commits: 2 passed, 0 failed\n");
}

TEST_F(VerifyCommitsTest, Threat1UnknownSignerFails) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  SshKey mallory = make_ssh_key(dir.path(), "mallory", "ed25519");
  trust_ssh(alice, "alice");
  repo.commit({{"a.txt", "1"}}, "good", Signer::ssh(alice));
  std::string bad = repo.commit({{"m4/x.m4", "evil"}}, "evil", Signer::ssh(mallory));

  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["summary"]["failed"], 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "unknown-key");
  EXPECT_EQ(j["commits"][0]["errors"][0], "commit " + bad.substr(0, 12) + ": signature unknown-key by ssh:" +
                                              mallory.fingerprint + ": key ssh:" + mallory.fingerprint +
                                              " is not in the keyring");
  EXPECT_EQ(j["commits"][1]["signature"]["status"], "good");
}

TEST_F(VerifyCommitsTest, UnsignedCommitIsMissing) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  std::string c = repo.commit({{"a.txt", "1"}}, "unsigned", Signer::none());
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "missing");
  EXPECT_EQ(j["commits"][0]["errors"][0], "commit " + c.substr(0, 12) + ": signature missing: not signed");
}

TEST_F(VerifyCommitsTest, Threat2SignatureCopiedOntoAnotherCommitIsBad) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  std::string signed_oid = repo.commit({{"a.txt", "1"}}, "signed", Signer::ssh(alice));
  std::string raw_signed = repo.git({"cat-file", "commit", signed_oid}) + "\n";
  std::string unsigned_oid = repo.commit({{"b.txt", "2"}}, "other", Signer::none());
  std::string raw_unsigned = repo.git({"cat-file", "commit", unsigned_oid}) + "\n";
  // Lift alice's gpgsig header and put it on the other commit.
  auto start = raw_signed.find("gpgsig ");
  auto end = raw_signed.find("-----END SSH SIGNATURE-----", start);
  std::string sig_header = raw_signed.substr(start, end + 28 - start);
  auto blank = raw_unsigned.find("\n\n");
  std::string forged = raw_unsigned.substr(0, blank + 1) + sig_header + raw_unsigned.substr(blank + 1);
  std::string oid = write_commit(forged);

  auto j = verify({oid + "~1.." + oid}, 1);
  ASSERT_EQ(j["commits"].size(), 1u);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad");
  EXPECT_EQ(j["commits"][0]["signature"]["key"], "ssh:" + alice.fingerprint);
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "signature does not verify");
}

TEST_F(VerifyCommitsTest, Threat3ContentEditedAfterSigningIsBad) {
  std::string bob = gpg.gen_key("Bob <bob@example.org>");
  trust_openpgp(bob, "bob");
  std::string c = repo.commit({{"a.txt", "1"}}, "honest message", Signer::openpgp(bob));
  std::string raw = repo.git({"cat-file", "commit", c}) + "\n";
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"honest message", "dishonest message"},
           {"author Test User", "author Evil User"},
       }) {
    std::string edited = raw;
    edited.replace(edited.find(from), from.size(), to);
    std::string oid = write_commit(edited);
    auto j = verify({oid}, 1);
    EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad") << from;
    EXPECT_EQ(j["commits"][0]["signature"]["key"], "openpgp:" + bob);
  }
  // A different tree under the same signature.
  std::string other_tree = repo.git({"write-tree"});
  repo.commit({{"z.txt", "new"}}, "tree change", Signer::none());
  std::string new_tree = repo.git({"rev-parse", "HEAD^{tree}"});
  std::string edited = raw;
  edited.replace(edited.find(other_tree), other_tree.size(), new_tree);
  auto j = verify({write_commit(edited)}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad");
}

TEST_F(VerifyCommitsTest, Threat4SshSignatureForAnotherNamespaceFails) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  std::string base = repo.commit({{"a.txt", "1"}}, "unsigned", Signer::none());
  std::string raw = repo.git({"cat-file", "commit", base}) + "\n";
  for (const std::string ns : {"file", "vouch-approval"}) {
    std::string sig = ssh_sign(alice, ns, raw, dir.path());
    std::string oid = write_commit(with_gpgsig(raw, sig));
    auto j = verify({oid}, 1);
    EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad") << ns;
    EXPECT_EQ(j["commits"][0]["signature"]["reason"],
              "signature namespace \"" + ns + "\" does not match expected \"git\"");
  }
  // The same bytes signed under "git" pass: the namespace is the only difference.
  std::string oid = write_commit(with_gpgsig(raw, ssh_sign(alice, "git", raw, dir.path())));
  EXPECT_EQ(verify({oid}, 0)["commits"][0]["signature"]["status"], "good");
}

TEST_F(VerifyCommitsTest, Threat5HardRevokedKeyVoidsEvenOldSignatures) {
  std::string bob = gpg.gen_key("Bob <bob@example.org>");
  repo.commit({{"a.txt", "1"}}, "signed before the revocation", Signer::openpgp(bob));
  revoke_openpgp(gpg, bob, /*compromised*/ 1, "20300101T000000!");
  trust_openpgp(bob, "bob");
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "revoked-key");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "key openpgp:" + bob + " is revoked (compromised): every signature by it is void");
}

TEST_F(VerifyCommitsTest, SoftRevokedKeyKeepsEarlierSignatures) {
  // gpg will not sign with a revoked key, so both commits are signed (with
  // faked clocks) before the revocation, dated 2021, is made.
  std::string bob = gpg.gen_key("Bob <bob@example.org>", "ed25519", "sign", "never", "20200101T000000!");
  sign_commit_at("20200601T000000!", bob, "signed in 2020");
  sign_commit_at("20220601T000000!", bob, "signed in 2022");
  revoke_openpgp(gpg, bob, /*superseded*/ 2, "20210101T000000!");
  trust_openpgp(bob, "bob");
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "revoked-key");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "signature made 2022-06-01 00:00:00Z, after the key was revoked (superseded) at 2021-01-01 00:00:00Z");
  EXPECT_EQ(j["commits"][1]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][1]["signature"]["created"], 1590969600);
}

TEST_F(VerifyCommitsTest, Threat6ExpiredKeyBeforeAndAfterExpiry) {
  // gpg will not sign with an expired key: sign first, then set the expiry
  // (as of mid-2020) to the end of 2020.
  std::string bob = gpg.gen_key("Bob <bob@example.org>", "ed25519", "sign", "never", "20200101T000000!");
  sign_commit_at("20200601T000000!", bob, "while valid");
  sign_commit_at("20220601T000000!", bob, "after expiry");
  RunResult r = gpg.gpg({"--faked-system-time", "20200701T000000!", "--quick-set-expire", bob, "2020-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  trust_openpgp(bob, "bob");
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "expired-key");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "signature made 2022-06-01 00:00:00Z, after the key expired at 2020-12-31 12:00:00Z");
  EXPECT_EQ(j["commits"][1]["signature"]["status"], "good");
}

TEST_F(VerifyCommitsTest, SshAllowedSignersValidityWindow) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  write_file(keys + "/allowed_signers",
             "alice@example.org namespaces=\"git\",valid-before=20240101Z " + alice.public_line + "\n");
  repo.commit({{"a.txt", "1"}}, "2023", Signer::ssh(alice), 1690000000);
  repo.commit({{"b.txt", "2"}}, "2025", Signer::ssh(alice), 1740000000);
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "expired-key");
  EXPECT_EQ(j["commits"][1]["signature"]["status"], "good");
}

TEST_F(VerifyCommitsTest, AllowedSignersNamespaceRestrictionApplies) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  write_file(keys + "/allowed_signers", "alice@example.org namespaces=\"file\" " + alice.public_line + "\n");
  repo.commit({{"a.txt", "1"}}, "x", Signer::ssh(alice));
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "unknown-key");
}

TEST_F(VerifyCommitsTest, Threat20Sha1DigestIsWeak) {
  std::string bob = gpg.gen_key("Bob <bob@example.org>");
  std::string sha1_gpg = faked_gpg(dir.path(), "gpg-sha1", "", "--digest-algo SHA1");
  repo.git({"-c", "gpg.program=" + sha1_gpg, "-c", "user.signingkey=" + bob, "commit", "-q", "--allow-empty", "-S",
            "-m", "sha1"});
  trust_openpgp(bob, "bob");
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "weak");
}

TEST_F(VerifyCommitsTest, SigningSubkeyUnderCertificationOnlyPrimary) {
  std::string primary = gpg.gen_key("Carol <carol@example.org>", "ed25519", "cert");
  std::string sub = gpg.add_subkey(primary, "ed25519", "sign");
  trust_openpgp(primary, "carol");
  repo.commit({{"a.txt", "1"}}, "by subkey", Signer::openpgp(primary));
  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["commits"][0]["signature"]["key"], "openpgp:" + primary);
  EXPECT_EQ(j["commits"][0]["signature"]["signing_key"], "openpgp:" + sub);
}

struct KeyTypeCase {
  std::string label;
  bool ssh;
  std::string type;
};

class KeyTypesTest : public VerifyCommitsTest, public ::testing::WithParamInterface<KeyTypeCase> {};

TEST_P(KeyTypesTest, GoodSignatureVerifiesNatively) {
  const KeyTypeCase& c = GetParam();
  std::string expected_key;
  if (c.ssh) {
    SshKey k = make_ssh_key(dir.path(), "k", c.type);
    trust_ssh(k, "k");
    repo.commit({{"a.txt", "1"}}, c.label, Signer::ssh(k));
    expected_key = "ssh:" + k.fingerprint;
  } else {
    std::string fpr = gpg.gen_key("K <k@example.org>", c.type);
    trust_openpgp(fpr, "k");
    repo.commit({{"a.txt", "1"}}, c.label, Signer::openpgp(fpr));
    expected_key = "openpgp:" + fpr;
  }
  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][0]["signature"]["key"], expected_key);
  EXPECT_EQ(j["commits"][0]["signature"]["backend"], "native");
}

INSTANTIATE_TEST_SUITE_P(AllMachineKeyTypes, KeyTypesTest,
                         ::testing::Values(KeyTypeCase{"ssh_ed25519", true, "ed25519"},
                                           KeyTypeCase{"ssh_ecdsa256", true, "ecdsa-256"},
                                           KeyTypeCase{"ssh_ecdsa384", true, "ecdsa-384"},
                                           KeyTypeCase{"ssh_ecdsa521", true, "ecdsa-521"},
                                           KeyTypeCase{"ssh_rsa3072", true, "rsa-3072"},
                                           KeyTypeCase{"pgp_ed25519", false, "ed25519"},
                                           KeyTypeCase{"pgp_rsa3072", false, "rsa3072"},
                                           KeyTypeCase{"pgp_nistp256", false, "nistp256"},
                                           KeyTypeCase{"pgp_nistp384", false, "nistp384"},
                                           KeyTypeCase{"pgp_nistp521", false, "nistp521"}),
                         [](const auto& info) { return info.param.label; });

TEST_F(VerifyCommitsTest, MalformedSignatureIsAVerdictNotACrash) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  std::string base = repo.commit({{"a.txt", "1"}}, "x", Signer::none());
  std::string raw = repo.git({"cat-file", "commit", base}) + "\n";
  std::string good_sig = ssh_sign(alice, "git", raw, dir.path());
  std::string truncated = good_sig.substr(0, good_sig.size() / 2);
  auto j = verify({write_commit(with_gpgsig(raw, truncated))}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "malformed");
  std::string garbage = "-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n";
  j = verify({write_commit(with_gpgsig(raw, garbage))}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "malformed");
  j = verify({write_commit(with_gpgsig(raw, "-----BEGIN SIGNED MESSAGE-----\nxx\n-----END SIGNED MESSAGE-----\n"))}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "unsupported");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "X.509 (gitsign) signatures are not supported");
}

TEST_F(VerifyCommitsTest, RangesSelectCommitsLikeGitLog) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  std::string c1 = repo.commit({{"a.txt", "1"}}, "unsigned base", Signer::none());
  std::string c2 = repo.commit({{"b.txt", "2"}}, "signed", Signer::ssh(alice));
  auto j = verify({c1 + ".." + c2}, 0);
  EXPECT_EQ(j["summary"]["commits"], 1);
  EXPECT_EQ(j["commits"][0]["commit"], c2);
  EXPECT_EQ(verify({"HEAD"}, 1)["summary"]["failed"], 1);
}

TEST_F(VerifyCommitsTest, BadInputExitsTwoWithAClearMessage) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  trust_ssh(alice, "alice");
  repo.commit({{"a.txt", "1"}}, "x", Signer::ssh(alice));
  RunResult r = vouch({"-C", repo.path(), "verify", "--keyring", keys, "no-such-branch"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: unknown revision 'no-such-branch'\n");
  r = vouch({"-C", dir / "nowhere", "verify", "--keyring", keys});
  EXPECT_EQ(r.exit_code, 2);
  r = vouch({"-C", repo.path(), "verify", "--keyring", dir / "missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: keyring " + (dir / "missing") + " is not a directory\n");
  write_file(keys + "/broken.pub", "ssh-ed25519 AAAA!!!! broken\n");
  r = vouch({"-C", repo.path(), "verify", "--keyring", keys});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(keys + "/broken.pub:1: "), std::string::npos) << r.err;
  r = vouch({"verify", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace vouch::test
