// End to end, --color: ANSI colour on the verdict words when asked for
// (always, even with NO_COLOR set), or in auto mode when stdout is a terminal
// and neither NO_COLOR nor TERM=dumb says otherwise; none with never, none in
// a pipe, and never in JSON. The exact bytes of each.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

/// Runs the vouch binary with its stdout on a fresh pseudo-terminal
/// (so isatty() is true, as in a user's shell) and returns the exit status and
/// everything it printed, with the terminal's "\r\n" turned back into "\n".
/// `env`: variables to set ("" value: unset) on top of the test's environment.
RunResult vouch_on_terminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {vouch_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    ADD_FAILURE() << "forkpty failed";
    return {};
  }
  if (pid == 0) {
    for (const auto& [name, value] : env) {
      if (value.empty()) ::unsetenv(name.c_str());
      else ::setenv(name.c_str(), value.c_str(), 1);
    }
    // stderr (the progress line a terminal gets) goes nowhere: only stdout is compared.
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, STDERR_FILENO);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  RunResult r;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.out.append(buf, static_cast<size_t>(n));
      continue;
    }
    break;  // EIO: the child closed the terminal
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::string out;
  for (size_t i = 0; i < r.out.size(); ++i)
    if (!(r.out[i] == '\r' && i + 1 < r.out.size() && r.out[i + 1] == '\n')) out += r.out[i];
  r.out = out;
  return r;
}

const std::string kRed = "\033[1;31m", kGreen = "\033[32m", kReset = "\033[0m";

class ColorTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  std::string keys = dir / "keyring";
  std::string good, unsigned_;

  void SetUp() override {
    run_ok({"mkdir", "-p", keys});
    SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
    write_file(keys + "/alice.pub", alice.public_line + "\n");
    good = repo.commit({{"a.txt", "1"}}, "signed", Signer::ssh(alice));
    unsigned_ = repo.commit({{"b.txt", "2"}}, "unsigned", Signer::none());
    fingerprint = alice.fingerprint;
  }
  std::string fingerprint;

  std::vector<std::string> verify(std::vector<std::string> before = {}) const {
    before.insert(before.end(), {"-C", repo.path(), "verify", "--keyring", keys});
    return before;
  }
  /// The report, with `fail` and `ok` around the verdict words.
  std::string report(const std::string& fail_on, const std::string& ok_on, const std::string& off) const {
    return unsigned_.substr(0, 12) + " " + fail_on + "FAIL" + off + " missing: not signed  # unsigned\n" + good.substr(0, 12) +
           " " + ok_on + "ok" + off + "   good ssh:" + fingerprint + "  # signed\n2 commits: 1 passed, 1 failed\n";
  }
  std::string plain() const { return report("", "", ""); }
  std::string coloured() const { return report(kRed, kGreen, kReset); }
};

TEST_F(ColorTest, AlwaysColoursTheVerdictWordsNeverAndPipesDoNot) {
  RunResult r = vouch(verify({"--color", "always"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, coloured());

  // An explicit --color always wins over NO_COLOR.
  r = vouch(verify({"--color", "always"}), "", {{"NO_COLOR", "1"}});
  EXPECT_EQ(r.out, coloured());

  r = vouch(verify({"--color", "never"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, plain());

  r = vouch(verify());  // auto, and stdout is a pipe
  EXPECT_EQ(r.out, plain());
}

TEST_F(ColorTest, AutoColoursATerminalUnlessNoColorOrDumb) {
  RunResult r = vouch_on_terminal(verify(), {{"NO_COLOR", ""}, {"TERM", "xterm"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, coloured());

  r = vouch_on_terminal(verify(), {{"NO_COLOR", "1"}, {"TERM", "xterm"}});
  EXPECT_EQ(r.out, plain());

  r = vouch_on_terminal(verify(), {{"NO_COLOR", ""}, {"TERM", "dumb"}});
  EXPECT_EQ(r.out, plain());

  r = vouch_on_terminal(verify({"--color", "never"}), {{"NO_COLOR", ""}, {"TERM", "xterm"}});
  EXPECT_EQ(r.out, plain());
}

TEST_F(ColorTest, JsonIsNeverColoured) {
  for (const std::string mode : {"always", "auto"}) {
    RunResult r = mode == "auto" ? vouch_on_terminal(verify({"--format", "json"}), {{"NO_COLOR", ""}, {"TERM", "xterm"}})
                                 : vouch(verify({"--format", "json", "--color", mode}));
    EXPECT_EQ(r.exit_code, 1) << mode;
    EXPECT_EQ(r.out.find('\033'), std::string::npos) << mode << ": " << r.out;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << mode << ": " << r.out;
    EXPECT_EQ(j["verdict"], "fail");
  }
}

TEST_F(ColorTest, UnknownColorModeIsBadInput) {
  RunResult r = vouch(verify({"--color", "sometimes"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "vouch: error: --color: sometimes not in {auto,always,never}; see vouch --help\n");
}

}  // namespace
}  // namespace vouch::test
