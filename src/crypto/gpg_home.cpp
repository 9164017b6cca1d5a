#include "crypto/gpg_home.h"

#include <unistd.h>

#include <filesystem>

#include "util/file.h"
#include "util/process.h"
#include "util/temp_dir.h"

namespace vouch::crypto {
namespace fs = std::filesystem;

namespace {

// gpg-agent puts its sockets into the home when /run/user/<uid> does not
// exist; sockaddr_un allows 108 bytes, "/S.gpg-agent.browser" and the random
// suffix need room.
constexpr size_t kMaxBaseLen = 64;

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
  auto dir = util::TempDir::create("vouch-gpg", kMaxBaseLen);  // mkdtemp: mode 0700
  if (!dir) return make_error(ErrorKind::environment, "cannot create a temporary GnuPG home: " + dir.error().message);
  TempGnupgHome home(dir->release(), std::move(gpgconf));
  if (auto conf = util::write_file_atomic(home.path_ + "/gpg.conf", gpg_conf(), 0600); !conf) return conf.error();
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
  try {
    // gpg.conf says no-autostart, so normally no daemon runs. Each spawn costs
    // a few milliseconds on every vouch run, so only stop what may exist: when
    // /run/user/<uid> is absent, GnuPG keeps its sockets in the home itself and
    // an agent exists only if its socket does.
    const util::EnvOverrides env = {{"GNUPGHOME", path_}};
    const std::string run_dir = "/run/user/" + std::to_string(getuid());
    const bool sockets_in_home = !fs::exists(run_dir);
    if (!sockets_in_home || fs::exists(path_ + "/S.gpg-agent") || fs::exists(path_ + "/S.dirmngr")) {
      (void)util::run_process({gpgconf_, "--kill", "all"}, env);  // best effort, from a destructor
      // KILLAGENT is asynchronous: give a dying agent up to a second to remove
      // its socket so it does not write into a directory being deleted.
      for (int i = 0; i < 100 && fs::exists(path_ + "/S.gpg-agent"); ++i) usleep(10000);
    }
    // Only does something when the sockets live under /run/user/<uid>/gnupg.
    if (!sockets_in_home) (void)util::run_process({gpgconf_, "--remove-socketdir"}, env);
  } catch (...) {
    // Out of memory while stopping a daemon: still remove the directory.
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
  path_.clear();
}

}  // namespace vouch::crypto
