// A throwaway GNUPGHOME that vouch owns: created with mkdtemp, configured so
// gpg never touches the network, and on destruction its daemons are stopped and
// the directory removed. Never the user's keyring.
#pragma once

#include <string>

#include "vouch/result.h"

namespace vouch::crypto {

/// Owns a private GnuPG home directory (mode 0700) under $TMPDIR, or /tmp when
/// $TMPDIR is unset, not absolute or too long (gpg-agent's socket path must fit
/// in sockaddr_un). Move-only; a moved-from home owns nothing.
class TempGnupgHome {
 public:
  /// Creates the directory and writes its gpg.conf (offline, no key discovery,
  /// no gpg-agent autostart, trust model "always"). `gpgconf` is the gpgconf
  /// binary used to stop the home's daemons later (an absolute path, or a name
  /// looked up in PATH).
  /// Errors are kind environment and name the directory.
  static Result<TempGnupgHome> create(std::string gpgconf);

  /// Stops gpg-agent/dirmngr (`gpgconf --kill all` with GNUPGHOME set, spawned
  /// with an argument vector, never a shell) and removes the directory tree.
  ~TempGnupgHome();
  TempGnupgHome(TempGnupgHome&& other) noexcept;
  TempGnupgHome& operator=(TempGnupgHome&& other) noexcept;
  TempGnupgHome(const TempGnupgHome&) = delete;
  TempGnupgHome& operator=(const TempGnupgHome&) = delete;

  /// Absolute path of the home; empty for a moved-from object.
  const std::string& path() const { return path_; }

  /// The gpg.conf written into every home (exposed for tests and docs).
  static const char* gpg_conf();

 private:
  TempGnupgHome(std::string path, std::string gpgconf)
      : path_(std::move(path)), gpgconf_(std::move(gpgconf)) {}
  void destroy() noexcept;

  std::string path_;
  std::string gpgconf_;
};

}  // namespace vouch::crypto
