// Crash tests without any hook in vouch: strace (Debian package strace,
// installed by scripts/bootstrap) kills the real binary with SIGKILL when it
// enters its Nth call of one write syscall, and a test repeats the command
// once for every such call that a normal run makes. See docs/testing.md
// "Kill points".
//
// strace counts injections per syscall and per traced process, so a kill
// point is a (syscall, N) pair in one process: a dry run under strace lists
// every write syscall the process makes, in order, and each becomes one
// kill run with `-e inject=SYSCALL:signal=SIGKILL:when=N`. The signal is
// delivered on entry, so the call itself never happens.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "test_env.h"

namespace vouch::test {

/// Every syscall through which a process changes files: data, durability,
/// names, directories, and the process creation that starts another step.
inline constexpr const char* kWriteSyscalls =
    "write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,ftruncate,rename,renameat,renameat2,"
    "unlink,unlinkat,link,linkat,symlink,symlinkat,mkdir,mkdirat,rmdir";
/// The write syscalls plus the calls that start a child process: killing
/// the parent there stops it between two steps that each run a program.
inline constexpr const char* kWriteAndSpawnSyscalls =
    "write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,ftruncate,rename,renameat,renameat2,"
    "unlink,unlinkat,link,linkat,symlink,symlinkat,mkdir,mkdirat,rmdir,clone,clone3,fork,vfork";

/// One place where a process can be killed: its `nth` call of `syscall`.
struct KillPoint {
  std::string syscall;
  int nth = 0;
  std::string trace_line;  ///< what the dry run showed there, for failure messages
};

/// Parses an strace log (`-o` file, one process, or `-f` with pid prefixes)
/// into kill points. With several processes a point's `nth` is the largest
/// per-process count, since strace counts per process: every (syscall, n)
/// up to the maximum is listed once.
inline std::vector<KillPoint> parse_kill_points(const std::string& log) {
  std::vector<KillPoint> points;
  std::map<std::string, std::map<std::string, int>> per_pid;  // pid -> syscall -> count
  std::map<std::string, int> listed;                           // syscall -> highest n listed
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    std::string line = log.substr(start, end - start);
    start = end + 1;
    std::string pid;
    size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    if (i > 0 && i < line.size() && line[i] == ' ') {
      pid = line.substr(0, i);
      while (i < line.size() && line[i] == ' ') ++i;
    } else {
      i = 0;
    }
    // "<... write resumed>" continues a call already counted at its start.
    if (line.compare(i, 4, "<...") == 0 || line.compare(i, 3, "---") == 0 || line.compare(i, 3, "+++") == 0)
      continue;
    const size_t paren = line.find('(', i);
    if (paren == std::string::npos) continue;
    const std::string name = line.substr(i, paren - i);
    if (name.empty() || name.find(' ') != std::string::npos) continue;
    const int n = ++per_pid[pid][name];
    if (n > listed[name]) {
      listed[name] = n;
      points.push_back({name, n, line});
    }
  }
  return points;
}

/// The points a test kills at: all of them, or under AddressSanitizer (where
/// every run of the instrumented binary costs several times more) every
/// fourth one plus the last. The dev build's run covers every point; the
/// asan run still crosses each kind of write with the sanitizers on
/// (docs/testing.md, "Sanitizers").
inline std::vector<KillPoint> sampled(std::vector<KillPoint> points) {
  if (!kUnderAsan || points.size() <= 4) return points;
  std::vector<KillPoint> out;
  for (size_t i = 0; i < points.size(); ++i)
    if (i % 4 == 0 || i + 1 == points.size()) out.push_back(points[i]);
  return out;
}

/// `opts` for a process that runs under strace: LeakSanitizer (the asan
/// preset) cannot work under ptrace and would fail every traced run at exit,
/// so it is switched off there; ASan and UBSan stay on.
inline RunOptions traced(RunOptions opts) {
  const char* asan = std::getenv("ASAN_OPTIONS");
  std::string value = asan != nullptr ? asan : "";
  opts.env["ASAN_OPTIONS"] = value + (value.empty() ? "" : ":") + "detect_leaks=0";
  return opts;
}

/// Runs `argv` under strace without killing it; returns its kill points.
/// `follow`: trace child processes too (-f).
inline std::vector<KillPoint> dry_run_kill_points(const std::vector<std::string>& argv, const RunOptions& opts,
                                                  const std::string& log_path, const char* syscalls,
                                                  bool follow = false, int* exit_code = nullptr) {
  std::vector<std::string> s = {"strace", "-qq", "-y", "-o", log_path, "-e", std::string("trace=") + syscalls};
  if (follow) s.push_back("-f");
  s.push_back("--");
  s.insert(s.end(), argv.begin(), argv.end());
  RunResult r = run(s, traced(opts));
  if (exit_code) *exit_code = r.exit_code;
  EXPECT_EQ(r.exit_code, 0) << "dry run: " << r.out << r.err;
  return parse_kill_points(read_file(log_path));
}

/// The strace argument vector that runs `argv` and SIGKILLs it at `p`.
inline std::vector<std::string> killed_at(const KillPoint& p, const std::vector<std::string>& argv,
                                          bool follow = false) {
  std::vector<std::string> s = {"strace", "-qq", "-o", "/dev/null", "-e", "trace=" + p.syscall,
                                "-e", "inject=" + p.syscall + ":signal=SIGKILL:when=" + std::to_string(p.nth)};
  if (follow) s.push_back("-f");
  s.push_back("--");
  s.insert(s.end(), argv.begin(), argv.end());
  return s;
}

}  // namespace vouch::test
