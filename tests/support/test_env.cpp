#include "test_env.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

extern char** environ;

namespace vouch::test {

// Defined for this file only, so that no other test object's compile
// command names the checkout (ccache then shares them between clones).
std::string source_dir() { return VOUCH_SOURCE_DIR; }
namespace fs = std::filesystem;

TempDir::TempDir() {
  char tmpl[] = "/tmp/vt.XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "test directory kept: %s\n", path_.c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {
std::vector<std::string> build_env(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  for (const auto& [k, v] : overrides) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}
}  // namespace

RunResult run(const std::vector<std::string>& argv, const RunOptions& opts) {
  RunResult result;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings = build_env(opts.env);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (!opts.cwd.empty() && chdir(opts.cwd.c_str()) != 0) _exit(126);
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  signal(SIGPIPE, SIG_IGN);

  size_t written = 0;
  int in_fd = in_pipe[1];
  if (opts.input.empty()) { close(in_fd); in_fd = -1; }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || in_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out_open) { fds[n] = {out_pipe[0], POLLIN, 0}; out_i = n++; }
    if (err_open) { fds[n] = {err_pipe[0], POLLIN, 0}; err_i = n++; }
    if (in_fd >= 0) { fds[n] = {in_fd, POLLOUT, 0}; in_i = n++; }
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    auto drain = [&](int i, int fd, std::string& into, bool& open) {
      if (i < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t r = read(fd, buf, sizeof buf);
      if (r > 0) into.append(buf, static_cast<size_t>(r));
      else if (r == 0 || errno != EINTR) open = false;
    };
    drain(out_i, out_pipe[0], result.out, out_open);
    drain(err_i, err_pipe[0], result.err, err_open);
    if (in_i >= 0 && (fds[in_i].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(in_fd, opts.input.data() + written, opts.input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 || written == opts.input.size()) { close(in_fd); in_fd = -1; }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

std::string run_ok(const std::vector<std::string>& argv, const RunOptions& opts) {
  RunResult r = run(argv, opts);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    ADD_FAILURE() << "command failed (" << r.exit_code << "): " << cmd << "\n" << r.err;
  }
  return r.out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

std::string vouch_binary() {
  const char* b = std::getenv("VOUCH_BINARY");
  return b ? b : "vouch";
}

// ---------------------------------------------------------------- GnuPG

GpgHome::GpgHome(const std::string& dir) : path_(dir + "/g") {
  fs::create_directories(path_);
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::replace);
  write_file(path_ + "/gpg-agent.conf", "allow-loopback-pinentry\n");
}

GpgHome::~GpgHome() {
  run({"gpgconf", "--kill", "all"}, {.env = env()});
}

std::map<std::string, std::string> GpgHome::env() const { return {{"GNUPGHOME", path_}}; }

RunResult GpgHome::gpg(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback",
                                   "--passphrase", ""};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {.env = env(), .input = input});
}

namespace {
/// Fingerprints in `gpg --with-colons` output, in order (primary first).
std::vector<std::string> colon_fprs(const std::string& listing) {
  std::vector<std::string> out;
  std::istringstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("fpr:", 0) != 0) continue;
    // Field 10 (index 9) holds the fingerprint: "fpr:::::::::FPR:".
    size_t start = 0;
    for (int field = 0; field < 9 && start != std::string::npos; ++field) start = line.find(':', start) + 1;
    size_t end = line.find(':', start);
    if (start != 0 && end != std::string::npos) out.push_back(line.substr(start, end - start));
  }
  return out;
}
}  // namespace

std::string GpgHome::gen_key(const std::string& uid, const std::string& algo,
                             const std::string& usage, const std::string& expire,
                             const std::string& faked_time) {
  std::vector<std::string> args;
  if (!faked_time.empty()) args = {"--faked-system-time", faked_time};
  args.insert(args.end(), {"--quick-gen-key", uid, algo, usage, expire});
  RunResult r = gpg(args);
  if (r.exit_code != 0) ADD_FAILURE() << "gpg --quick-gen-key failed: " << r.err;
  RunResult l = gpg({"--with-colons", "--fingerprint", "=" + uid});
  auto fprs = colon_fprs(l.out);
  if (fprs.empty()) {
    ADD_FAILURE() << "no fingerprint for " << uid << ": " << l.err;
    return "";
  }
  return fprs.front();
}

std::string GpgHome::add_subkey(const std::string& primary_fpr, const std::string& algo,
                                const std::string& usage, const std::string& expire) {
  RunResult r = gpg({"--quick-add-key", primary_fpr, algo, usage, expire});
  if (r.exit_code != 0) ADD_FAILURE() << "gpg --quick-add-key failed: " << r.err;
  auto fprs = colon_fprs(gpg({"--with-colons", "--fingerprint", primary_fpr}).out);
  return fprs.empty() ? "" : fprs.back();
}

std::vector<std::string> GpgHome::fingerprints(const std::string& query) {
  return colon_fprs(gpg({"--with-colons", "--fingerprint", query}).out);
}

std::string GpgHome::export_public(const std::string& fpr) {
  return gpg({"--armor", "--export", fpr}).out;
}

// ---------------------------------------------------------------- SSH

SshKey make_ssh_key(const std::string& dir, const std::string& name, const std::string& type) {
  SshKey key;
  key.private_path = dir + "/" + name;
  key.public_path = key.private_path + ".pub";
  std::vector<std::string> argv = {"ssh-keygen", "-q", "-N", "", "-C", name + "@example.org",
                                   "-f", key.private_path};
  auto dash = type.find('-');
  std::string t = type.substr(0, dash);
  argv.insert(argv.end(), {"-t", t});
  if (dash != std::string::npos) argv.insert(argv.end(), {"-b", type.substr(dash + 1)});
  run_ok(argv);
  key.public_line = read_file(key.public_path);
  while (!key.public_line.empty() && key.public_line.back() == '\n') key.public_line.pop_back();
  std::string l = run_ok({"ssh-keygen", "-l", "-E", "sha256", "-f", key.public_path});
  auto sp1 = l.find(' ');
  auto sp2 = l.find(' ', sp1 + 1);
  key.fingerprint = l.substr(sp1 + 1, sp2 - sp1 - 1);
  return key;
}

std::string ssh_sign(const SshKey& key, const std::string& ns, const std::string& data,
                     const std::string& workdir) {
  std::string msg = workdir + "/to-sign";
  write_file(msg, data);
  std::error_code ec;
  fs::remove(msg + ".sig", ec);
  run_ok({"ssh-keygen", "-q", "-Y", "sign", "-n", ns, "-f", key.private_path, msg});
  std::string sig = read_file(msg + ".sig");
  fs::remove(msg + ".sig", ec);
  return sig;
}

// ---------------------------------------------------------------- git

TestRepo::TestRepo(const std::string& dir, const GpgHome* gpg) : path_(dir), gpg_(gpg) {
  fs::create_directories(path_);
  git({"init", "-q", "-b", "main"});
  git({"config", "user.name", "Test User"});
  git({"config", "user.email", "test@example.org"});
  git({"config", "commit.gpgsign", "false"});
  git({"config", "tag.gpgsign", "false"});
}

std::map<std::string, std::string> TestRepo::env() const {
  std::map<std::string, std::string> e = {{"GIT_CONFIG_NOSYSTEM", "1"},
                                          {"GIT_CONFIG_GLOBAL", "/dev/null"},
                                          {"HOME", fs::path(path_).parent_path().string()},
                                          {"GIT_TERMINAL_PROMPT", "0"}};
  if (gpg_) e["GNUPGHOME"] = gpg_->path();
  return e;
}

RunResult TestRepo::git_raw(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"git", "-C", path_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {.env = env(), .input = input});
}

std::string TestRepo::git(const std::vector<std::string>& args, const std::string& input) {
  RunResult r = git_raw(args, input);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    ADD_FAILURE() << "git " << cmd << "failed: " << r.err;
  }
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::vector<std::string> TestRepo::sign_config(const Signer& signer) const {
  switch (signer.kind) {
    case Signer::Kind::none: return {};
    case Signer::Kind::ssh: return {"-c", "gpg.format=ssh", "-c", "user.signingkey=" + signer.key};
    case Signer::Kind::openpgp:
      return {"-c", "gpg.format=openpgp", "-c", "user.signingkey=" + signer.key};
  }
  return {};
}

std::string TestRepo::commit(const std::map<std::string, std::string>& files,
                             const std::string& message, const Signer& signer, int64_t date) {
  for (const auto& [name, content] : files) write_file(path_ + "/" + name, content);
  git({"add", "-A"});
  std::vector<std::string> args = sign_config(signer);
  args.insert(args.end(), {"commit", "-q", "--allow-empty", "-m", message});
  if (signer.kind != Signer::Kind::none) args.push_back("-S");
  std::vector<std::string> argv = {"git", "-C", path_};
  argv.insert(argv.end(), args.begin(), args.end());
  auto e = env();
  if (date != 0) {
    e["GIT_AUTHOR_DATE"] = "@" + std::to_string(date) + " +0000";
    e["GIT_COMMITTER_DATE"] = "@" + std::to_string(date) + " +0000";
  }
  RunResult r = run(argv, {.env = e});
  if (r.exit_code != 0) ADD_FAILURE() << "git commit failed: " << r.err;
  return git({"rev-parse", "HEAD"});
}

void TestRepo::tag(const std::string& name, const std::string& target, const Signer& signer,
                   bool annotated) {
  std::vector<std::string> args = sign_config(signer);
  args.push_back("tag");
  if (annotated) {
    args.insert(args.end(), {signer.kind == Signer::Kind::none ? "-a" : "-s", "-m",
                             "release " + name});
  }
  args.insert(args.end(), {name, target});
  git(args);
}

}  // namespace vouch::test
