// Faults on the trust database's write paths: a process killed (SIGKILL, by
// strace; kill_points.h) at every write syscall it makes leaves the file
// exactly as before the command or as after it, never in between, and the audit log still verifies; a database
// that is locked past the busy timeout, read-only or corrupt gives exit 3
// (environment) or 2 (not a valid database) with one line, and loses nothing.
#include <grp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "e2e_support.h"
#include "kill_points.h"
#include "trustdb/sqlite.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kT0 = 1770000000;
constexpr int kKilled = 128 + 9;

/// Every row of every table, in rowid order, plus the schema version: two
/// equal dumps are the same trust state and the same log.
std::string dump(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string out;
  for (const char* table : {"meta", "keys", "key_subkeys", "people", "person_emails", "roots", "endorsements",
                            "revocations", "audit_log"}) {
    out += std::string("[") + table + "]\n";
    sqlite3_stmt* st = nullptr;
    const std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY rowid";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      out += "missing\n";
      continue;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* text = sqlite3_column_text(st, c);
        out += (c ? "|" : "") + (text ? std::string(reinterpret_cast<const char*>(text)) : std::string("NULL"));
      }
      out += "\n";
    }
    sqlite3_finalize(st);
  }
  sqlite3_stmt* v = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &v, nullptr);
  if (sqlite3_step(v) == SQLITE_ROW) out += "user_version " + std::to_string(sqlite3_column_int(v, 0)) + "\n";
  sqlite3_finalize(v);
  sqlite3_close(db);
  return out;
}

/// Copies a database with its -wal and -shm files (removing stale ones at `to`).
void copy_db(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    fs::remove(to + suffix, ec);
    if (fs::exists(from + suffix)) fs::copy_file(from + suffix, to + suffix);
  }
}

class TrustFaultsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_ = make_ssh_key(dir_.path(), "alice", "ed25519");
    carol_ = make_ssh_key(dir_.path(), "carol", "ed25519");
    dave_ = make_ssh_key(dir_.path(), "dave", "ed25519");
    erin_ = make_ssh_key(dir_.path(), "erin", "ed25519");
    frank_ = make_ssh_key(dir_.path(), "frank", "ed25519");
    ok(base_, {"key", "import", alice_.public_path, carol_.public_path, dave_.public_path});
    ok(base_, {"trust", "root", "add", id(alice_)});
    ok(base_, {"person", "add", "carol", "--email", "carol@example.org", "--key", id(carol_)});
  }

  RunResult v(const std::string& db, std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"--db", db});
    env["VOUCH_NOW"] = std::to_string(kT0);
    return vouch(args, dir_.path(), env);
  }
  std::string ok(const std::string& db, const std::vector<std::string>& args) {
    RunResult r = v(db, args);
    EXPECT_EQ(r.exit_code, 0) << testing::PrintToString(args) << "\n" << r.out << r.err;
    return r.out;
  }

  /// Runs `args` on a copy of base_ killed (SIGKILL, by strace) at each of
  /// its write syscalls in turn, every one that a normal run makes; every
  /// killed run must leave the state before or after the command, with an
  /// intact log. Returns how many kill points there were.
  int kill_at_every_write(const std::vector<std::string>& args) {
    const std::string work = dir_ / "work.db";
    const std::string before = dump(base_);
    copy_db(base_, work);
    std::vector<std::string> argv = {vouch_binary(), "--db", work};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunOptions opts{.cwd = dir_.path(), .env = {{"VOUCH_NOW", std::to_string(kT0)}}};
    const auto points = dry_run_kill_points(argv, opts, dir_ / "strace.log", kWriteSyscalls);
    const std::string after = dump(work);
    EXPECT_NE(before, after) << "the command changed nothing";
    int saw_before = 0, saw_after = 0;
    for (const KillPoint& p : sampled(points)) {
      copy_db(base_, work);
      RunResult r = run(killed_at(p, argv), traced(opts));
      EXPECT_EQ(r.exit_code, kKilled) << p.trace_line << ": " << r.out << r.err;
      const std::string state = dump(work);
      if (state == before) ++saw_before;
      else if (state == after) ++saw_after;
      else ADD_FAILURE() << testing::PrintToString(args) << " killed at " << p.trace_line
                         << " left a state that is neither before nor after:\n" << state;
      RunResult check = v(work, {"log", "--verify"});
      EXPECT_EQ(check.exit_code, 0) << p.trace_line << ": " << check.out << check.err;
    }
    EXPECT_GT(saw_before, 0);
    EXPECT_GT(saw_after, 0);
    return static_cast<int>(points.size());
  }

  static std::string id(const SshKey& k) { return "ssh:" + k.fingerprint; }

  TempDir dir_;
  std::string base_ = dir_ / "base.db";
  SshKey alice_, carol_, dave_, erin_, frank_;
};

TEST_F(TrustFaultsE2E, KeyImportKilledAtEveryWrite) {
  EXPECT_GT(kill_at_every_write({"key", "import", erin_.public_path, frank_.public_path, "--comment", "new"}), 10);
}

TEST_F(TrustFaultsE2E, EndorseKilledAtEveryWrite) {
  EXPECT_GT(kill_at_every_write({"endorse", carol_.public_path, "--as", alice_.private_path, "--depth", "1"}), 10);
}

TEST_F(TrustFaultsE2E, KeyRevokeKilledAtEveryWrite) {
  EXPECT_GT(kill_at_every_write({"key", "revoke", id(dave_), "--reason", "compromised", "--comment", "lost"}), 5);
}

TEST_F(TrustFaultsE2E, PersonRemoveKilledAtEveryWrite) {
  EXPECT_GT(kill_at_every_write({"person", "remove", "carol", "--with-keys"}), 5);
}

TEST_F(TrustFaultsE2E, KeyringImportKilledAtEveryWrite) {
  // A small bundle from another database: two keys, a person, an endorsement.
  const std::string other = dir_ / "other.db";
  ok(other, {"key", "import", alice_.public_path, erin_.public_path});
  ok(other, {"person", "add", "erin", "--email", "erin@example.org", "--key", id(erin_)});
  ok(other, {"endorse", erin_.public_path, "--as", alice_.private_path});
  const std::string bundle = dir_ / "bundle";
  ok(other, {"keyring", "export", bundle});
  EXPECT_GT(kill_at_every_write({"keyring", "import", bundle}), 20);
}

// Another process holds the write lock longer than the busy timeout.
TEST_F(TrustFaultsE2E, LockedPastTheTimeoutIsExit3AndChangesNothing) {
  const std::string before = dump(base_);
  auto holder = trust::sql::Connection::open(base_, SQLITE_OPEN_READWRITE, 1000);
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE(holder->exec("BEGIN IMMEDIATE").ok());
  RunResult r = v(base_, {"key", "import", erin_.public_path}, {{"VOUCH_DB_TIMEOUT_MS", "200"}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: trust database " + base_ + " is locked by another process (waited 200 ms)\n");
  // Readers are not blocked by a writer (WAL).
  EXPECT_EQ(v(base_, {"key", "list"}, {{"VOUCH_DB_TIMEOUT_MS", "200"}}).exit_code, 0);
  ASSERT_TRUE(holder->exec("ROLLBACK").ok());
  EXPECT_EQ(dump(base_), before);
  EXPECT_EQ(v(base_, {"log", "--verify"}).exit_code, 0);
}

/// Runs vouch as an unprivileged user (uid/gid 65534) when the test runs as
/// root, so that file permissions bind; as itself otherwise.
RunResult run_unprivileged(const std::vector<std::string>& argv) {
  if (::geteuid() != 0) return run(argv);
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  RunResult r;
  char buf[4096];
  for (ssize_t n; (n = ::read(out_pipe[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<size_t>(n));
  for (ssize_t n; (n = ::read(err_pipe[0], buf, sizeof buf)) > 0;) r.err.append(buf, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

TEST_F(TrustFaultsE2E, ReadOnlyDatabaseIsExit3AndChangesNothing) {
  const std::string before = dump(base_);
  // The directory and file readable by everybody, writable by nobody.
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(base_.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(erin_.public_path.c_str(), 0644), 0);
  RunResult r = run_unprivileged({vouch_binary(), "--db", base_, "key", "import", erin_.public_path});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err.rfind("vouch: error: trust database " + base_ + " is read-only (", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("): check the permissions of the file and its directory\n"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  ASSERT_EQ(::chmod(base_.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0700), 0);
  EXPECT_EQ(dump(base_), before);
}

// The directory is read-only but the file is writable: SQLite cannot make
// its write-ahead log beside it.
TEST_F(TrustFaultsE2E, ReadOnlyDirectoryIsExit3AndChangesNothing) {
  const std::string before = dump(base_);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(base_.c_str(), 0666), 0);
  ASSERT_EQ(::chmod(erin_.public_path.c_str(), 0644), 0);
  RunResult r = run_unprivileged({vouch_binary(), "--db", base_, "key", "import", erin_.public_path});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err.rfind("vouch: error: trust database " + base_ + " is read-only (", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_EQ(::chmod(base_.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0700), 0);
  EXPECT_EQ(dump(base_), before);
  EXPECT_EQ(v(base_, {"log", "--verify"}).exit_code, 0);
}

// The disk fills up in the middle of a write: RLIMIT_FSIZE (prlimit, with
// SIGXFSZ ignored so that write() fails with EFBIG as on a full disk) lets
// the write-ahead log grow to a few pages, then every write past the limit
// fails (SQLite reports an I/O error or a full disk). Portable and needs
// no root, unlike a small tmpfs.
TEST_F(TrustFaultsE2E, DiskFullMidWriteIsExit3AndChangesNothing) {
  // Enough new rows that the transaction needs more pages than the limit.
  std::vector<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.push_back(make_ssh_key(dir_.path(), "k" + std::to_string(i), "ed25519").public_path);
  const std::string before = dump(base_);
  // 36 KiB: room for the 32 KiB shared-memory index and the log's first
  // eight pages, not for the whole transaction.
  const std::string limit = "36864";
  std::vector<std::string> argv = {"sh", "-c", "trap '' XFSZ; exec prlimit --fsize=\"$0\" -- \"$@\"", limit,
                                   vouch_binary(), "--db", base_, "key", "import"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  RunResult r = run(argv, {.env = {{"VOUCH_NOW", std::to_string(kT0)}}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err.rfind("vouch: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(base_), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("disk"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(dump(base_), before);
  EXPECT_EQ(v(base_, {"log", "--verify"}).exit_code, 0);
  // With room again, the same import lands completely.
  std::vector<std::string> again = {"key", "import"};
  again.insert(again.end(), keys.begin(), keys.end());
  ok(base_, again);
  EXPECT_NE(dump(base_), before);
}

TEST_F(TrustFaultsE2E, CorruptDatabaseIsExit2AndOneLine) {
  int page = 0, size = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(base_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
                           "WHERE name = 'keys'", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    page = sqlite3_column_int(st, 0);
    size = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  ASSERT_GT(page, 1);
  {
    // Garbage over the keys table's root page.
    std::fstream f(base_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(page - 1) * size);
    const std::string junk(static_cast<size_t>(size), '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  for (const auto& args : std::vector<std::vector<std::string>>{{"key", "list"}, {"key", "import", erin_.public_path},
                                                                {"log", "--verify"}}) {
    RunResult r = v(base_, args);
    EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args) << r.out << r.err;
    EXPECT_EQ(r.err.rfind("vouch: error: " + base_ + " is not a valid vouch trust database: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace vouch::test
