#include "util/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace vouch::util {
namespace {

/// An unlinked temporary file: the child writes into it, we read it back.
class TempFd {
 public:
  TempFd() {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir != nullptr && dir[0] == '/' ? dir : "/tmp") + "/vouch-run.XXXXXX";
    fd_ = ::mkstemp(tmpl.data());
    if (fd_ >= 0) ::unlink(tmpl.c_str());
  }
  ~TempFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  TempFd(const TempFd&) = delete;
  TempFd& operator=(const TempFd&) = delete;
  int fd() const { return fd_; }
  std::string read_all() const {
    std::string s;
    if (::lseek(fd_, 0, SEEK_SET) < 0) return s;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd_, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) s.append(buf, static_cast<size_t>(n));
    return s;
  }

 private:
  int fd_ = -1;
};

}  // namespace

Result<ProcessResult> run_process(const std::vector<std::string>& argv, const EnvOverrides& env) {
  if (argv.empty()) return make_error(ErrorKind::internal, "run_process: no program");
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : env) replaced = replaced || entry.starts_with(name + "=");
    if (!replaced) env_strings.emplace_back(entry);
  }
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& s : copy) args.push_back(s.data());
  args.push_back(nullptr);
  TempFd out, err;
  if (out.fd() < 0 || err.fd() < 0)
    return make_error(ErrorKind::environment, std::string("cannot create a temporary file: ") + std::strerror(errno));
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa) != 0) return make_error(ErrorKind::environment, "posix_spawn setup failed");
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out.fd(), 1);
  posix_spawn_file_actions_adddup2(&fa, err.fd(), 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return make_error(ErrorKind::environment, "cannot run " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return make_error(ErrorKind::environment, "waitpid for " + argv[0] + " failed");
  ProcessResult r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.out = out.read_all();
  r.err = err.read_all();
  return r;
}

std::string first_line(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' ')) s.remove_prefix(1);
  s = s.substr(0, s.find('\n'));
  return std::string(s.substr(0, 200));
}

}  // namespace vouch::util
