#include "crypto/gpg_home.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

extern char** environ;

namespace vouch::crypto {
namespace fs = std::filesystem;

namespace {

// gpg-agent puts its sockets into the home when /run/user/<uid> does not
// exist; sockaddr_un allows 108 bytes, "/S.gpg-agent.browser" and the random
// suffix need room.
constexpr size_t kMaxBaseLen = 64;

std::string temp_base() {
  const char* t = std::getenv("TMPDIR");
  if (t != nullptr && t[0] == '/' && std::strlen(t) <= kMaxBaseLen) {
    std::string base = t;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return base;
  }
  return "/tmp";
}

/// Runs `argv` with GNUPGHOME=home (replacing any inherited value), stdin and
/// output on /dev/null, and waits for it. Best effort: failures are ignored
/// because this only runs from a destructor.
void spawn_with_home(const std::string& home, std::vector<std::string> argv) noexcept {
  try {
    std::vector<std::string> env_strings;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      if (std::strncmp(*e, "GNUPGHOME=", 10) == 0) continue;
      env_strings.emplace_back(*e);
    }
    env_strings.push_back("GNUPGHOME=" + home);
    std::vector<char*> envp, args;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    for (auto& s : argv) args.push_back(s.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0) return;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  } catch (...) {
    // Out of memory while building the argument vector: nothing sensible to do.
  }
}

}  // namespace

const char* TempGnupgHome::gpg_conf() {
  // Why each line: the home only ever holds public certificates that vouch
  // imports itself, so gpg must never look keys up anywhere else, and validity
  // must reflect certificate correctness (self-signatures, bindings, expiry,
  // revocation), not ownertrust, which vouch decides on its own.
  // no-autostart: importing public keys makes gpg 2.2 start a gpg-agent it
  // does not need (no secret key ever lives here); without it there is no
  // daemon to race with when the home is removed.
  // (auto-key-import, which would import keys embedded in signatures, is off by
  // default in GnuPG 2.2; it is not named here so older 2.2 releases accept
  // this file.)
  return "# written by vouch: a private, temporary home; offline\n"
         "no-auto-key-retrieve\n"
         "no-auto-key-locate\n"
         "disable-dirmngr\n"
         "no-autostart\n"
         "trust-model always\n"
         "no-permission-warning\n";
}

Result<TempGnupgHome> TempGnupgHome::create(std::string gpgconf) {
  std::string tmpl = temp_base() + "/vouch-gpg.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return make_error(ErrorKind::environment, "cannot create a temporary GnuPG home in " +
                                                  temp_base() + ": " + std::strerror(errno));
  }
  TempGnupgHome home(tmpl, std::move(gpgconf));
  if (chmod(home.path_.c_str(), S_IRWXU) != 0) {
    return make_error(ErrorKind::environment,
                      home.path_ + ": cannot set mode 0700: " + std::strerror(errno));
  }
  std::ofstream conf(home.path_ + "/gpg.conf", std::ios::trunc);
  conf << gpg_conf();
  conf.close();
  if (!conf) {
    return make_error(ErrorKind::environment, home.path_ + "/gpg.conf: cannot write");
  }
  return home;
}

TempGnupgHome::~TempGnupgHome() { destroy(); }

TempGnupgHome::TempGnupgHome(TempGnupgHome&& other) noexcept
    : path_(std::move(other.path_)), gpgconf_(std::move(other.gpgconf_)) {
  other.path_.clear();
}

TempGnupgHome& TempGnupgHome::operator=(TempGnupgHome&& other) noexcept {
  if (this != &other) {
    destroy();
    path_ = std::move(other.path_);
    gpgconf_ = std::move(other.gpgconf_);
    other.path_.clear();
  }
  return *this;
}

void TempGnupgHome::destroy() noexcept {
  if (path_.empty()) return;
  // gpg.conf says no-autostart, so normally no daemon runs. Each spawn costs
  // a few milliseconds on every vouch run, so only stop what may exist: when
  // /run/user/<uid> is absent, GnuPG keeps its sockets in the home itself and
  // an agent exists only if its socket does.
  const std::string run_dir = "/run/user/" + std::to_string(getuid());
  const bool sockets_in_home = !fs::exists(run_dir);
  if (!sockets_in_home || fs::exists(path_ + "/S.gpg-agent") || fs::exists(path_ + "/S.dirmngr")) {
    spawn_with_home(path_, {gpgconf_, "--kill", "all"});
    // KILLAGENT is asynchronous: give a dying agent up to a second to remove
    // its socket so it does not write into a directory being deleted.
    for (int i = 0; i < 100 && fs::exists(path_ + "/S.gpg-agent"); ++i) usleep(10000);
  }
  // Only does something when the sockets live under /run/user/<uid>/gnupg.
  if (!sockets_in_home) spawn_with_home(path_, {gpgconf_, "--remove-socketdir"});
  std::error_code ec;
  fs::remove_all(path_, ec);
  path_.clear();
}

}  // namespace vouch::crypto
