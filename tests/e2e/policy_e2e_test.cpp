// End to end, policy mode: real repositories, real SSH keys, real approvals
// in refs/notes/vouch, the real binary. Threats 7-14 and 16 of docs/threat-model.md, the
// positive cases, and the XZ scenario.
#include <gtest/gtest.h>

#include <ctime>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

/// An XZ-style policy over lasse, jia (maintainers), sam (security) and
/// `extra` TOML appended. Key ids are filled in from the test's keys.
std::string xz_policy(int serial, const SshKey& lasse, const SshKey& jia, const SshKey& sam,
                      const std::string& extra = "", const std::string& maintainers_require = "2 of maintainers") {
  return "version = 1\n"
         "serial = " + std::to_string(serial) + "\n"
         "repository = \"example/xz\"\n\n"
         "[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint + "\"]\n"
         "[people.jia]\nkeys = [\"ssh:" + jia.fingerprint + "\"]\n"
         "[people.sam]\nkeys = [\"ssh:" + sam.fingerprint + "\"]\n\n"
         "[groups]\nmaintainers = [\"lasse\", \"jia\"]\nsecurity = [\"sam\"]\n\n"
         "[commits]\nrequire = [\"1 of maintainers\"]\n\n"
         "[[rules]]\nname = \"build-system\"\n"
         "paths = [\"configure.ac\", \"CMakeLists.txt\", \"m4/**\", \"*.m4\", \"tests/files/**\"]\n"
         "require = [\"" + maintainers_require + "\", \"1 of security\"]\n\n"
         "[[rules]]\nname = \"governance\"\npaths = [\".vouch/**\", \"SECURITY.md\", \"LICENSE\"]\n"
         "require = [\"2 of maintainers\"]\nnotify = true\n\n"
         "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"2 of maintainers\"]\n" + extra;
}

/// The policy with build-system's security requirement removed.
std::string without_security(std::string policy) {
  const std::string req = ", \"1 of security\"";
  policy.erase(policy.find(req), req.size());
  return policy;
}

class PolicyTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  SshKey lasse = make_ssh_key(dir.path(), "lasse", "ed25519");
  SshKey jia = make_ssh_key(dir.path(), "jia", "ed25519");
  SshKey sam = make_ssh_key(dir.path(), "sam", "ed25519");
  SshKey eve = make_ssh_key(dir.path(), "eve", "ed25519");
  std::string root;

  void SetUp() override {
    root = repo.commit({{".vouch/policy.toml", xz_policy(1, lasse, jia, sam)},
                        {".vouch/keys/lasse.pub", lasse.public_line + "\n"},
                        {".vouch/keys/jia.pub", jia.public_line + "\n"},
                        {".vouch/keys/sam.pub", sam.public_line + "\n"},
                        {"README", "xz\n"}},
                       "Adopt vouch", Signer::ssh(lasse));
    repo.git({"config", "vouch.trustRoot", root});
  }
  /// vouch --format json verify ... in the repository, with no trust database.
  nlohmann::json verify(std::vector<std::string> args, int expected_exit) {
    args.insert(args.begin(), {"-C", repo.path(), "--db", dir / "none.db", "verify"});
    return vouch_json(args, expected_exit);
  }
  void approve(const std::string& rev, const SshKey& who) {
    RunResult r = vouch({"-C", repo.path(), "approve", rev, "--key", who.private_path});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  static std::string short_oid(const std::string& oid) { return oid.substr(0, 12); }
};

TEST_F(PolicyTest, OrdinaryCommitBySignerInPolicyPasses) {
  std::string c = repo.commit({{"src/main.c", "int main;\n"}}, "code", Signer::ssh(jia));
  auto j = verify({}, 0);
  EXPECT_EQ(j["mode"], "policy");
  EXPECT_EQ(j["trust_root"], root);
  EXPECT_EQ(j["trust_root_source"], "config");
  ASSERT_EQ(j["commits"].size(), 2u);
  EXPECT_EQ(j["commits"][0]["commit"], c);
  EXPECT_EQ(j["commits"][0]["signature"]["person"], "jia");
  EXPECT_EQ(j["commits"][0]["policy_from"], root);
  EXPECT_EQ(j["commits"][0]["rules"][0]["name"], "commits");
  EXPECT_EQ(j["commits"][0]["rules"][0]["requirements"][0]["counted"], nlohmann::json({"jia"}));
}

TEST_F(PolicyTest, Threat1SignerNotInPolicyFails) {
  std::string c = repo.commit({{"src/main.c", "x\n"}}, "stranger", Signer::ssh(eve));
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "unknown-key");
  EXPECT_EQ(j["commits"][0]["errors"][0], "commit " + short_oid(c) + ": signature unknown-key by ssh:" +
                                              eve.fingerprint + ": key ssh:" + eve.fingerprint +
                                              " is not in the keyring");
}

TEST_F(PolicyTest, XzScenarioSigningAloneFailsNamingBothPaths) {
  std::string c = repo.commit({{"m4/build-to-host.m4", "dnl backdoor\n"},
                               {"tests/files/bad-3-corrupt_lzma2.xz", std::string("\xfd" "7zXZ", 5)}},
                              "Tests: add corrupt test files", Signer::ssh(jia));
  auto j = verify({}, 1);
  const auto& commit = j["commits"][0];
  EXPECT_EQ(commit["verdict"], "fail");
  ASSERT_EQ(commit["errors"].size(), 2u);
  EXPECT_EQ(commit["errors"][0], "commit " + short_oid(c) +
                                     ": rule build-system needs 1 more of maintainers (have 1: jia) for "
                                     "m4/build-to-host.m4, tests/files/bad-3-corrupt_lzma2.xz");
  EXPECT_EQ(commit["errors"][1], "commit " + short_oid(c) +
                                     ": rule build-system needs 1 more of security (have 0: -) for "
                                     "m4/build-to-host.m4, tests/files/bad-3-corrupt_lzma2.xz");
  EXPECT_EQ(commit["rules"][1]["name"], "build-system");
  EXPECT_EQ(commit["rules"][1]["paths"],
            nlohmann::json({"m4/build-to-host.m4", "tests/files/bad-3-corrupt_lzma2.xz"}));

  // One more maintainer and the security reviewer approve: it passes.
  approve(c, lasse);
  approve(c, sam);
  j = verify({}, 0);
  EXPECT_EQ(j["commits"][0]["rules"][1]["requirements"][0]["counted"], nlohmann::json({"jia", "lasse"}));
  EXPECT_EQ(j["commits"][0]["rules"][1]["requirements"][1]["counted"], nlohmann::json({"sam"}));
  EXPECT_EQ(j["commits"][0]["approvals"].size(), 2u);
}

TEST_F(PolicyTest, Threat7FewerApprovalsThanRequiredNamesRuleGroupAndShortfall) {
  std::string c = repo.commit({{"configure.ac", "AC_INIT\n"}}, "configure", Signer::ssh(jia));
  approve(c, lasse);
  auto j = verify({}, 1);
  ASSERT_EQ(j["commits"][0]["errors"].size(), 1u);
  EXPECT_EQ(j["commits"][0]["errors"][0],
            "commit " + short_oid(c) + ": rule build-system needs 1 more of security (have 0: -) for configure.ac");
}

TEST_F(PolicyTest, Threat8SelfApprovalDoesNotCountWhenDisallowed) {
  // A policy change done right (approved by both maintainers, serial raised)
  // adds a rule with self_approval = false.
  std::string extra = "\n[[rules]]\nname = \"crypto\"\npaths = [\"src/crypto/**\"]\n"
                      "require = [\"1 of maintainers\"]\nself_approval = false\n";
  std::string change = repo.commit({{".vouch/policy.toml", xz_policy(2, lasse, jia, sam, extra)}}, "add crypto rule",
                                   Signer::ssh(lasse));
  approve(change, jia);
  std::string c = repo.commit({{"src/crypto/aes.c", "x\n"}}, "crypto change", Signer::ssh(jia));
  approve(c, jia);  // jia approves her own change
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["errors"][0],
            "commit " + short_oid(c) + ": rule crypto needs 1 more of maintainers (have 0: -) for src/crypto/aes.c");
  approve(c, lasse);
  verify({}, 0);
}

TEST_F(PolicyTest, Threat9OnePersonWithTwoKeysCountsOnce) {
  SshKey sam2 = make_ssh_key(dir.path(), "sam2", "ecdsa-256");
  std::string policy = xz_policy(2, lasse, jia, sam, "", "2 of maintainers");
  // sam gets a second key; the security requirement becomes 2 of security (sam and tom).
  SshKey tom = make_ssh_key(dir.path(), "tom", "ed25519");
  auto replace = [&](const std::string& from, const std::string& to) { policy.replace(policy.find(from), from.size(), to); };
  replace("keys = [\"ssh:" + sam.fingerprint + "\"]",
          "keys = [\"ssh:" + sam.fingerprint + "\", \"ssh:" + sam2.fingerprint + "\"]\n[people.tom]\nkeys = [\"ssh:" +
              tom.fingerprint + "\"]");
  replace("security = [\"sam\"]", "security = [\"sam\", \"tom\"]");
  replace("\"1 of security\"", "\"2 of security\"");
  std::string change = repo.commit({{".vouch/policy.toml", policy},
                                    {".vouch/keys/sam2.pub", sam2.public_line + "\n"},
                                    {".vouch/keys/tom.pub", tom.public_line + "\n"}},
                                   "sam's second key, tom", Signer::ssh(lasse));
  approve(change, jia);
  std::string c = repo.commit({{"m4/x.m4", "x\n"}}, "m4", Signer::ssh(jia));
  approve(c, lasse);
  approve(c, sam);
  approve(c, sam2);
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["errors"][0],
            "commit " + short_oid(c) + ": rule build-system needs 1 more of security (have 1: sam) for m4/x.m4");
  approve(c, tom);
  verify({}, 0);
}

TEST_F(PolicyTest, Threat10PolicyWeakenedTogetherWithSensitiveChangeIsJudgedByParentPolicy) {
  std::string weak = without_security(xz_policy(2, lasse, jia, sam, "", "1 of maintainers"));
  std::string c = repo.commit({{".vouch/policy.toml", weak}, {"m4/build-to-host.m4", "evil\n"}},
                              "weaken and change", Signer::ssh(jia));
  auto j = verify({}, 1);
  const auto& errors = j["commits"][0]["errors"];
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "commit " + short_oid(c) +
                           ": rule build-system needs 1 more of maintainers (have 1: jia) for m4/build-to-host.m4");
  EXPECT_EQ(errors[1],
            "commit " + short_oid(c) + ": rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4");
  EXPECT_EQ(errors[2], "commit " + short_oid(c) +
                           ": rule governance needs 1 more of maintainers (have 1: jia) for .vouch/policy.toml");
}

// A rule that covers only some keyring names ([a-z]*) does not take over
// the keyring's protection: a key file named "0evil.pub" still needs the
// implicit policy rule (every member of every group).
TEST_F(PolicyTest, KeyringCoveredByAClassStillNeedsTheImplicitRule) {
  std::string policy = xz_policy(2, lasse, jia, sam);
  const std::string governance =
      "paths = [\".vouch/**\", \"SECURITY.md\", \"LICENSE\"]\nrequire = [\"2 of maintainers\"]";
  ASSERT_NE(policy.find(governance), std::string::npos);
  policy.replace(policy.find(governance), governance.size(),
                 "paths = [\".vouch/policy.toml\", \".vouch/keys/[a-z]*\"]\nrequire = [\"1 of maintainers\"]");
  std::string adopt = repo.commit({{".vouch/policy.toml", policy}}, "governance by one maintainer", Signer::ssh(lasse));
  approve(adopt, jia);
  std::string c = repo.commit({{".vouch/keys/0evil.pub", eve.public_line + "\n"}}, "add a key", Signer::ssh(jia));
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["errors"],
            nlohmann::json({"commit " + short_oid(c) +
                                ": rule policy needs 1 more of maintainers (have 1: jia) for .vouch/keys/0evil.pub",
                            "commit " + short_oid(c) +
                                ": rule policy needs 1 more of security (have 0: -) for .vouch/keys/0evil.pub"}));
  EXPECT_EQ(j["commits"][1]["verdict"], "pass");
}

TEST_F(PolicyTest, Threat11PolicyRollbackFailsHoweverManyApprovals) {
  std::string v2 = repo.commit({{".vouch/policy.toml", xz_policy(2, lasse, jia, sam)}}, "serial 2",
                               Signer::ssh(lasse));
  approve(v2, jia);
  std::string back = repo.commit({{".vouch/policy.toml", xz_policy(1, lasse, jia, sam)}}, "back to serial 1",
                                 Signer::ssh(lasse));
  approve(back, jia);
  approve(back, sam);
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["errors"], nlohmann::json({"commit " + short_oid(back) +
                                                       ": policy rollback: serial 1 is not greater than the parent's 2"}));
  EXPECT_EQ(j["commits"][1]["verdict"], "pass");
}

TEST_F(PolicyTest, PolicyChangeMadeCorrectlyTakesEffectFromTheNextCommit) {
  // Serial 2 drops the security requirement; approved under serial 1 by both maintainers.
  std::string relaxed = without_security(xz_policy(2, lasse, jia, sam, "", "1 of maintainers"));
  std::string change = repo.commit({{".vouch/policy.toml", relaxed}}, "relax build-system", Signer::ssh(lasse));
  approve(change, jia);
  std::string c = repo.commit({{"m4/x.m4", "x\n"}}, "m4 under the new policy", Signer::ssh(jia));
  auto j = verify({}, 0);
  EXPECT_EQ(j["commits"][0]["commit"], c);
  EXPECT_EQ(j["commits"][0]["policy_from"], change);
}

TEST_F(PolicyTest, Threat12EvilMergeChangesCount) {
  repo.git({"checkout", "-q", "-b", "side"});
  repo.commit({{"src/a.c", "a\n"}}, "side work", Signer::ssh(jia));
  repo.git({"checkout", "-q", "main"});
  repo.commit({{"src/b.c", "b\n"}}, "main work", Signer::ssh(lasse));
  // Merge, then amend the merge with an edit of its own to a sensitive path.
  repo.git({"-c", "gpg.format=ssh", "-c", "user.signingkey=" + jia.private_path, "merge", "-q", "--no-ff", "-S", "-m",
            "merge side", "side"});
  write_file(repo.path() + "/m4/build-to-host.m4", "evil\n");
  repo.git({"add", "-A"});
  repo.git({"-c", "gpg.format=ssh", "-c", "user.signingkey=" + jia.private_path, "commit", "-q", "--amend", "-S",
            "--no-edit"});
  std::string merge = repo.git({"rev-parse", "HEAD"});
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["commit"], merge);
  EXPECT_EQ(j["commits"][0]["rules"][1]["paths"], nlohmann::json({"m4/build-to-host.m4"}));
  EXPECT_EQ(j["commits"][0]["verdict"], "fail");
}

TEST_F(PolicyTest, Threat13ApprovalOfAnotherCommitDoesNotCount) {
  std::string x = repo.commit({{"configure.ac", "1\n"}}, "x", Signer::ssh(jia));
  approve(x, lasse);
  approve(x, sam);
  std::string y = repo.commit({{"configure.ac", "2\n"}}, "y", Signer::ssh(jia));
  // Copy X's approval lines onto Y.
  std::string note = repo.git({"notes", "--ref", "vouch", "show", x});
  repo.git({"notes", "--ref", "vouch", "add", "-f", "-m", note, y});
  auto j = verify({}, 1);
  EXPECT_EQ(j["commits"][0]["commit"], y);
  ASSERT_EQ(j["commits"][0]["approvals"].size(), 2u);
  EXPECT_EQ(j["commits"][0]["approvals"][0]["counted"], false);
  EXPECT_EQ(j["commits"][0]["approvals"][0]["status"], "mismatch");
  EXPECT_EQ(j["commits"][1]["verdict"], "pass");
}

TEST_F(PolicyTest, Threat14ReleaseTagRules) {
  std::string c = repo.commit({{"src/x.c", "x\n"}}, "release", Signer::ssh(jia));
  repo.tag("v1.0", c, Signer::ssh(jia));
  repo.tag("v1.1", c, Signer::none());
  repo.tag("v1.2", c, Signer::none(), /*annotated=*/false);
  repo.tag("v1.3", c, Signer::ssh(eve));
  auto tag = [&](const std::string& name, int exit) {
    return vouch_json({"-C", repo.path(), "--db", dir / "none.db", "verify-tag", name}, exit);
  };
  auto j = tag("v1.0", 1);
  EXPECT_EQ(j["errors"][0], "tag v1.0: rule tags[1] refs/tags/v* needs 1 more of maintainers (have 1: jia)");
  std::string tag_oid = repo.git({"rev-parse", "v1.0"});
  approve("v1.0", lasse);
  j = tag("v1.0", 0);
  EXPECT_EQ(j["approvals"][0]["person"], "lasse");
  EXPECT_EQ(tag("v1.1", 1)["signature"]["status"], "missing");
  EXPECT_EQ(tag("v1.2", 1)["errors"][0], "tag v1.2: signature missing: lightweight tag: there is no tag object to sign");
  EXPECT_EQ(tag("v1.3", 1)["signature"]["status"], "unknown-key");
}

TEST_F(PolicyTest, Threat16RenameAwayAndCaseVariantCountAsSensitive) {
  repo.commit({{"SECURITY.md", "report to sam\n"}}, "security policy", Signer::ssh(lasse));
  repo.git({"mv", "SECURITY.md", "docs.md"});
  std::string moved = repo.commit({}, "move it away", Signer::ssh(jia));
  auto j = verify({"HEAD~1..HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["errors"][0], "commit " + short_oid(moved) +
                                              ": rule governance needs 1 more of maintainers (have 1: jia) for "
                                              "SECURITY.md");
  std::string cased = repo.commit({{"Security.md", "different case\n"}}, "case", Signer::ssh(jia));
  j = verify({"HEAD~1..HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["errors"][0], "commit " + short_oid(cased) +
                                              ": rule governance needs 1 more of maintainers (have 1: jia) for "
                                              "Security.md");
  EXPECT_EQ(j["commits"][0]["notices"][0], "rule governance (notify): Security.md changed");
}

TEST_F(PolicyTest, ApprovalsFromAnotherCloneCountAfterSync) {
  std::string origin = dir / "origin.git";
  run_ok({"git", "init", "-q", "--bare", origin}, {.env = repo.env()});
  repo.git({"remote", "add", "origin", origin});
  std::string c = repo.commit({{"configure.ac", "x\n"}}, "configure", Signer::ssh(jia));
  repo.git({"push", "-q", "origin", "main"});
  // Another clone: lasse and sam approve there and sync.
  std::string other = dir / "other";
  run_ok({"git", "clone", "-q", origin, other}, {.env = repo.env()});
  for (const SshKey* who : {&lasse, &sam}) {
    RunResult r = vouch({"-C", other, "approve", c, "--key", who->private_path}, "", repo.env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult s = vouch({"-C", other, "approvals", "sync"}, "", repo.env());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  verify({}, 1);
  s = vouch({"-C", repo.path(), "approvals", "sync"}, "", repo.env());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  verify({}, 0);
}

TEST_F(PolicyTest, ShadowPolicyAndRangeMode) {
  std::string c = repo.commit({{"configure.ac", "x\n"}}, "configure", Signer::ssh(jia));
  // Under the repository's policy this fails; a shadow policy without the rule passes it.
  verify({root + ".." + c}, 1);
  std::string lax = "version = 1\nserial = 1\n[people.jia]\nkeys = [\"ssh:" + jia.fingerprint +
                    "\"]\n[groups]\nmaintainers = [\"jia\"]\n[commits]\nrequire = [\"1 of maintainers\"]\n"
                    "[[rules]]\nname = \"policy\"\npaths = [\".vouch/**\"]\nrequire = [\"1 of maintainers\"]\n";
  // A trusted checkout of its own (base/.vouch/...): keys come from there, not from the repository.
  run_ok({"mkdir", "-p", dir / "base/.vouch/keys"});
  write_file(dir / "base/.vouch/keys/jia.pub", jia.public_line + "\n");
  write_file(dir / "base/.vouch/policy.toml", lax);
  auto j = verify({"--policy", dir / "base/.vouch/policy.toml", root + ".." + c}, 0);
  EXPECT_EQ(j["trust_root_source"], "range");
}

TEST_F(PolicyTest, BadPolicyAndBadRevisionsExitTwo) {
  RunResult r = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: unknown revision 'nope'\n");
  TestRepo bare_repo(dir / "nopolicy", &gpg);
  bare_repo.commit({{"a", "1"}}, "x", Signer::ssh(jia));
  r = vouch({"-C", bare_repo.path(), "--db", dir / "none.db", "verify"}, "", {{"CI", ""}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: no commit on the first-parent chain of HEAD has .vouch/policy.toml "
                   "(vouch policy init writes one)\n");
}

// Trust on first use is for a person at a terminal: verify then says which
// root it took; with CI set (every CI service sets it) a missing root is an error.
TEST_F(PolicyTest, TrustOnFirstUseOnlyByHandAndNeverInCi) {
  repo.git({"config", "--unset", "vouch.trustRoot"});
  std::string c = repo.commit({{"src/main.c", "int main;\n"}}, "code", Signer::ssh(jia));
  RunResult r = vouch({"-C", repo.path(), "--db", dir / "none.db", "--format", "json", "verify"}, "", {{"CI", ""}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["trust_root"], root);
  EXPECT_EQ(j["trust_root_source"], "first-policy");
  EXPECT_EQ(r.err, "vouch: trust on first use: no trust root is configured, so the oldest commit with a policy, " +
                       short_oid(root) + ", was taken as given; pin it with `git config vouch.trustRoot " + root +
                       "` (CI and hooks never take a root on first use)\n");
  for (const char* ci : {"true", "1"}) {
    r = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify"}, "", {{"CI", ci}});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "vouch: error: verifying HEAD: no trust root: pass --trust-root REV or run `git config "
                     "vouch.trustRoot OID` (history from a push or a pull request must never choose its own trust "
                     "root)\n");
  }
  auto flagged = verify({"--trust-root", root}, 0);
  EXPECT_EQ(flagged["trust_root_source"], "flag");
  EXPECT_EQ(flagged["commits"][0]["commit"], c);
}

}  // namespace
}  // namespace vouch::test

namespace vouch::test {
namespace {

TEST_F(PolicyTest, ExplainNamesMatchedPatternsAndCandidates) {
  std::string c = repo.commit({{"m4/build-to-host.m4", "x\n"}, {"SECURITY.md", "y\n"}}, "touch two rules",
                              Signer::ssh(jia));
  RunResult r = vouch({"-C", repo.path(), "policy", "explain", c});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "commit " + short_oid(c) + " is governed by the policy of " + short_oid(root) +
                       " (serial 1)\n"
                       "2 changed path(s)\n"
                       "rule commits\n"
                       "  applies to every commit\n"
                       "  needs 1 of maintainers: lasse, jia\n"
                       "rule build-system\n"
                       "  m4/** matched m4/build-to-host.m4\n"
                       "  *.m4 matched m4/build-to-host.m4\n"
                       "  needs 2 of maintainers: lasse, jia\n"
                       "  needs 1 of security: sam\n"
                       "rule governance (notify)\n"
                       "  SECURITY.md matched SECURITY.md\n"
                       "  needs 2 of maintainers: lasse, jia\n");
  auto j = vouch_json({"-C", repo.path(), "policy", "explain", c}, 0);
  EXPECT_EQ(j["governed_by"], root);
  EXPECT_EQ(j["rules"][1]["matches"][0]["pattern"], "m4/**");
}

}  // namespace
}  // namespace vouch::test

namespace vouch::test {
namespace {

TEST_F(PolicyTest, Threat18YoungKeyDoesNotCountUnderMinKeyAge) {
  // The verifier's trust database: an OSPO root endorses lasse and jia long
  // ago and sam two days ago.
  SshKey ospo = make_ssh_key(dir.path(), "ospo", "ed25519");
  const std::string db = dir / "trust.db";
  const int64_t now = std::time(nullptr);
  auto db_cmd = [&](std::vector<std::string> args, int64_t at) {
    args.insert(args.begin(), {"--db", db});
    RunResult r = vouch(args, "", {{"VOUCH_NOW", std::to_string(at)}});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  };
  db_cmd({"key", "import", ospo.public_path, lasse.public_path, jia.public_path, sam.public_path}, now - 400 * 86400);
  db_cmd({"trust", "root", "add", ospo.public_path}, now - 400 * 86400);
  db_cmd({"endorse", lasse.public_path, "--as", ospo.private_path, "--full"}, now - 200 * 86400);
  db_cmd({"endorse", jia.public_path, "--as", ospo.private_path, "--full"}, now - 200 * 86400);
  db_cmd({"endorse", sam.public_path, "--as", ospo.private_path, "--full"}, now - 2 * 86400);

  // Policy serial 2 ties signers to that database, approved under serial 1.
  std::string change = repo.commit(
      {{".vouch/policy.toml", xz_policy(2, lasse, jia, sam, "\n[trust]\nmin_amount = 120\nmin_key_age = \"90d\"\n")}},
      "tie keys to the web of trust", Signer::ssh(lasse));
  approve(change, jia);
  std::string c = repo.commit({{"m4/build-to-host.m4", "x\n"}}, "m4", Signer::ssh(jia));
  approve(c, lasse);
  approve(c, sam);

  auto j = vouch_json({"-C", repo.path(), "--db", db, "verify"}, 1);
  ASSERT_EQ(j["commits"][0]["errors"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["commits"][0]["errors"][0],
            "commit " + short_oid(c) + ": rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4");
  EXPECT_EQ(j["commits"][1]["verdict"], "pass");
  // 100 days later sam's endorsement is past probation and counts.
  j = vouch_json({"-C", repo.path(), "--db", db, "verify", "--at", std::to_string(now + 100 * 86400)}, 0);
  EXPECT_EQ(j["commits"][0]["rules"][1]["requirements"][1]["counted"], nlohmann::json({"sam"}));
}

}  // namespace
}  // namespace vouch::test

namespace vouch::test {
namespace {

// The text report says per commit who signed and who approved (and whose
// approval did not count, and why), not only the JSON.
TEST_F(PolicyTest, TextReportShowsSignerAndApprovers) {
  std::string c = repo.commit({{"configure.ac", "AC_INIT\n"}}, "configure", Signer::ssh(jia));
  approve(c, lasse);
  approve(c, jia);  // her own change: counted for [commits] as signer anyway; the approval is hers too
  RunResult r = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "trust root " + short_oid(root) + " (config)\n" + short_oid(c) + " FAIL good ssh:" +
                       jia.fingerprint + " (jia)  # configure\n"
                       "    approved by lasse, jia\n"
                       "    commit " + short_oid(c) +
                       ": rule build-system needs 1 more of security (have 0: -) for configure.ac\n" +
                       short_oid(root) + " ok   good ssh:" + lasse.fingerprint + " (lasse)  # Adopt vouch\n"
                       "2 commits: 1 passed, 1 failed\n");
}

}  // namespace
}  // namespace vouch::test
