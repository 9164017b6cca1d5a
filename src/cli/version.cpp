#include "cli/version.h"

#include <archive.h>
#include <git2.h>
#include <gpgme.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistring/version.h>

#include <CLI/Version.hpp>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "vouch_git_describe.h"
#include "crypto/libraries.h"

namespace vouch::cli {

std::string version_text() {
  int major = 0, minor = 0, patch = 0;
  git_libgit2_version(&major, &minor, &patch);
  auto dotted = [](int a, int b, int c) {
    return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c);
  };
  const char* gpgme = crypto::gpgme_version();
  std::string out = std::string("vouch ") + VOUCH_VERSION + " (git " + VOUCH_GIT_DESCRIBE + ")\n";
  out += "libgit2 " + dotted(major, minor, patch);
  out += ", GPGME " + std::string(gpgme ? gpgme : "?");
  out += ", libsodium " + std::string(sodium_version_string());
  out += ", " + std::string(OpenSSL_version(OPENSSL_VERSION));
  out += ", SQLite " + std::string(sqlite3_libversion());
  out += ", " + std::string(archive_version_string());
  out += ", libunistring " + dotted(_libunistring_version >> 16, (_libunistring_version >> 8) & 0xff,
                                     _libunistring_version & 0xff);
  out += ", toml++ " + dotted(TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH);
  out += ", nlohmann-json " +
         dotted(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  out += ", CLI11 " + std::string(CLI11_VERSION) + "\n";
  return out;
}

}  // namespace vouch::cli
