// Detached OpenPGP signing through GPGME with the USER's own GnuPG home (the
// engine's default home, i.e. $GNUPGHOME or ~/.gnupg), where the user's
// secret keys live. Never vouch's private verification home (gpg_home.h):
// that one only ever holds public certificates.
#pragma once

#include <string>
#include <string_view>

#include "vouch/result.h"

namespace vouch::crypto {

/// Makes a binary (unarmored) detached signature over `data` with the secret
/// key `fingerprint` (40 or 64 hex digits, any case; GnuPG picks the key's
/// signing-capable (sub)key). Pinentry and gpg-agent behave as the user has
/// configured them. GNUPGHOME is read when this is called.
/// Errors: bad_input when `fingerprint` is not a fingerprint, when the user's
/// keyring has no usable secret key for it, or when signing is refused
/// (cancelled pinentry, wrong passphrase); environment when GPGME/gpg cannot run.
Result<std::string> gpgme_sign_detached(std::string_view data, std::string_view fingerprint);

}  // namespace vouch::crypto
