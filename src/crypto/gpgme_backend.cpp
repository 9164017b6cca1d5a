#include "crypto/gpgme_backend.h"
#include "crypto/libraries.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace vouch::crypto {
namespace {

using gpgme_detail::Ctx;
using gpgme_detail::Data;
using gpgme_detail::Key;

constexpr const char* kInstallHint = kGnupgInstallHint;


std::string gpg_error_text(gpgme_error_t err) {
  return std::string(gpgme_strsource(err)) + ": " + gpgme_strerror(err);
}

std::string upper(const char* s) {
  std::string out = s != nullptr ? s : "";
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// GPGME renumbers some OpenPGP algorithms; map them back.
int openpgp_pubkey_algo(gpgme_pubkey_algo_t a) {
  switch (a) {
    case GPGME_PK_ECDSA: return 19;
    case GPGME_PK_ECDH: return 18;
    case GPGME_PK_EDDSA: return 22;
    default: return static_cast<int>(a);
  }
}

/// Input bytes as GPGME data without copying; `bytes` must outlive the result.
Result<Data> data_from(std::string_view bytes) {
  gpgme_data_t d = nullptr;
  const char* p = bytes.empty() ? "" : bytes.data();
  gpgme_error_t err = gpgme_data_new_from_mem(&d, p, bytes.size(), 0);
  if (err != 0) return make_error(ErrorKind::internal, "gpgme_data_new_from_mem: " + gpg_error_text(err));
  return Data(d);
}

Result<Data> empty_data() {
  gpgme_data_t d = nullptr;
  gpgme_error_t err = gpgme_data_new(&d);
  if (err != 0) return make_error(ErrorKind::internal, "gpgme_data_new: " + gpg_error_text(err));
  return Data(d);
}

/// Reads all of a memory-backed gpgme_data_t.
std::string drain(gpgme_data_t d) {
  std::string out;
  gpgme_data_seek(d, 0, SEEK_SET);
  char buf[8192];
  for (;;) {
    ssize_t n = gpgme_data_read(d, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool is_hex_fingerprint(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

GpgKeyInfo key_info(gpgme_key_t k) {
  GpgKeyInfo info;
  info.revoked = k->revoked != 0;
  info.expired = k->expired != 0;
  info.invalid = k->invalid != 0;
  info.disabled = k->disabled != 0;
  for (gpgme_user_id_t u = k->uids; u != nullptr; u = u->next) {
    if (u->revoked == 0 && u->invalid == 0 && u->uid != nullptr) info.user_ids.emplace_back(u->uid);
  }
  bool first = true;
  for (gpgme_subkey_t s = k->subkeys; s != nullptr; s = s->next) {
    GpgSubkeyInfo sk;
    sk.fingerprint = upper(s->fpr);
    sk.pubkey_algo = openpgp_pubkey_algo(s->pubkey_algo);
    sk.created = s->timestamp;
    if (s->expires != 0) sk.expires = s->expires;
    sk.can_sign = s->can_sign != 0;
    sk.revoked = s->revoked != 0;
    sk.expired = s->expired != 0;
    // A timestamp of -1 means GnuPG could not parse the creation time.
    sk.invalid = s->invalid != 0 || s->timestamp < 0;
    sk.is_primary = first;
    first = false;
    info.subkeys.push_back(std::move(sk));
  }
  if (!info.subkeys.empty()) info.primary_fingerprint = info.subkeys.front().fingerprint;
  return info;
}

bool weak_hash(int algo) { return algo == 1 || algo == 2 || algo == 3; }

const char* hash_name(int algo) {
  switch (algo) {
    case 1: return "MD5";
    case 2: return "SHA-1";
    case 3: return "RIPEMD-160";
    default: return "?";
  }
}

}  // namespace

std::string_view to_string(GpgVerifyFacts::Crypto c) {
  using C = GpgVerifyFacts::Crypto;
  switch (c) {
    case C::good: return "good";
    case C::bad: return "bad";
    case C::no_key: return "no_key";
    case C::weak: return "weak";
    case C::unsupported: return "unsupported";
    case C::error: return "error";
  }
  return "error";
}

Result<GpgmeKeystore> GpgmeKeystore::create() {
  if (gpgme_version() == nullptr) {
    return make_error(ErrorKind::environment, std::string("GPGME failed to initialise; ") + kInstallHint);
  }
  // No gpgme_engine_check_version / gpgme_get_engine_info here: both probe
  // every engine GPGME knows (gpgsm, gpgconf, ...), half a dozen processes
  // on every vouch run. A missing or broken gpg shows up as the first
  // operation's error instead, naming gpg and what to install (import()).
  const std::string gpgconf = "gpgconf";  // PATH lookup; only used to stop daemons
  auto home = TempGnupgHome::create(gpgconf);
  if (!home) return home.error();

  gpgme_ctx_t raw = nullptr;
  gpgme_error_t err = gpgme_new(&raw);
  if (err != 0) return make_error(ErrorKind::environment, "gpgme_new: " + gpg_error_text(err));
  Ctx ctx(raw);
  auto fail = [](const char* what, gpgme_error_t e) {
    return make_error(ErrorKind::environment, std::string(what) + ": " + gpg_error_text(e));
  };
  if ((err = gpgme_set_protocol(ctx.get(), GPGME_PROTOCOL_OpenPGP)) != 0)
    return fail("gpgme_set_protocol", err);
  // The home directory passed here becomes gpg's --homedir, so an inherited
  // GNUPGHOME never matters.
  // GPGME finds gpg through gpgconf on PATH: when GnuPG is not installed
  // this is where it says so ("Invalid crypto engine").
  if ((err = gpgme_ctx_set_engine_info(ctx.get(), GPGME_PROTOCOL_OpenPGP, nullptr,
                                       home->path().c_str())) != 0)
    return make_error(ErrorKind::environment,
                      "cannot use gpg (" + gpg_error_text(err) + "): is GnuPG on PATH? " + kInstallHint);
  gpgme_set_offline(ctx.get(), 1);  // gpg gets --disable-dirmngr
  gpgme_set_armor(ctx.get(), 0);
  if ((err = gpgme_set_keylist_mode(ctx.get(), GPGME_KEYLIST_MODE_LOCAL)) != 0)
    return fail("gpgme_set_keylist_mode", err);
  // No secret keys ever live here; never let gpg ask for a passphrase.
  if ((err = gpgme_set_pinentry_mode(ctx.get(), GPGME_PINENTRY_MODE_CANCEL)) != 0)
    return fail("gpgme_set_pinentry_mode", err);
  return GpgmeKeystore(std::move(*home), std::move(ctx));
}

Result<std::vector<std::string>> GpgmeKeystore::import(std::string_view armored_or_binary) {
  auto in = data_from(armored_or_binary);
  if (!in) return in.error();
  gpgme_error_t err = gpgme_op_import(ctx_.get(), in->get());
  if (err != 0 && gpgme_err_code(err) != GPG_ERR_NO_DATA) {
    return make_error(ErrorKind::environment, "gpg import failed: " + gpg_error_text(err) + "; " + kInstallHint);
  }
  gpgme_import_result_t r = gpgme_op_import_result(ctx_.get());
  if (gpgme_err_code(err) == GPG_ERR_NO_DATA || r == nullptr || r->considered == 0) {
    return make_error(ErrorKind::malformed, "no OpenPGP certificate found in the input (" +
                                                std::to_string(armored_or_binary.size()) +
                                                " bytes)");
  }
  std::vector<std::string> fprs;
  std::string problems;
  for (gpgme_import_status_t s = r->imports; s != nullptr; s = s->next) {
    if (s->result != 0) {
      if (!problems.empty()) problems += "; ";
      problems += upper(s->fpr) + ": " + gpgme_strerror(s->result);
      continue;
    }
    // Secret-key entries are ignored: vouch only imports public certificates.
    if ((s->status & GPGME_IMPORT_SECRET) != 0 || s->fpr == nullptr) continue;
    std::string fpr = upper(s->fpr);
    if (std::find(fprs.begin(), fprs.end(), fpr) == fprs.end()) fprs.push_back(std::move(fpr));
  }
  if (fprs.empty()) {
    std::string why = !problems.empty() ? problems
                      : r->no_user_id > 0 ? "no valid user ID (bad or missing self-signature)"
                                          : "rejected by GnuPG";
    return make_error(ErrorKind::malformed,
                      "no usable OpenPGP certificate in the input (" +
                          std::to_string(r->considered) + " considered): " + why);
  }
  return fprs;
}

Result<std::vector<GpgKeyInfo>> GpgmeKeystore::keys() {
  gpgme_error_t err = gpgme_op_keylist_start(ctx_.get(), nullptr, 0);
  if (err != 0) return make_error(ErrorKind::environment, "gpg key listing failed: " + gpg_error_text(err));
  std::vector<GpgKeyInfo> out;
  for (;;) {
    gpgme_key_t raw = nullptr;
    err = gpgme_op_keylist_next(ctx_.get(), &raw);
    if (err != 0) break;
    Key key(raw);
    out.push_back(key_info(key.get()));
  }
  gpgme_op_keylist_end(ctx_.get());
  if (gpgme_err_code(err) != GPG_ERR_EOF) {
    return make_error(ErrorKind::environment, "gpg key listing failed: " + gpg_error_text(err));
  }
  return out;
}

Result<std::string> GpgmeKeystore::export_key(std::string_view fingerprint) {
  if (!is_hex_fingerprint(fingerprint)) {
    return make_error(ErrorKind::bad_input, "not an OpenPGP fingerprint (40 or 64 hex digits): \"" +
                                                std::string(fingerprint) + "\"");
  }
  std::string fpr = upper(std::string(fingerprint).c_str());
  auto out = empty_data();
  if (!out) return out.error();
  gpgme_error_t err = gpgme_op_export(ctx_.get(), fpr.c_str(), 0, out->get());
  if (err != 0) return make_error(ErrorKind::environment, "gpg export of " + fpr + " failed: " + gpg_error_text(err));
  std::string bytes = drain(out->get());
  if (bytes.empty()) return make_error(ErrorKind::not_found, "no OpenPGP certificate " + fpr + " in the keystore");
  return bytes;
}

GpgVerifyFacts GpgmeKeystore::verify_detached(std::string_view signature, std::string_view payload) {
  using C = GpgVerifyFacts::Crypto;
  GpgVerifyFacts f;
  auto fail = [&f](C c, std::string reason) {
    f.crypto = c;
    f.reason = std::move(reason);
    return f;
  };
  auto sig = data_from(signature);
  if (!sig) return fail(C::error, sig.error().message);
  auto text = data_from(payload);
  if (!text) return fail(C::error, text.error().message);
  gpgme_error_t err = gpgme_op_verify(ctx_.get(), sig->get(), text->get(), nullptr);
  if (err != 0) {
    if (gpgme_err_code(err) == GPG_ERR_NO_DATA) return fail(C::error, "no OpenPGP signature found");
    return fail(C::error, "gpg verify failed: " + gpg_error_text(err));
  }
  gpgme_verify_result_t r = gpgme_op_verify_result(ctx_.get());
  size_t count = 0;
  for (gpgme_signature_t s = r != nullptr ? r->signatures : nullptr; s != nullptr; s = s->next) ++count;
  if (count != 1) {
    return fail(C::error, count == 0 ? "no OpenPGP signature found"
                                     : "expected one signature, found " + std::to_string(count));
  }
  // Copy everything out now: the next operation on the context frees `s`.
  gpgme_signature_t s = r->signatures;
  f.signing_fingerprint = upper(s->fpr);
  if (s->timestamp != 0) f.created = static_cast<int64_t>(s->timestamp);
  f.hash_algo = static_cast<int>(s->hash_algo);
  f.pubkey_algo = openpgp_pubkey_algo(s->pubkey_algo);
  const bool wrong_usage = s->wrong_key_usage != 0;
  const gpgme_error_t status = s->status;

  C crypto = C::error;
  std::string reason;
  switch (gpgme_err_code(status)) {
    case GPG_ERR_NO_ERROR:
    case GPG_ERR_KEY_EXPIRED:   // good signature, key expired now: the caller compares times
    case GPG_ERR_SIG_EXPIRED:   // good signature whose own expiry has passed
    case GPG_ERR_CERT_REVOKED:  // good signature, key revoked now: the caller compares times
      crypto = C::good;
      break;
    case GPG_ERR_BAD_SIGNATURE:
      crypto = C::bad;
      reason = "signature does not match the data";
      break;
    case GPG_ERR_NO_PUBKEY:
      crypto = C::no_key;
      reason = "no public key " + f.signing_fingerprint + " in the keystore";
      break;
    case GPG_ERR_UNSUPPORTED_ALGORITHM:
    case GPG_ERR_DIGEST_ALGO:
    case GPG_ERR_PUBKEY_ALGO:
      crypto = C::unsupported;
      reason = "unsupported algorithm (" + gpg_error_text(status) + ")";
      break;
    default:
      reason = gpg_error_text(status);
      break;
  }
  if (crypto == C::good && wrong_usage) {
    crypto = C::error;
    reason = "key " + f.signing_fingerprint + " is not allowed to make signatures";
  }
  if ((crypto == C::good || crypto == C::unsupported || crypto == C::error) && weak_hash(f.hash_algo)) {
    f.weak_digest_only = crypto == C::good && !f.signing_fingerprint.empty() && f.created.has_value();
    crypto = C::weak;
    reason = std::string("weak digest algorithm ") + hash_name(f.hash_algo);
  }
  if (crypto == C::good && (f.signing_fingerprint.empty() || !f.created)) {
    crypto = C::error;
    reason = "gpg reported a good signature without fingerprint or creation time";
  }

  if (!f.signing_fingerprint.empty() && crypto != C::no_key) {
    gpgme_key_t raw = nullptr;
    gpgme_error_t kerr = gpgme_get_key(ctx_.get(), f.signing_fingerprint.c_str(), &raw, 0);
    Key key(raw);
    if (kerr == 0 && key && key->subkeys != nullptr) {
      f.primary_fingerprint = upper(key->subkeys->fpr);
    } else if (crypto == C::good) {
      crypto = C::error;
      reason = "signing key " + f.signing_fingerprint + " not found in the keystore after verification";
    }
  }
  f.crypto = crypto;
  f.reason = std::move(reason);
  return f;
}

}  // namespace vouch::crypto
