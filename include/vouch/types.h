// Vocabulary shared by every layer: signature verdicts and key identities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vouch {

/// The verdict on one signature (docs/signatures.md, "Verdict of one signature").
/// Only `good` counts toward anything.
enum class SigStatus {
  good,
  bad,          ///< does not verify
  missing,      ///< no signature at all
  unknown_key,  ///< well-formed, but the key is not in the keyring / policy
  expired_key,  ///< made after the key expired
  revoked_key,  ///< key hard-revoked, or soft-revoked before the signature
  weak,         ///< rejected algorithm (DSA), digest (MD5, SHA-1 after the cut-off) or key size
  unsupported,  ///< a format vouch does not verify (X.509, v5, unknown algorithms ...)
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

/// 2013-02-01 00:00 UTC: by default SHA-1 digests count only in OpenPGP
/// signatures created before it (docs/signatures.md, "SHA-1").
inline constexpr int64_t kDefaultSha1Cutoff = 1359676800;

/// Where a SHA-1 cut-off came from, as reports name it.
enum class Sha1RuleSource { default_cutoff, policy, flag };
/// "default", "policy", "--allow-sha1-before".
std::string_view to_string(Sha1RuleSource s);

/// What a verification requires of signatures beyond the mathematics
/// (docs/policy.md [signatures]); the same for commits, tags, approvals and files.
struct SignatureRules {
  /// OpenPGP signatures with a SHA-1 digest count only when created before
  /// this time (unix seconds); INT64_MIN: never. MD5 never counts.
  int64_t sha1_cutoff = kDefaultSha1Cutoff;
  Sha1RuleSource sha1_source = Sha1RuleSource::default_cutoff;
  /// FIDO (sk-*) SSH signatures without the user-presence flag are `bad`.
  bool require_user_presence = false;
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
  /// OpenPGP: the signature's digest ("sha256", "sha1", ...) when parsed.
  std::string digest;
  /// OpenPGP with a SHA-1 digest: the rule that decided, e.g.
  /// "allowed: created before 2013-02-01 (default)".
  std::string sha1_rule;
  /// FIDO (sk-*) SSH signatures only: the authenticator's flags 0x01 (user
  /// present) and 0x04 (user verified); unset for every other signature.
  std::optional<bool> user_presence;
  std::optional<bool> user_verification;
};

}  // namespace vouch
