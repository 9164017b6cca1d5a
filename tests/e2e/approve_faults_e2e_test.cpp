// Crash tests for the commands that write refs/notes/vouch: `vouch approve`
// killed (SIGKILL, by strace; kill_points.h) at every write syscall it makes,
// and `vouch approvals sync` killed at every write and process start of its
// own and at every write syscall of each git process it runs. After every
// kill, refs/notes/vouch of each repository holds the notes as before the
// command or as after it, never anything in between, and stays readable.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_support.h"
#include "kill_points.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
using Signer = TestRepo::Signer;
constexpr int kKilled = 128 + 9;

void copy_tree(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

class ApproveFaultsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string policy = "version = 1\nserial = 1\nrepository = \"example/xz\"\n\n"
                               "[people.alice]\nkeys = [\"" + id(alice_) + "\"]\n"
                               "[people.bob]\nkeys = [\"" + id(bob_) + "\"]\n"
                               "\n[groups]\nmaintainers = [\"alice\", \"bob\"]\n\n[commits]\n"
                               "require = [\"1 of maintainers\"]\n";
    repo_.commit({{".vouch/policy.toml", policy},
                  {".vouch/keys/alice.pub", alice_.public_line + "\n"},
                  {".vouch/keys/bob.pub", bob_.public_line + "\n"}},
                 "policy", Signer::ssh(alice_));
    head_ = repo_.commit({{"src.c", "int main;\n"}}, "change", Signer::ssh(alice_));
  }

  static std::string id(const SshKey& k) { return "ssh:" + k.fingerprint; }
  std::map<std::string, std::string> env() const {
    auto e = repo_.env();
    e["VOUCH_DB"] = dir_ / "no-trust.db";  // never the user's database; absent: no database
    e["VOUCH_NOW"] = "1770000000";
    return e;
  }
  std::vector<std::string> argv(const std::string& repo, std::vector<std::string> args) const {
    args.insert(args.begin(), {vouch_binary(), "-C", repo});
    return args;
  }
  /// The note lines of head_ in refs/notes/vouch of `git_dir`, or "(no ref)";
  /// "(unreadable: ...)" when git cannot read the ref.
  std::string notes(const std::string& git_dir) {
    RunResult has = run({"git", "--git-dir", git_dir, "rev-parse", "-q", "--verify", "refs/notes/vouch"},
                        {.env = env()});
    if (has.exit_code != 0) return "(no ref)";
    RunResult n = run({"git", "--git-dir", git_dir, "notes", "--ref", "vouch", "show", head_}, {.env = env()});
    if (n.exit_code != 0) return "(unreadable: " + n.err + ")";
    return n.out;
  }

  TempDir dir_;
  SshKey alice_ = make_ssh_key(dir_.path(), "alice", "ed25519");
  SshKey bob_ = make_ssh_key(dir_.path(), "bob", "ed25519");
  TestRepo repo_{dir_ / "a", nullptr};
  std::string head_;
};

TEST_F(ApproveFaultsE2E, ApproveKilledAtEveryWrite) {
  // Bob's approval is there already: alice's is appended to an existing note.
  RunResult first = run(argv(repo_.path(), {"approve", "HEAD", "--key", bob_.private_path}), {.env = env()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string work = dir_ / "w";
  const std::string before = notes(repo_.path() + "/.git");
  copy_tree(repo_.path(), work);
  const auto cmd = argv(work, {"approve", "HEAD", "--key", alice_.private_path});
  const auto points = dry_run_kill_points(cmd, {.env = env()}, dir_ / "strace.log", kWriteSyscalls);
  const std::string after = notes(work + "/.git");
  ASSERT_NE(before, after);
  ASSERT_GT(points.size(), 5u);
  int saw_before = 0, saw_after = 0;
  for (const KillPoint& p : sampled(points)) {
    copy_tree(repo_.path(), work);
    RunResult r = run(killed_at(p, cmd), traced({.env = env()}));
    EXPECT_EQ(r.exit_code, kKilled) << p.trace_line << ": " << r.out << r.err;
    const std::string state = notes(work + "/.git");
    if (state == before) ++saw_before;
    else if (state == after) ++saw_after;
    else ADD_FAILURE() << "approve killed at " << p.trace_line << " left notes that are neither before nor after:\n"
                       << state;
    // The repository is intact: git finds no broken object or ref.
    RunResult fsck = run({"git", "--git-dir", work + "/.git", "fsck", "--no-dangling", "--no-progress"},
                         {.env = env()});
    EXPECT_EQ(fsck.exit_code, 0) << p.trace_line << ": " << fsck.out << fsck.err;
  }
  EXPECT_GT(saw_before, 0);
  EXPECT_GT(saw_after, 0);
}

/// `approvals sync` between a clone and a bare origin that each hold an
/// approval the other lacks.
class SyncFaultsE2E : public ApproveFaultsE2E {
 protected:
  void SetUp() override {
    ApproveFaultsE2E::SetUp();
    const std::string origin = work_ + "/origin.git", local = work_ + "/local";
    fs::create_directories(work_);
    run_ok({"git", "init", "-q", "--bare", "-b", "main", origin}, {.env = env()});
    repo_.git({"remote", "add", "origin", origin});
    repo_.git({"push", "-q", "origin", "main"});
    ASSERT_EQ(run(argv(repo_.path(), {"approve", "HEAD", "--key", bob_.private_path}), {.env = env()}).exit_code, 0);
    repo_.git({"push", "-q", "origin", "refs/notes/vouch"});
    run_ok({"git", "clone", "-q", origin, local}, {.env = env()});
    run_ok({"git", "-C", local, "config", "user.name", "Clone"}, {.env = env()});
    run_ok({"git", "-C", local, "config", "user.email", "clone@example.org"}, {.env = env()});
    ASSERT_EQ(run(argv(local, {"approve", "HEAD", "--key", alice_.private_path}), {.env = env()}).exit_code, 0);
    copy_tree(work_, base_);
    // A `git` first on PATH that runs the real one, under strace when the
    // test says so: its Nth start (counted in a file) is traced into a log
    // (dry run) or killed at one write syscall.
    real_git_ = run_ok({"sh", "-c", "command -v git"});
    while (!real_git_.empty() && real_git_.back() == '\n') real_git_.pop_back();
    fs::create_directories(dir_ / "bin");
    write_file(dir_ / "bin/git",
               "#!/bin/sh\n"
               "n=$(($(cat \"$KP_COUNTER\" 2>/dev/null || echo 0) + 1)); echo $n > \"$KP_COUNTER\"\n"
               "if [ -n \"$KP_LOG\" ]; then exec strace -f -qq -y -o \"$KP_LOG.$n\" -e trace=" +
                   std::string(kWriteSyscalls) + " -- " + real_git_ + " \"$@\"; fi\n"
               "if [ \"$n\" = \"$KP_TARGET\" ]; then exec strace -f -qq -o /dev/null -e trace=$KP_SYSCALL "
               "-e inject=$KP_SYSCALL:signal=SIGKILL:when=$KP_NTH -- " + real_git_ + " \"$@\"; fi\n"
               "exec " + real_git_ + " \"$@\"\n");
    run_ok({"chmod", "+x", dir_ / "bin/git"});
  }
  std::map<std::string, std::string> sync_env(std::map<std::string, std::string> extra = {}) const {
    auto e = env();
    e["PATH"] = dir_ / "bin" + ":" + std::getenv("PATH");
    e["KP_COUNTER"] = dir_ / "git-count";
    extra.insert(e.begin(), e.end());
    return extra;
  }
  std::string work_ = dir_ / "work", base_ = dir_ / "base";
  std::string real_git_;
};

TEST_F(SyncFaultsE2E, SyncKilledAtEveryWriteOfItsOwnAndOfEachGit) {
  const std::string local_before = notes(work_ + "/local/.git"), origin_before = notes(work_ + "/origin.git");
  const auto cmd = argv(work_ + "/local", {"approvals", "sync"});

  // Dry run: vouch's own writes and process starts, and every git's writes.
  std::error_code ec;
  fs::remove(dir_ / "git-count", ec);
  const auto own = dry_run_kill_points(cmd, {.env = sync_env({{"KP_LOG", dir_ / "git.log"}})}, dir_ / "vouch.log",
                                       kWriteAndSpawnSyscalls);
  const std::string local_after = notes(work_ + "/local/.git"), origin_after = notes(work_ + "/origin.git");
  ASSERT_NE(local_before, local_after);
  ASSERT_NE(origin_before, origin_after);
  ASSERT_EQ(local_after, origin_after);
  const int gits = std::stoi(read_file(dir_ / "git-count"));
  ASSERT_GE(gits, 4);  // ls-remote, rev-parse, fetch, notes merge, push, update-ref -d

  auto check = [&](const std::string& where) {
    const std::string local = notes(work_ + "/local/.git"), origin = notes(work_ + "/origin.git");
    EXPECT_TRUE(local == local_before || local == local_after)
        << "sync killed at " << where << " left the clone's notes in between:\n" << local;
    EXPECT_TRUE(origin == origin_before || origin == origin_after)
        << "sync killed at " << where << " left origin's notes in between:\n" << origin;
    return local == local_after && origin == origin_after;
  };

  int runs = 0, completed_state = 0;
  for (const KillPoint& p : sampled(own)) {
    copy_tree(base_, work_);
    fs::remove(dir_ / "git-count", ec);
    RunResult r = run(killed_at(p, cmd), traced({.env = sync_env()}));
    EXPECT_EQ(r.exit_code, kKilled) << p.trace_line << ": " << r.out << r.err;
    completed_state += check("vouch's " + p.trace_line);
    ++runs;
  }
  for (int g = 1; g <= gits; ++g) {
    const auto points = parse_kill_points(read_file(dir_ / ("git.log." + std::to_string(g))));
    for (const KillPoint& p : sampled(points)) {
      copy_tree(base_, work_);
      fs::remove(dir_ / "git-count", ec);
      RunResult r = run(cmd, {.env = sync_env({{"KP_TARGET", std::to_string(g)},
                                               {"KP_SYSCALL", p.syscall},
                                               {"KP_NTH", std::to_string(p.nth)}})});
      // A killed git is a failed step: vouch says so (exit 3) unless the
      // kill came after the step's work was done.
      EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << "git #" << g << " at " << p.trace_line << ": " << r.err;
      completed_state += check("git #" + std::to_string(g) + "'s " + p.trace_line);
      ++runs;
    }
  }
  EXPECT_GT(runs, 20);
  EXPECT_GT(completed_state, 0);
  RecordProperty("kill_points", runs);
}

}  // namespace
}  // namespace vouch::test
