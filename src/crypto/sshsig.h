// SSH signatures (OpenSSH PROTOCOL.sshsig) as written by `ssh-keygen -Y sign`
// and stored by git: parsing of the armored and binary forms, and native
// verification (libsodium for Ed25519, OpenSSL 3 for ECDSA and RSA, including
// the FIDO sk-* variants of PROTOCOL.u2f). No ssh-keygen at verify time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ssh_key.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::crypto {

struct SshSignature {
  /// The signer's key as embedded in the signature. For a key type vouch does
  /// not verify (ssh-dss, certificates) only `type` and `blob` are set, so the
  /// caller can still name the key; verify_sshsig reports it unsupported.
  SshPublicKey key;
  bool key_supported = true;
  std::string ns;              ///< namespace, e.g. "git" or "file"
  std::string reserved;
  std::string hash_alg;        ///< "sha256" or "sha512" when well-formed
  std::string signature_blob;  ///< wire-format signature: string type | ...
};

/// True when `text` starts with "-----BEGIN SSH SIGNATURE-----".
bool looks_like_sshsig(std::string_view text);

/// Parses the armored form: the BEGIN line, base64 lines (strict base64 once
/// joined), the END line, then nothing but whitespace. Errors are `malformed`
/// ("SSH signature: ...").
Result<SshSignature> parse_sshsig_armored(std::string_view text);

/// Parses a binary SSHSIG blob: magic "SSHSIG", version 1, and exactly the six
/// fields with no trailing bytes. Errors are `malformed`; a malformed embedded
/// key is malformed too, an unsupported key type is not an error (see above).
Result<SshSignature> parse_sshsig_blob(std::string_view blob);

struct SshVerification {
  SigStatus status = SigStatus::bad;
  std::string reason;          ///< empty when good
  bool user_present = false;   ///< sk-* keys: flags & 0x01
  bool user_verified = false;  ///< sk-* keys: flags & 0x04
  uint32_t counter = 0;        ///< sk-* keys: the authenticator's counter
};

/// Checks `sig` over `message` against the public key embedded in the
/// signature (the caller looks that key up by fingerprint). Verdicts:
/// good; bad (namespace differs from `expected_namespace`, signature type does
/// not match the key, or the signature does not verify); weak (RSA key under
/// 2048 bits, or an "ssh-rsa" SHA-1 signature, even when it verifies; any
/// ssh-dss (DSA) key, unverified);
/// unsupported (key type, hash algorithm); malformed (signature bytes that do
/// not parse). Thread-safe.
SshVerification verify_sshsig(const SshSignature& sig, std::string_view message,
                              std::string_view expected_namespace);

/// The bytes the key actually signs (PROTOCOL.sshsig): "SSHSIG" | string ns |
/// string reserved | string hash_alg | string H(message). Exposed for tests.
std::string sshsig_signed_data(std::string_view ns, std::string_view reserved,
                               std::string_view hash_alg, std::string_view message_hash);

}  // namespace vouch::crypto
