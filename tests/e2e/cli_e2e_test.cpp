// End to end, the command line itself: --version, near-miss suggestions for
// mistyped commands and options, hook uninstall.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vouch::test {
namespace {

TEST(CliTest, VersionNamesTheBuildAndEveryLibrary) {
  RunResult r = vouch({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("vouch 0.1.0 (git ")) << r.out;
  for (const char* lib : {"libgit2 1.5", "GPGME 1.", "libsodium 1.", "OpenSSL 3.", "SQLite 3.", "libarchive 3.",
                          "libunistring 1.", "toml++ 3.", "nlohmann-json 3.", "CLI11 2."})
    EXPECT_NE(r.out.find(lib), std::string::npos) << lib << " missing from: " << r.out;
}

TEST(CliTest, MistypedCommandsAndOptionsGetANearMiss) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const Case cases[] = {
      {{"verfy"}, "vouch: error: unknown command 'verfy' for 'vouch' (did you mean 'verify'?); see vouch --help\n"},
      {{"-C", "/tmp", "verfy"},
       "vouch: error: unknown command 'verfy' for 'vouch' (did you mean 'verify'?); see vouch --help\n"},
      {{"trust", "chek", "x"},
       "vouch: error: unknown command 'chek' for 'vouch trust' (did you mean 'check'?); see vouch trust --help\n"},
      {{"verify", "--fial-fast"}, "vouch: error: unknown option '--fial-fast' for 'vouch verify' (did you mean "
                                  "'--fail-fast'?); see vouch verify --help\n"},
      {{"--versoin"}, "vouch: error: unknown option '--versoin' for 'vouch' (did you mean '--version'?); see vouch "
                      "--help\n"},
      {{"frobnicate"}, "vouch: error: unknown command 'frobnicate' for 'vouch'; see vouch --help\n"},
      {{}, "vouch: error: 'vouch' needs a command; see vouch --help\n"},
      {{"hook"}, "vouch: error: 'vouch hook' needs a command; see vouch hook --help\n"},
      {{"verify-file", "f", "--signature", "s"}, "vouch: error: --keyring is required; see vouch --help\n"},
  };
  for (const auto& c : cases) {
    RunResult r = vouch(c.args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, c.err);
  }
}

TEST(CliTest, HookUninstallRemovesOnlyVouchHooks) {
  TempDir dir;
  run_ok({"git", "init", "-q", "--bare", dir / "srv.git"});
  std::string hooks = dir / "srv.git/hooks";
  RunResult r = vouch({"-C", dir / "srv.git", "hook", "install", "--pre-receive", "--update",
                       "--trust-root", std::string(40, 'a')});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file(hooks + "/pre-push", "#!/bin/sh\necho mine\n");
  r = vouch({"-C", dir / "srv.git", "hook", "uninstall"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "removed " + hooks + "/pre-receive\nremoved " + hooks + "/update\nleft " + hooks +
                       "/pre-push in place: vouch did not write it\n");
  EXPECT_EQ(read_file(hooks + "/pre-push"), "#!/bin/sh\necho mine\n");
  r = vouch({"-C", dir / "srv.git", "hook", "uninstall", "--pre-receive"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "no vouch hook installed in " + hooks + "\n");
}

TEST(CliTest, HookInstallOnAServerWhoseHeadNamesNoCommitSaysSo) {
  // `git init --bare` points HEAD at master; the push brings only main.
  TempDir dir;
  TestRepo repo(dir / "r", nullptr);
  repo.commit({{"a.txt", "1"}}, "first", TestRepo::Signer::none());
  run_ok({"git", "init", "-q", "--bare", dir / "srv.git"});
  run_ok({"git", "-C", repo.path(), "push", "-q", dir / "srv.git", "HEAD:refs/heads/main"});
  run_ok({"git", "-C", dir / "srv.git", "symbolic-ref", "HEAD", "refs/heads/master"});
  RunResult r = vouch({"-C", dir / "srv.git", "hook", "install"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "installed " + dir / "srv.git/hooks/pre-receive" + " (runs " + vouch_binary() +
                       " hook run pre-receive)\n"
                       "no trust root (none: HEAD names no commit; point it at the main branch: git symbolic-ref "
                       "HEAD refs/heads/main): every branch and tag push will be refused until you run\n"
                       "  git -C " + dir / "srv.git" + " config vouch.trustRoot OID\n"
                       "(OID: the first commit whose .vouch/policy.toml you accept as given)\n");
}

}  // namespace
}  // namespace vouch::test
