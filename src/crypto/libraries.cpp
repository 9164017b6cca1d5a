#include "crypto/libraries.h"

#include <gpgme.h>
#include <sodium.h>

namespace vouch::crypto {

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;  // thread-safe static initialisation
  return ok;
}

const char* gpgme_version() {
  static const char* const version = gpgme_check_version(nullptr);
  return version;
}

}  // namespace vouch::crypto
