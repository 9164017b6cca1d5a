#include "crypto/gpgme_signer.h"

#include <cctype>
#include <cstdio>
#include <mutex>

#include "crypto/gpgme_backend.h"
#include "crypto/libraries.h"

namespace vouch::crypto {
namespace {

using gpgme_detail::Ctx;
using gpgme_detail::Data;
using gpgme_detail::Key;

std::string gpg_error_text(gpgme_error_t err) {
  return std::string(gpgme_strsource(err)) + ": " + gpgme_strerror(err);
}

bool is_fingerprint(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<std::string> gpgme_sign_detached(std::string_view data, std::string_view fingerprint) {
  if (!is_fingerprint(fingerprint))
    return make_error(ErrorKind::bad_input, "OpenPGP signing key \"" + std::string(fingerprint.substr(0, 80)) +
                                                "\" is not a 40 or 64 hex digit fingerprint");
  const std::string fpr = upper(fingerprint);
  const std::string who = "openpgp:" + fpr;

  if (gpgme_version() == nullptr)
    return make_error(ErrorKind::environment, "GPGME is unusable; install GnuPG 2.2+ and GPGME");

  gpgme_ctx_t raw = nullptr;
  gpgme_error_t err = gpgme_new(&raw);
  if (err != 0) return make_error(ErrorKind::environment, "gpgme_new: " + gpg_error_text(err));
  Ctx ctx(raw);
  if ((err = gpgme_set_protocol(ctx.get(), GPGME_PROTOCOL_OpenPGP)) != 0)
    return make_error(ErrorKind::environment, "gpgme_set_protocol: " + gpg_error_text(err));
  gpgme_set_armor(ctx.get(), 0);
  gpgme_set_textmode(ctx.get(), 0);  // sign the exact bytes (binary signature type 0x00)

  gpgme_key_t raw_key = nullptr;
  err = gpgme_get_key(ctx.get(), fpr.c_str(), &raw_key, 1);
  // GPG_ERR_EOF: gpg ran and has no such secret key. Anything else: gpg
  // itself could not be used (not installed, no gpgconf on PATH, ...).
  if (err != 0 && gpgme_err_code(err) != GPG_ERR_EOF && gpgme_err_code(err) != GPG_ERR_AMBIGUOUS_NAME)
    return make_error(ErrorKind::environment, "cannot ask gpg for the secret key of " + who + " (" +
                                                  gpg_error_text(err) + "): is GnuPG on PATH? " + kGnupgInstallHint);
  if (err != 0 || raw_key == nullptr)
    return make_error(ErrorKind::bad_input, "no secret key for " + who +
                                                " in your GnuPG keyring (check gpg --list-secret-keys " + fpr + ")");
  Key key(raw_key);
  if (key->revoked || key->expired || key->disabled || key->invalid || !key->can_sign)
    return make_error(ErrorKind::bad_input, "OpenPGP key " + who + " cannot sign (revoked, expired, disabled or "
                                                                   "without a signing subkey)");
  if ((err = gpgme_signers_add(ctx.get(), key.get())) != 0)
    return make_error(ErrorKind::internal, "gpgme_signers_add: " + gpg_error_text(err));

  gpgme_data_t in_raw = nullptr;
  err = gpgme_data_new_from_mem(&in_raw, data.empty() ? "" : data.data(), data.size(), 0);
  if (err != 0) return make_error(ErrorKind::internal, "gpgme_data_new_from_mem: " + gpg_error_text(err));
  Data in(in_raw);
  gpgme_data_t out_raw = nullptr;
  if ((err = gpgme_data_new(&out_raw)) != 0)
    return make_error(ErrorKind::internal, "gpgme_data_new: " + gpg_error_text(err));
  Data out(out_raw);

  err = gpgme_op_sign(ctx.get(), in.get(), out.get(), GPGME_SIG_MODE_DETACH);
  if (err != 0) {
    ErrorKind kind = gpgme_err_code(err) == GPG_ERR_CANCELED || gpgme_err_code(err) == GPG_ERR_BAD_PASSPHRASE ||
                             gpgme_err_code(err) == GPG_ERR_NO_SECKEY || gpgme_err_code(err) == GPG_ERR_UNUSABLE_SECKEY
                         ? ErrorKind::bad_input
                         : ErrorKind::environment;
    return make_error(kind, "signing with " + who + " failed: " + gpg_error_text(err) +
                                " (is gpg-agent running and the key unlocked?)");
  }
  gpgme_sign_result_t res = gpgme_op_sign_result(ctx.get());
  if (res == nullptr || res->invalid_signers != nullptr || res->signatures == nullptr ||
      res->signatures->next != nullptr)
    return make_error(ErrorKind::bad_input, "signing with " + who + " failed: GnuPG refused the signer");

  std::string sig;
  gpgme_data_seek(out.get(), 0, SEEK_SET);
  char buf[4096];
  while (true) {
    ssize_t n = gpgme_data_read(out.get(), buf, sizeof buf);
    if (n < 0) return make_error(ErrorKind::internal, "reading the signature from GPGME failed");
    if (n == 0) break;
    sig.append(buf, static_cast<size_t>(n));
  }
  if (sig.empty()) return make_error(ErrorKind::internal, "signing with " + who + " produced no signature");
  return sig;
}

}  // namespace vouch::crypto
