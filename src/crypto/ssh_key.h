// OpenSSH public keys: the wire-format blob (RFC 4253 section 6.6, PROTOCOL.u2f
// for the sk-* FIDO types) and the one-line ".pub" form "type base64 [comment]".
//
// Parsing is strict because the blob is the key's identity: the fingerprint is
// SHA-256 over exactly these bytes, so every field is length-checked, trailing
// bytes are an error and non-canonical encodings are rejected.
#pragma once

#include <string>
#include <string_view>

#include "vouch/result.h"

namespace vouch::crypto {

/// The key algorithms vouch verifies natively.
enum class SshKeyAlgo { ed25519, sk_ed25519, ecdsa, sk_ecdsa, rsa };

struct SshPublicKey {
  /// "ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256/384/521",
  /// "sk-ecdsa-sha2-nistp256@openssh.com" or "ssh-rsa".
  std::string type;
  std::string blob;     ///< the whole wire-format public key blob
  std::string comment;  ///< from a .pub / allowed_signers line; may be empty

  SshKeyAlgo algo = SshKeyAlgo::ed25519;
  std::string ed25519_pk;   ///< 32 bytes (ed25519, sk_ed25519)
  std::string curve;        ///< "nistp256", "nistp384", "nistp521" (ecdsa, sk_ecdsa)
  std::string ec_point;     ///< uncompressed point 0x04|X|Y (ecdsa, sk_ecdsa)
  std::string rsa_e;        ///< big-endian magnitude, no leading zero bytes (rsa)
  std::string rsa_n;        ///< big-endian magnitude, no leading zero bytes (rsa)
  std::string application;  ///< FIDO application, usually "ssh:" (sk_*)

  /// "SHA256:<unpadded base64 of SHA-256(blob)>", exactly like ssh-keygen -l.
  std::string fingerprint() const;
  /// RSA modulus bits, curve size (256/384/521), 256 for (sk-)ed25519.
  unsigned bits() const;
  /// True for the FIDO types (sk-*), whose signatures carry flags and a counter.
  bool is_sk() const { return algo == SshKeyAlgo::sk_ed25519 || algo == SshKeyAlgo::sk_ecdsa; }
};

/// Parses a wire-format public key blob. Errors: `malformed` for bad lengths,
/// bad points, trailing bytes; `unsupported` for well-formed blobs of other
/// types (ssh-dss, certificates, ...), message `unsupported SSH key type "T"`.
Result<SshPublicKey> parse_ssh_public_key_blob(std::string_view blob);

/// Parses "type base64 [comment]" (a .pub file's line; surrounding whitespace
/// ignored). The type in the line must equal the type inside the blob.
Result<SshPublicKey> parse_ssh_public_key_line(std::string_view line);

/// "type base64[ comment]" as ssh-keygen writes it (no newline).
std::string to_openssh_line(const SshPublicKey& key);

/// Reads the type string at the start of a blob without validating the rest;
/// empty when the blob does not even start with an SSH string.
std::string ssh_blob_type(std::string_view blob);

}  // namespace vouch::crypto
