// The GPGME backend: OpenPGP certificates are imported into a private,
// temporary GNUPGHOME (TempGnupgHome) so that GnuPG validates self-signatures,
// subkey bindings, expiry and revocation; the resulting facts are read back
// through GPGME's key listing. It is also the fallback verifier for whatever
// the native OpenPGP verifier does not handle.
//
// What GPGME 1.18 with GnuPG 2.2 reports (checked by gpgme_backend_test.cpp):
// - An expired key is still listed. Each subkey keeps its real capability
//   (can_sign is true for a signing subkey even though it is unusable now),
//   `expires` keeps the expiry time and `expired` is set, on the key and on
//   the subkeys. So a signature made before the expiry can still be judged.
// - A revoked key is listed with `revoked` set on the key and on every subkey;
//   can_sign, creation and expiry stay as they were.
// - GPGME does NOT expose the revocation time nor the revocation reason
//   (hard: compromised / unspecified, soft: superseded / retired). Both live
//   in the key revocation signature (type 0x20) or subkey revocation
//   signature (0x28), which export_key() returns; the native key parser must
//   read them from there to apply "no signatures after a hard revocation".
// - Creation times are whole seconds since the epoch; GPGME's algorithm
//   numbers (GPGME_PK_ECDSA = 301, ...) are mapped back to OpenPGP numbers.
#pragma once

#include <gpgme.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "crypto/gpg_home.h"
#include "vouch/result.h"

namespace vouch::crypto {

/// One (sub)key of a certificate, as GnuPG validated it.
struct GpgSubkeyInfo {
  std::string fingerprint;  ///< upper-case hex
  int pubkey_algo = 0;      ///< OpenPGP algorithm number (1 RSA, 19 ECDSA, 22 EdDSA, ...)
  int64_t created = 0;      ///< seconds since the epoch
  std::optional<int64_t> expires;  ///< absent: never expires
  bool can_sign = false;    ///< has the signing capability (even when expired or revoked)
  bool revoked = false;
  bool expired = false;     ///< expired as of now
  bool invalid = false;
  bool is_primary = false;
};

/// A certificate: its primary key, user IDs and every subkey (primary first).
struct GpgKeyInfo {
  std::string primary_fingerprint;      ///< upper-case hex
  std::vector<std::string> user_ids;    ///< user IDs that are neither revoked nor invalid
  std::vector<GpgSubkeyInfo> subkeys;   ///< subkeys[0] is the primary key
  bool revoked = false;
  bool expired = false;
  bool invalid = false;
  bool disabled = false;
};

/// Raw facts about one detached signature. The caller applies vouch's time
/// rules (signature creation vs. key creation, expiry and revocation).
struct GpgVerifyFacts {
  /// good: the signature verifies against an imported key (also when that
  ///   key is expired or revoked now, or the signature itself has expired);
  /// bad: the signature does not match the payload;
  /// no_key: the signing key is not in the keystore;
  /// weak: the digest is MD5, SHA-1 or RIPEMD-160 and the signature is not bad
  ///   (with SHA-1, GnuPG 2.2 has checked the math; MD5 it refuses outright);
  /// unsupported: GnuPG does not support the algorithm;
  /// error: anything else (malformed signature, not exactly one signature,
  ///   key not usable for signing, engine failure).
  enum class Crypto { good, bad, no_key, weak, unsupported, error } crypto = Crypto::error;
  std::string signing_fingerprint;  ///< the (sub)key that made it, upper hex (for no_key maybe a key ID)
  std::string primary_fingerprint;  ///< its primary key; empty unless the key is in the keystore
  std::optional<int64_t> created;   ///< signature creation time
  int hash_algo = 0;                ///< OpenPGP hash algorithm number (2 SHA-1, 8 SHA-256, ...)
  int pubkey_algo = 0;              ///< OpenPGP public key algorithm number
  std::string reason;               ///< for anything but good
  /// weak only because of the digest: GnuPG found the signature good, so a
  /// caller whose rules accept the digest (SHA-1 before the cut-off) may.
  bool weak_digest_only = false;
};

std::string_view to_string(GpgVerifyFacts::Crypto c);

/// What to install when GnuPG cannot be used; ends every such error.
inline constexpr const char* kGnupgInstallHint =
    "install GnuPG 2.2 or later and GPGME (Debian/Ubuntu: apt install gnupg gpgconf libgpgme11)";

namespace gpgme_detail {
// Move-only owners of GPGME's C handles; the only place they are wrapped.
struct CtxRelease { void operator()(gpgme_ctx_t c) const { gpgme_release(c); } };
struct DataRelease { void operator()(gpgme_data_t d) const { gpgme_data_release(d); } };
struct KeyRelease { void operator()(gpgme_key_t k) const { gpgme_key_unref(k); } };
using Ctx = std::unique_ptr<std::remove_pointer_t<gpgme_ctx_t>, CtxRelease>;
using Data = std::unique_ptr<std::remove_pointer_t<gpgme_data_t>, DataRelease>;
using Key = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, KeyRelease>;
}  // namespace gpgme_detail

/// A private GnuPG keyring plus a GPGME context bound to it (OpenPGP protocol,
/// offline). Move-only; not thread-safe (one keystore per thread).
class GpgmeKeystore {
 public:
  /// Creates the private home and the context. Error (kind environment) when
  /// GPGME or gpg is unusable, naming what to install.
  static Result<GpgmeKeystore> create();

  /// Releases the context, stops the home's gpg-agent/dirmngr and deletes the home.
  ~GpgmeKeystore() = default;
  GpgmeKeystore(GpgmeKeystore&&) noexcept = default;
  GpgmeKeystore& operator=(GpgmeKeystore&&) noexcept = default;

  /// Imports armored or binary certificates; returns the primary fingerprints
  /// of the certificates imported or already present (upper hex, input order,
  /// no duplicates). Error kind malformed when the input holds no certificate
  /// GnuPG accepts; kind environment when gpg fails.
  Result<std::vector<std::string>> import(std::string_view armored_or_binary);

  /// Every certificate in the home, as GnuPG validated it.
  Result<std::vector<GpgKeyInfo>> keys();

  /// The binary transferable public key of `fingerprint` (40 or 64 hex
  /// digits, any case): bad_input for anything else, not_found when absent.
  Result<std::string> export_key(std::string_view fingerprint);

  /// Verifies a detached signature (armored or binary) over `payload`.
  GpgVerifyFacts verify_detached(std::string_view signature, std::string_view payload);

  /// The private home's path (for diagnostics and tests).
  const std::string& home() const { return home_.path(); }

 private:
  GpgmeKeystore(TempGnupgHome home, gpgme_detail::Ctx ctx)
      : home_(std::move(home)), ctx_(std::move(ctx)) {}

  // Declaration order matters: the context is released before the home (and
  // its agent) goes away.
  TempGnupgHome home_;
  gpgme_detail::Ctx ctx_;
};

}  // namespace vouch::crypto
