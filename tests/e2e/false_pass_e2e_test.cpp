// End to end, the routes to a false "pass" that the trust root, tag names,
// freshness and ref namespaces close (threats 25-29, 34, 37, 38): real
// repositories, real SSH keys and signatures, a bare server with the real
// pre-receive hook, the real binary through every entry point (verify,
// verify-tag, verify-archive, approve, policy explain, the hook).
#include <gtest/gtest.h>

#include <ctime>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

std::string policy_for(int serial, const std::vector<std::pair<std::string, const SshKey*>>& people,
                       const std::string& maintainers) {
  std::string p = "version = 1\nserial = " + std::to_string(serial) + "\n";
  for (const auto& [name, key] : people) p += "[people." + name + "]\nkeys = [\"ssh:" + key->fingerprint + "\"]\n";
  p += "[groups]\nmaintainers = [" + maintainers + "]\n"
       "[commits]\nrequire = [\"1 of maintainers\"]\n"
       "[[rules]]\nname = \"sensitive\"\npaths = [\"SECURITY.md\"]\nrequire = [\"2 of maintainers\"]\n"
       "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"1 of maintainers\"]\n"
       "[refs]\nprotected = [\"refs/heads/main\", \"refs/tags/*\"]\nunchecked = [\"refs/heads/review/*\"]\n";
  return p;
}

class FalsePassTest : public ::testing::Test {
 protected:
  TempDir dir;
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  SshKey bob = make_ssh_key(dir.path(), "bob", "ed25519");
  SshKey mallory = make_ssh_key(dir.path(), "mallory", "ed25519");
  TestRepo repo{dir / "work", nullptr};
  std::string server = dir / "srv.git";
  std::string root;
  int64_t now = static_cast<int64_t>(std::time(nullptr));

  void SetUp() override {
    root = repo.commit({{".vouch/policy.toml", policy_for(1, {{"alice", &alice}, {"bob", &bob}}, "\"alice\", \"bob\"")},
                        {".vouch/keys/alice.pub", alice.public_line + "\n"},
                        {".vouch/keys/bob.pub", bob.public_line + "\n"},
                        {"README", "hello\n"}},
                       "root", Signer::ssh(alice));
    repo.git({"config", "vouch.trustRoot", root});
    run_ok({"git", "init", "-q", "--bare", "-b", "main", server}, {.env = repo.env()});
    repo.git({"remote", "add", "origin", server});
  }

  RunResult v(std::vector<std::string> args, const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), {"-C", repo.path(), "--db", dir / "none.db"});
    return vouch(args, "", env);
  }
  /// The server gets main (and `refs`) first, then the hook with this trust root.
  void serve(const std::vector<std::string>& refs = {"main"}) {
    std::vector<std::string> args = {"push", "-q", "origin"};
    args.insert(args.end(), refs.begin(), refs.end());
    repo.git(args);
    RunResult r = vouch({"-C", server, "hook", "install", "--trust-root", root});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult push(const std::vector<std::string>& refspecs) {
    std::vector<std::string> args = {"push", "origin"};
    args.insert(args.end(), refspecs.begin(), refspecs.end());
    return repo.git_raw(args);
  }
  std::string server_ref(const std::string& ref) {
    RunResult r = run({"git", "--git-dir", server, "rev-parse", "-q", "--verify", ref}, {.env = repo.env()});
    return r.exit_code == 0 ? r.out.substr(0, 40) : "";
  }
  /// An orphan history in another repository whose policy lets only `who`
  /// decide, fetched here as refs/heads/NAME; returns its commit.
  std::string orphan_with_own_policy(const std::string& name, const SshKey& who) {
    TestRepo other(dir / ("other-" + name), nullptr);
    std::string c = other.commit({{".vouch/policy.toml", policy_for(99, {{"m", &who}}, "\"m\"")},
                                  {".vouch/keys/m.pub", who.public_line + "\n"},
                                  {"README", "backdoor\n"}},
                                 "release", Signer::ssh(who));
    repo.git({"fetch", "-q", other.path(), "HEAD:refs/heads/" + name});
    return c;
  }
  std::string commit_tree(const SshKey& who, const std::string& tree, const std::vector<std::string>& parents,
                          const std::string& message) {
    std::vector<std::string> args = {"-c", "gpg.format=ssh", "-c", "user.signingkey=" + who.private_path,
                                     "commit-tree", "-S", tree};
    for (const auto& p : parents) args.insert(args.end(), {"-p", p});
    args.insert(args.end(), {"-m", message});
    return repo.git(args);
  }
  void tag_as(const SshKey& who, const std::string& name, const std::string& target,
              const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {"git", "-C", repo.path(), "-c", "gpg.format=ssh", "-c",
                                     "user.signingkey=" + who.private_path, "tag", "-s", "-m", name, name, target};
    auto e = repo.env();
    for (const auto& [k, val] : env) e[k] = val;
    run_ok(argv, {.env = e});
  }
  static std::string s12(const std::string& oid) { return oid.substr(0, 12); }
  static bool has_line(const std::string& text, const std::string& line) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string l = text.substr(pos, end - pos);
      while (!l.empty() && l.back() == ' ') l.pop_back();
      if (l == line || l == "remote: " + line) return true;
      pos = end + 1;
    }
    return false;
  }
  std::string unrooted(const std::string& commit) const {
    return "commit " + s12(commit) + ": not descended from the trust root " + s12(root) +
           " through first parents; its history cannot choose its own policy";
  }
};

TEST_F(FalsePassTest, Threat25TagOnAnOrphanCommitCarryingItsOwnPolicyFailsEverywhere) {
  serve();
  std::string evil = orphan_with_own_policy("evil", mallory);
  tag_as(mallory, "v9.9", evil);
  const std::string why = "tag v9.9: tagged commit " + s12(evil) + " not verified: " + unrooted(evil);
  RunResult r = v({"--format", "json", "verify-tag", "v9.9"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["errors"][0], why);
  EXPECT_EQ(j["commit_verified"], false);
  EXPECT_EQ(j["trust_root"], root);
  EXPECT_EQ(j["trust_root_source"], "config");
  // The same tag through verify-archive: the archive matches the tag exactly, and still fails.
  repo.git({"archive", "--format=tar", "-o", dir / "rel.tar", "v9.9"});
  r = v({"verify-archive", dir / "rel.tar", "--tag", "v9.9"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(why), std::string::npos) << r.out;
  // And through the hook: refused, nothing written.
  r = push({"v9.9"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/tags/v9.9: " + why)) << r.err;
  EXPECT_EQ(server_ref("refs/tags/v9.9"), "");
  // policy explain says a (valid) orphan policy is not in force.
  TestRepo other(dir / "valid-orphan", nullptr);
  std::string orphan = other.commit({{".vouch/policy.toml", "version = 1\nserial = 9\n[people.m]\nkeys = [\"ssh:" +
                                                                mallory.fingerprint + "\"]\n[groups]\nmaintainers = "
                                                                "[\"m\"]\n[commits]\nrequire = [\"1 of maintainers\"]\n"}},
                                    "orphan", Signer::ssh(mallory));
  std::string child = other.commit({{"x", "x\n"}}, "child", Signer::ssh(mallory));
  repo.git({"fetch", "-q", other.path(), "HEAD:refs/heads/valid-orphan"});
  r = v({"--format", "json", "policy", "explain", child});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["descends_from_trust_root"], false);
  // approve refuses to sign for a history outside the trust root.
  r = v({"approve", evil, "--key", alice.private_path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: commit " + s12(evil) + " does not descend from the trust root " + s12(root) +
                       " through first parents: no policy in force would count this approval\n");
}

TEST_F(FalsePassTest, Threat25And38TagOnAFailingCommitFailsWithOrWithoutATagRule) {
  std::string bad = repo.commit({{"src/x.c", "x\n"}}, "by an outsider", Signer::ssh(mallory));
  tag_as(alice, "v2.0", bad);      // matches [[tags]] refs/tags/v*
  tag_as(alice, "snapshot", bad);  // matches no [[tags]] rule (threat 38)
  for (const char* name : {"v2.0", "snapshot"}) {
    RunResult r = v({"--format", "json", "verify-tag", name});
    EXPECT_EQ(r.exit_code, 1) << name << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["signature"]["status"], "good");
    EXPECT_EQ(j["errors"][0], std::string("tag ") + name + ": tagged commit " + s12(bad) + " not verified: commit " +
                                  s12(bad) + ": signature unknown-key by ssh:" + mallory.fingerprint + ": key ssh:" +
                                  mallory.fingerprint + " is not in the keyring");
  }
  // A later good commit does not heal the chain: the outsider's commit is still on it.
  std::string good = repo.commit({{"src/x.c", "fixed\n"}}, "fix", Signer::ssh(bob));
  tag_as(alice, "v2.1", good);
  tag_as(alice, "snapshot-2", good);
  EXPECT_EQ(v({"verify-tag", "v2.1", "snapshot-2"}).exit_code, 1);
}

TEST_F(FalsePassTest, Threat25VerifyTagAndArchiveNeverTakeATrustRootOnFirstUse) {
  tag_as(alice, "v1.0", root);
  repo.git({"config", "--unset", "vouch.trustRoot"});
  repo.git({"archive", "--format=tar", "-o", dir / "rel.tar", "v1.0"});
  const std::string message = "vouch: error: tag v1.0: no trust root: pass --trust-root REV or run `git config "
                              "vouch.trustRoot OID` (history from a push or a pull request must never choose its "
                              "own trust root)\n";
  RunResult r = v({"verify-tag", "v1.0"}, {{"CI", ""}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, message);
  r = v({"verify-archive", dir / "rel.tar", "--tag", "v1.0"}, {{"CI", ""}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, message);
  r = v({"--format", "json", "verify-tag", "--trust-root", root, "v1.0"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["trust_root_source"], "flag");
  EXPECT_EQ(v({"verify-archive", dir / "rel.tar", "--tag", "v1.0", "--trust-root", root}).exit_code, 0);
}

TEST_F(FalsePassTest, Threat26NoTrustRootOnTheServerRefusesEveryBranchAndTag) {
  repo.git({"push", "-q", "origin", "main"});
  RunResult inst = vouch({"-C", server, "hook", "install"});
  ASSERT_EQ(inst.exit_code, 0) << inst.err;
  EXPECT_NE(inst.out.find("trust root " + root + " (the oldest commit of refs/heads/main with .vouch/policy.toml)"),
            std::string::npos)
      << inst.out;
  run_ok({"git", "--git-dir", server, "config", "--unset", "vouch.trustRoot"}, {.env = repo.env()});
  std::string c = repo.commit({{"src/x.c", "x\n"}}, "code", Signer::ssh(alice));
  RunResult r = push({"main"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: this repository: no trust root: pass --trust-root REV "
                              "or run `git config vouch.trustRoot OID` (history from a push or a pull request must "
                              "never choose its own trust root); on the server: git config vouch.trustRoot OID, or "
                              "vouch hook install --trust-root REV"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  // The foreign-history merge and the unrelated new branch get the same answer.
  std::string evil = orphan_with_own_policy("evil", mallory);
  std::string merge = commit_tree(mallory, evil + "^{tree}", {evil, root}, "merge main");
  EXPECT_NE(push({merge + ":refs/heads/main"}).exit_code, 0);
  EXPECT_NE(push({"evil:refs/heads/release"}).exit_code, 0);
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  EXPECT_EQ(server_ref("refs/heads/release"), "");
  (void)c;
}

TEST_F(FalsePassTest, Threat26ForeignFirstParentsNeverReplaceTheGovernedLine) {
  serve();
  std::string evil = orphan_with_own_policy("evil", mallory);
  // A merge whose first parent is mallory's root and whose second is old main.
  std::string merge = commit_tree(mallory, evil + "^{tree}", {evil, root}, "merge main");
  RunResult r = push({merge + ":refs/heads/main"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: non-fast-forward update of a protected ref is "
                              "refused: " + s12(root) + " is not on the first-parent chain of " + s12(merge) +
                              " (protected by \"refs/heads/main\" in " + s12(root) + ":.vouch/policy.toml)"))
      << r.err;
  // A new branch from an unrelated root.
  r = push({"evil:refs/heads/release"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/release: " + unrooted(evil))) << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  EXPECT_EQ(server_ref("refs/heads/release"), "");
  // verify by hand says the same.
  r = v({"--format", "json", "verify", merge});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["commits"][0]["errors"][0], unrooted(merge));
}

TEST_F(FalsePassTest, Threat26TrustRootMayArriveInThePushThatBringsIt) {
  RunResult inst = vouch({"-C", server, "hook", "install", "--trust-root", root});
  ASSERT_EQ(inst.exit_code, 0) << inst.err;
  EXPECT_NE(inst.out.find("trust root " + root +
                          " (--trust-root); not in the repository yet: the push that brings it is checked against it"),
            std::string::npos)
      << inst.out;
  std::string evil = orphan_with_own_policy("evil", mallory);
  EXPECT_NE(push({"evil:refs/heads/main"}).exit_code, 0);
  EXPECT_EQ(server_ref("refs/heads/main"), "");
  RunResult r = push({"main"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(FalsePassTest, Threat27BackdatedApprovalNeverCounts) {
  std::string c = repo.commit({{"SECURITY.md", "report to alice\n"}}, "security", Signer::ssh(alice));
  int64_t committed = std::stoll(repo.git({"log", "-1", "--format=%ct", c}));
  // bob approves, but writes a `created` before the commit existed.
  RunResult a = v({"approve", c, "--key", bob.private_path}, {{"VOUCH_NOW", std::to_string(committed - 3600)}});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  RunResult r = v({"--format", "json", "verify"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["commits"][0]["approvals"][0]["status"], "mismatch");
  EXPECT_EQ(j["commits"][0]["approvals"][0]["reason"], "approval created at " + std::to_string(committed - 3600) +
                                                           ", before the commit's own time " +
                                                           std::to_string(committed));
  // vouch approvals lists it the same way.
  r = v({"--format", "json", "approvals", c});
  EXPECT_EQ(nlohmann::json::parse(r.out)["approvals"][0]["status"], "mismatch") << r.out;
  // An honest approval counts.
  ASSERT_EQ(v({"approve", c, "--key", bob.private_path}).exit_code, 0);
  EXPECT_EQ(v({"verify"}).exit_code, 0);
}

TEST_F(FalsePassTest, Threat27HookRefusesStaleNewApprovalsAndTags) {
  // A commit made three days ago reaches the server before its hook exists.
  std::string old = repo.commit({{"SECURITY.md", "v1\n"}}, "security", Signer::ssh(alice), now - 3 * 86400);
  serve();
  // bob's approval "created" two days ago: after the commit, but not fresh.
  ASSERT_EQ(v({"approve", old, "--key", bob.private_path}, {{"VOUCH_NOW", std::to_string(now - 2 * 86400)}}).exit_code,
            0);
  RunResult r = push({"refs/notes/vouch"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/notes/vouch: approval of " + s12(old) + ": created at " +
                              std::to_string(now - 2 * 86400) + " by ssh:" + bob.fingerprint +
                              ", more than max_clock_skew (86400 s) away from now"))
      << r.err;
  EXPECT_EQ(server_ref("refs/notes/vouch"), "");
  // A tag whose tagger time lies three days back.
  tag_as(alice, "v3.0", root, {{"GIT_COMMITTER_DATE", "@" + std::to_string(now - 3 * 86400) + " +0000"}});
  r = push({"v3.0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/tags/v3.0: tag v3.0: tagger time " + std::to_string(now - 3 * 86400) +
                              " is more than max_clock_skew (86400 s) away from now"))
      << r.err;
  // Fresh ones are accepted.
  repo.git({"update-ref", "-d", "refs/notes/vouch"});
  ASSERT_EQ(v({"approve", old, "--key", bob.private_path}).exit_code, 0);
  tag_as(alice, "v3.1", root);
  r = push({"refs/notes/vouch", "v3.1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(FalsePassTest, Threat28OtherRefsAreRefusedAndUncheckedRefsNeverMakeACommitKnown) {
  serve();
  std::string back = repo.commit({{"src/x.c", "x\n"}}, "back-dated", Signer::ssh(alice), now - 3 * 86400);
  const std::string outside = ": only refs/heads/*, refs/tags/* and refs/notes/vouch are accepted; add a pattern for "
                              "it to [refs] unchecked in the policy to allow it without verification";
  for (const char* ref : {"refs/notes/launder", "refs/keep/x", "refs/for/main"}) {
    RunResult r = push({"main:" + std::string(ref)});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(has_line(r.err, "remote: vouch: " + std::string(ref) + outside)) << r.err;
  }
  // Review branches are accepted unverified ...
  RunResult r = push({"main:refs/heads/review/x"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_ref("refs/heads/review/x"), back);
  // ... and do not make the back-dated commit known to the server.
  r = push({"main"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(back) + ": signature time " +
                              std::to_string(now - 3 * 86400) + " is more than max_clock_skew (86400 s) away from now"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(FalsePassTest, Threat29RepublishedTagFailsInEveryMode) {
  tag_as(alice, "v1.0", root);
  serve({"main", "v1.0"});
  std::string object = repo.git({"rev-parse", "v1.0"});
  repo.git({"update-ref", "refs/tags/v2.0", object});
  const std::string why = "tag v2.0: tag name mismatch: refs/tags/v2.0 holds tag object " + s12(object) + " named v1.0";
  RunResult r = v({"--format", "json", "verify-tag", "v2.0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["errors"][0], why);
  r = v({"--format", "json", "verify-tag", "--keyring", repo.path() + "/.vouch/keys", "v2.0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["errors"][0], why);
  r = push({"v2.0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/tags/v2.0: " + why)) << r.err;
  EXPECT_EQ(server_ref("refs/tags/v2.0"), "");
  EXPECT_EQ(v({"verify-tag", "v1.0"}).exit_code, 0);
}

TEST_F(FalsePassTest, Threat34RemovedMaintainerCannotTagOldCommits) {
  // serial 1 lists mallory as a maintainer; serial 2 removes him (he approves his own removal, as
  // the implicit policy rule needs every maintainer).
  std::string c1 = repo.commit({{".vouch/policy.toml",
                                 policy_for(2, {{"alice", &alice}, {"bob", &bob}, {"mallory", &mallory}},
                                            "\"alice\", \"bob\", \"mallory\"")},
                                {".vouch/keys/mallory.pub", mallory.public_line + "\n"}},
                               "add mallory", Signer::ssh(alice));
  ASSERT_EQ(v({"approve", c1, "--key", bob.private_path}).exit_code, 0);
  run_ok({"rm", repo.path() + "/.vouch/keys/mallory.pub"});
  std::string c2 = repo.commit({{".vouch/policy.toml", policy_for(3, {{"alice", &alice}, {"bob", &bob}},
                                                                  "\"alice\", \"bob\"")}},
                               "remove mallory", Signer::ssh(alice));
  for (const SshKey* k : {&bob, &mallory}) ASSERT_EQ(v({"approve", c2, "--key", k->private_path}).exit_code, 0);
  ASSERT_EQ(v({"verify"}).exit_code, 0) << v({"verify"}).out;
  serve({"main", "refs/notes/vouch"});
  tag_as(mallory, "v9.9", c1);
  // verify-tag judges by the tagged commit's policy, which lists mallory ...
  EXPECT_EQ(v({"verify-tag", "v9.9"}).exit_code, 0);
  // ... but a newly pushed tag must also pass the policy in force.
  RunResult r = push({"v9.9"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/tags/v9.9: tag v9.9: under the policy in force (" + s12(c2) +
                              "): signature unknown-key by ssh:" + mallory.fingerprint + ": key ssh:" +
                              mallory.fingerprint + " is not in the keyring"))
      << r.err;
  EXPECT_EQ(server_ref("refs/tags/v9.9"), "");
  tag_as(alice, "v1.1", c1);
  EXPECT_EQ(push({"v1.1"}).exit_code, 0);
}

TEST_F(FalsePassTest, Threat37PolicyFileKeysNeverComeFromTheVerifiedTree) {
  // The trusted policy (kept by CI outside the repository) limits bob's key to yesterday.
  std::string trusted = dir / "trusted";
  run_ok({"mkdir", "-p", trusted + "/keys"});
  write_file(trusted + "/policy.toml",
             "keyring = \"keys\"\n" + policy_for(1, {{"alice", &alice}, {"bob", &bob}}, "\"alice\", \"bob\""));
  write_file(trusted + "/keys/allowed_signers",
             "alice@x " + alice.public_line + "\nbob@x valid-before=\"20200101Z\" " + bob.public_line + "\n");
  // The pull request's own tree lifts the limit, and its commit is by bob.
  write_file(repo.path() + "/keys/allowed_signers", "bob@x " + bob.public_line + "\n");
  std::string pr = repo.commit({{"src/x.c", "x\n"}}, "pull request", Signer::ssh(bob));
  RunResult r = v({"--format", "json", "verify", "--policy", trusted + "/policy.toml", root + ".." + pr});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["commits"][0]["signature"]["status"], "expired-key");
  // A symbolic link out of the policy's directory is not followed.
  run_ok({"mkdir", "-p", dir / "elsewhere"});
  write_file(dir / "elsewhere/bob.pub", bob.public_line + "\n");
  run_ok({"ln", "-s", dir / "elsewhere/bob.pub", trusted + "/keys/bob.pub"});
  r = v({"verify", "--policy", trusted + "/policy.toml", root + ".." + pr});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: keyring " + trusted + "/keys: " + trusted + "/keys/bob.pub leads out of the policy's "
                   "directory " + trusted + " (symbolic links out of it are not followed)\n");
}

}  // namespace
}  // namespace vouch::test
