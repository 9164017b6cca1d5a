// End to end, hooks: a bare "server" repository with vouch's hooks installed
// by the real binary, a working clone pushing to it over a file path, real
// SSH-signed commits and tags under a real policy, real approvals pushed in
// refs/notes/vouch. git runs the hooks with the pushed objects in its
// quarantine directory, so every accepted push here also proves vouch reads
// them. Threats 21 (back-dated commit) and 22 (deletion / force-push of a
// protected ref).
#include <gtest/gtest.h>

#include <ctime>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

std::string hook_policy(const SshKey& lasse, const SshKey& jia, const SshKey& sam) {
  return "version = 1\nserial = 1\nrepository = \"example/xz\"\n\n"
         "[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint + "\"]\n"
         "[people.jia]\nkeys = [\"ssh:" + jia.fingerprint + "\"]\n"
         "[people.sam]\nkeys = [\"ssh:" + sam.fingerprint + "\"]\n\n"
         "[groups]\nmaintainers = [\"lasse\", \"jia\"]\nsecurity = [\"sam\"]\n\n"
         "[commits]\nrequire = [\"1 of maintainers\"]\n\n"
         "[[rules]]\nname = \"build-system\"\npaths = [\"m4/**\", \"configure.ac\"]\n"
         "require = [\"1 of maintainers\", \"1 of security\"]\n\n"
         "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"2 of maintainers\"]\n\n"
         "[refs]\nprotected = [\"refs/heads/main\", \"refs/tags/*\"]\nmax_clock_skew = \"1d\"\n";
}

class HooksTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  SshKey lasse = make_ssh_key(dir.path(), "lasse", "ed25519");
  SshKey jia = make_ssh_key(dir.path(), "jia", "ed25519");
  SshKey sam = make_ssh_key(dir.path(), "sam", "ed25519");
  TestRepo repo{dir / "work", &gpg};
  std::string server = dir / "srv.git";
  std::string root;

  void SetUp() override {
    run_ok({"git", "init", "-q", "--bare", "-b", "main", server}, {.env = repo.env()});
    repo.git({"remote", "add", "origin", server});
    root = repo.commit({{".vouch/policy.toml", hook_policy(lasse, jia, sam)},
                        {".vouch/keys/lasse.pub", lasse.public_line + "\n"},
                        {".vouch/keys/jia.pub", jia.public_line + "\n"},
                        {".vouch/keys/sam.pub", sam.public_line + "\n"},
                        {"README", "xz\n"}},
                       "Adopt vouch", Signer::ssh(lasse));
  }

  /// `vouch hook install ARGS` on the server, by the real binary.
  void install_server_hook(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"-C", server, "hook", "install", "--trust-root", root});
    RunResult r = vouch(args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  RunResult push(const std::vector<std::string>& refspecs, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {"push", "--porcelain"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("origin");
    args.insert(args.end(), refspecs.begin(), refspecs.end());
    return repo.git_raw(args);
  }
  /// The server's value of `ref`, "" when it does not exist.
  std::string server_ref(const std::string& ref) {
    RunResult r = run({"git", "--git-dir", server, "rev-parse", "-q", "--verify", ref}, {.env = repo.env()});
    if (r.exit_code != 0) return "";
    return r.out.substr(0, r.out.find('\n'));
  }
  void approve(const std::string& rev, const SshKey& who) {
    RunResult r = vouch({"-C", repo.path(), "approve", rev, "--key", who.private_path});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  /// Server with the pre-receive hook and main = root, pushed through the hook.
  void serve_main() {
    install_server_hook();
    RunResult r = push({"main"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    ASSERT_EQ(server_ref("refs/heads/main"), root);
  }
  static std::string s12(const std::string& oid) { return oid.substr(0, 12); }
  /// Whether `text` has `line` as a whole line (git pads "remote:" lines with spaces).
  static bool has_line(const std::string& text, const std::string& line) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string l = text.substr(pos, end - pos);
      while (!l.empty() && l.back() == ' ') l.pop_back();
      if (l == line) return true;
      pos = end + 1;
    }
    return false;
  }
};

TEST_F(HooksTest, NewBranchFromTheTrustRootIsAccepted) {
  serve_main();
  std::string c = repo.commit({{"src/main.c", "int main;\n"}}, "code", Signer::ssh(jia));
  repo.git({"branch", "feature", c});
  RunResult r = push({"feature"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/feature"), c);
  // An ordinary fast-forward of main is verified as root..c and accepted.
  r = push({"main"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), c);
}

TEST_F(HooksTest, UnsignedCommitIsRefusedAndTheRefStays) {
  serve_main();
  std::string c = repo.commit({{"src/main.c", "x\n"}}, "unsigned", Signer::none());
  RunResult r = push({"main"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(c) +
                                  ": signature missing: not signed"))
      << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(c) +
                                  ": rule commits needs 1 more of maintainers (have 0: -)"))
      << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: push refused (2 problems); no ref was updated")) << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(HooksTest, MissingApprovalIsRefusedThenAcceptedWithApprovalsInTheSamePush) {
  serve_main();
  std::string c = repo.commit({{"m4/build-to-host.m4", "dnl\n"}}, "m4", Signer::ssh(jia));
  RunResult r = push({"main"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(c) +
                                  ": rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);

  // sam approves; the notes and the branch travel in one push: the hook sees
  // the pushed notes (still in the quarantine) and accepts.
  approve(c, sam);
  r = push({"refs/notes/vouch", "main"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), c);
  EXPECT_EQ(server_ref("refs/notes/vouch"), repo.git({"rev-parse", "refs/notes/vouch"}).substr(0, 40));
}

TEST_F(HooksTest, ApprovalsPushedFirstThenTheBranch) {
  serve_main();
  std::string c = repo.commit({{"configure.ac", "AC_INIT\n"}}, "configure", Signer::ssh(lasse));
  approve(c, sam);
  RunResult r = push({"refs/notes/vouch"});  // a push of only refs/notes/vouch is accepted
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(server_ref("refs/notes/vouch"), "");
  r = push({"main"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), c);
}

TEST_F(HooksTest, Threat22DeletingProtectedMainIsRefused) {
  serve_main();
  RunResult r = push({":main"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: deleting a protected ref is refused (protected by "
                              "\"refs/heads/main\" in " + s12(root) + ":.vouch/policy.toml)"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(HooksTest, Threat22ForcePushOfProtectedMainIsRefused) {
  serve_main();
  std::string a = repo.commit({{"a", "a\n"}}, "a", Signer::ssh(jia));
  ASSERT_EQ(push({"main"}).exit_code, 0);
  repo.git({"reset", "-q", "--hard", root});
  std::string b = repo.commit({{"b", "b\n"}}, "b", Signer::ssh(jia));  // well signed, but rewrites history
  RunResult r = push({"main"}, {"--force"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: non-fast-forward update of a protected ref is "
                              "refused: " + s12(a) + " is not on the first-parent chain of " + s12(b) +
                              " (protected by \"refs/heads/main\" in " + s12(a) + ":.vouch/policy.toml)"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), a);
}

TEST_F(HooksTest, Threat21BackdatedCommitIsRefused) {
  serve_main();
  int64_t two_days_ago = static_cast<int64_t>(std::time(nullptr)) - 2 * 86400;
  std::string c = repo.commit({{"src/x.c", "x\n"}}, "back-dated", Signer::ssh(jia), two_days_ago);
  RunResult r = push({"main"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(c) + ": signature time " +
                                  std::to_string(two_days_ago) +
                                  " is more than max_clock_skew (86400 s) away from now"))
      << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: push refused (1 problem); no ref was updated")) << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(HooksTest, TagPushNeedsItsApprovals) {
  serve_main();
  repo.tag("v1.0", root, Signer::ssh(lasse));
  RunResult r = push({"refs/tags/v1.0"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/tags/v1.0: tag v1.0: rule tags[1] refs/tags/v* needs 1 "
                              "more of maintainers (have 1: lasse)"))
      << r.err;
  EXPECT_EQ(server_ref("refs/tags/v1.0"), "");
  approve("v1.0", jia);
  r = push({"refs/notes/vouch", "refs/tags/v1.0"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/tags/v1.0"), repo.git({"rev-parse", "refs/tags/v1.0"}).substr(0, 40));
}

TEST_F(HooksTest, OneBadRefRefusesTheWholePush) {
  serve_main();
  std::string good = repo.commit({{"good.c", "ok\n"}}, "good", Signer::ssh(jia));
  repo.git({"checkout", "-q", "-b", "feature", root});
  std::string bad = repo.commit({{"bad.c", "x\n"}}, "bad", Signer::none());
  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "other", good});
  RunResult r = push({"main", "feature", "other"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/feature: commit " + s12(bad) +
                                  ": signature missing: not signed"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  EXPECT_EQ(server_ref("refs/heads/feature"), "");
  EXPECT_EQ(server_ref("refs/heads/other"), "");
}

TEST_F(HooksTest, UpdateHookChecksOneRef) {
  install_server_hook({"--update"});
  ASSERT_EQ(push({"main"}).exit_code, 0);
  std::string c = repo.commit({{"m4/x.m4", "x\n"}}, "m4", Signer::ssh(jia));
  RunResult r = push({"main"});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: refs/heads/main: commit " + s12(c) +
                                  ": rule build-system needs 1 more of security (have 0: -) for m4/x.m4"))
      << r.err;
  EXPECT_TRUE(has_line(r.err, "remote: vouch: update of refs/heads/main refused (1 problem)")) << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
}

TEST_F(HooksTest, PrePushRefusesLocallyBeforeTheServerIsAsked) {
  ASSERT_EQ(push({"main"}).exit_code, 0);  // no server hook at all
  repo.git({"fetch", "-q", "origin"});
  RunResult inst = vouch({"-C", repo.path(), "hook", "install"});  // work tree: pre-push by default
  ASSERT_EQ(inst.exit_code, 0) << inst.err;
  EXPECT_EQ(inst.out, "installed " + repo.path() + "/.git/hooks/pre-push (runs " + vouch_binary() +
                          " hook run pre-push)\ntrust root " + root +
                          " (the oldest commit of refs/heads/main with .vouch/policy.toml)\n");
  EXPECT_EQ(repo.git({"config", "vouch.trustRoot"}), root);
  std::string c = repo.commit({{"m4/x.m4", "x\n"}}, "m4", Signer::ssh(jia));
  RunResult r = push({"main"});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "vouch: refs/heads/main: commit " + s12(c) +
                                  ": rule build-system needs 1 more of security (have 0: -) for m4/x.m4"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  // Deleting the protected main is stopped locally too.
  r = push({":main"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has_line(r.err, "vouch: refs/heads/main: deleting a protected ref is refused (protected by "
                              "\"refs/heads/main\" in " + s12(root) + ":.vouch/policy.toml)"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  // With the approval (notes pushed along) it goes through.
  approve(c, sam);
  r = push({"refs/notes/vouch", "main"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), c);
}

}  // namespace
}  // namespace vouch::test

namespace vouch::test {
namespace {

// Approvals that never left the laptop: pre-push counts only what the remote
// will have, names the approvals that are only local and how to share them;
// --share-approvals makes plain git push carry them.
TEST_F(HooksTest, PrePushCountsOnlyApprovalsTheRemoteWillHave) {
  serve_main();
  repo.git({"fetch", "-q", "origin"});
  ASSERT_EQ(vouch({"-C", repo.path(), "hook", "install", "--pre-push"}).exit_code, 0);
  std::string c = repo.commit({{"m4/x.m4", "x\n"}}, "m4", Signer::ssh(jia));
  approve(c, sam);
  RunResult r = push({"main"});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.err, "vouch: refs/heads/main: commit " + s12(c) +
                                  ": rule build-system needs 1 more of security (have 0: -) for m4/x.m4"))
      << r.err;
  EXPECT_TRUE(has_line(r.err, "vouch: refs/heads/main: commit " + s12(c) + ": 1 approval(s) in this clone are not "
                              "on origin, where they are checked; share them: vouch approvals sync origin (or git "
                              "push origin refs/notes/vouch)"))
      << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), root);
  // Configured once, a plain `git push` carries the approvals and is accepted by both hooks.
  RunResult inst = vouch({"-C", repo.path(), "hook", "install", "--pre-push", "--share-approvals", "origin"});
  ASSERT_EQ(inst.exit_code, 0) << inst.err;
  EXPECT_NE(inst.out.find("git config --add remote.origin.fetch +refs/notes/vouch:refs/notes/vouch\n"
                          "git config --add remote.origin.push refs/notes/vouch\n"
                          "git config --add remote.origin.push HEAD\n"),
            std::string::npos)
      << inst.out;
  r = repo.git_raw({"push", "origin"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_ref("refs/heads/main"), c);
  EXPECT_NE(server_ref("refs/notes/vouch"), "");
  // In a fresh clone without the notes, verify says where the approvals are.
  std::string clone = dir / "clone";
  run_ok({"git", "clone", "-q", server, clone}, {.env = repo.env()});
  run_ok({"git", "-C", clone, "config", "vouch.trustRoot", root}, {.env = repo.env()});
  RunResult v = vouch({"-C", clone, "--db", dir / "none.db", "--format", "json", "verify"});
  EXPECT_EQ(v.exit_code, 1) << v.err;
  EXPECT_EQ(nlohmann::json::parse(v.out)["warnings"][0],
            "no approvals in this repository (refs/notes/vouch does not exist); if others approved, fetch them: "
            "vouch approvals sync origin");
}

}  // namespace
}  // namespace vouch::test
