// Vocabulary shared by every layer: signature verdicts and key identities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vouch {

/// The verdict on one signature (signatures.md, "Verdict of one signature").
/// Only `good` counts toward anything.
enum class SigStatus {
  good,
  bad,          ///< does not verify
  missing,      ///< no signature at all
  unknown_key,  ///< well-formed, but the key is not in the keyring / policy
  expired_key,  ///< made after the key expired
  revoked_key,  ///< key hard-revoked, or soft-revoked before the signature
  weak,         ///< rejected algorithm, digest or key size
  unsupported,  ///< a format vouch does not verify (X.509, DSA, v5 ...)
  malformed,    ///< bytes that do not parse
};

/// The spec's spelling: "good", "unknown-key", ...
std::string_view to_string(SigStatus s);

enum class KeyKind { ssh, openpgp };
std::string_view to_string(KeyKind k);

/// Canonical key identity: "ssh:SHA256:<base64 no padding>" or
/// "openpgp:<UPPERCASE HEX primary fingerprint>".
struct KeyId {
  KeyKind kind = KeyKind::ssh;
  std::string id;  ///< "SHA256:..." for ssh, upper-case hex fingerprint for openpgp

  std::string str() const;
  bool operator==(const KeyId&) const = default;
  auto operator<=>(const KeyId&) const = default;

  /// Parses "openpgp:FPR", a bare 40/64-hex fingerprint, "ssh:SHA256:..." or
  /// "SHA256:...". Returns nullopt for anything else (no file lookup here).
  static std::optional<KeyId> parse(std::string_view text);
};

/// What one verified signature says; produced by verify::check_signature.
struct SignatureResult {
  SigStatus status = SigStatus::missing;
  std::optional<KeyKind> kind;  ///< unset when missing or unparseable
  std::string key;              ///< signer's KeyId::str() (primary for OpenPGP); may be set even if not good
  std::string signing_key;      ///< the (sub)key that made it, when it differs from `key`
  std::optional<int64_t> created;  ///< OpenPGP creation time, or the SSH reference time used
  std::string reason;           ///< human explanation for anything but good
  std::string backend;          ///< "native" or "gpgme"
  bool user_present = false;    ///< FIDO (sk-*) user-presence flag
};

}  // namespace vouch
