// OpenPGP public keys and certificates (transferable public keys, RFC 9580
// section 10.1): key packets with their algorithm material and v4
// fingerprints, user IDs, subkeys, their binding and revocation signatures.
// Self-signatures are not validated here (GPGME does that), except key
// revocations, which are verified natively and kept only when they verify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openpgp_signature.h"
#include "vouch/result.h"

namespace vouch::crypto::pgp {

/// Public key algorithm numbers (RFC 9580 9.1).
enum PublicKeyAlgo : uint8_t {
  kAlgoRsa = 1,
  kAlgoRsaEncrypt = 2,
  kAlgoRsaSign = 3,
  kAlgoElgamal = 16,
  kAlgoDsa = 17,
  kAlgoEcdh = 18,
  kAlgoEcdsa = 19,
  kAlgoEddsaLegacy = 22,
  kAlgoX25519 = 25,
  kAlgoX448 = 26,
  kAlgoEd25519 = 27,
  kAlgoEd448 = 28,
};

/// Elliptic curves vouch can verify with; `other` covers everything else
/// (brainpool, secp256k1, Curve25519 for ECDH, ...).
enum class Curve { none, p256, p384, p521, ed25519, other };

struct PublicKey {
  uint8_t version = 0;
  uint8_t algo = 0;
  int64_t created = 0;
  std::string fingerprint;  ///< upper-case hex; v4: SHA-1 over 0x99 | len16 | body
  uint64_t key_id = 0;      ///< v4: the low 64 bits of the fingerprint
  std::string body;         ///< the packet body
  // Algorithm material (empty for algorithms vouch does not parse).
  std::string rsa_n, rsa_e;  ///< RSA (1, 2, 3): MPI bytes
  unsigned bits = 0;         ///< RSA: modulus bits; DSA and ElGamal: bits of p; 0 otherwise
  Curve curve = Curve::none; ///< ECDSA, ECDH, EdDSA legacy: from the OID
  std::string curve_oid;     ///< raw OID bytes
  /// ECDSA/ECDH: SEC1 point (0x04 | x | y); EdDSA legacy: 0x40 | 32 bytes;
  /// Ed25519 (27): the 32 raw bytes.
  std::string point;
};

/// Why signatures by `key` are `weak` whatever verified them (docs/signatures.md:
/// DSA, and RSA or DSA under 2048 bits), e.g. "DSA key (1024 bits) is not
/// accepted"; empty when the key is acceptable.
std::string key_weakness(const PublicKey& key);

/// Parses a public key or public subkey packet body. v4 keys only; v3, v5
/// and v6 give ErrorKind::unsupported, bad bytes ErrorKind::malformed.
/// Known algorithms must parse exactly (no trailing bytes); unknown ones keep
/// only the body and fingerprint.
Result<PublicKey> parse_public_key_packet(std::string_view body);

struct CertKey {
  PublicKey key;
  /// Primary: its direct-key (0x1F) and user-ID self-signatures (0x10..0x13)
  /// by the primary; subkey: its binding signatures (0x18). Not verified.
  std::vector<Signature> binding_sigs;
  /// Revocations (0x20 primary, 0x28 subkey) by the primary that verify
  /// natively (good, or weak: mathematically valid with a weak digest or key).
  std::vector<Signature> revocations;
};

struct Certificate {
  CertKey primary;
  std::vector<CertKey> subkeys;
  std::vector<std::string> user_ids;
};

/// One or more transferable public keys, armored ("PGP PUBLIC KEY BLOCK") or
/// binary. Trust, marker, user attribute and unknown packets are skipped.
/// Errors: malformed framing or packets, a signature before any key, secret
/// key packets (ErrorKind::malformed); a key or revocation of a version
/// vouch cannot parse (ErrorKind::unsupported).
Result<std::vector<Certificate>> parse_certificates(std::string_view armored_or_binary);

/// What one key file holds (docs/signatures.md, "Key files").
struct KeyFile {
  /// Every certificate of every block, in order.
  std::vector<Certificate> certificates;
  /// Key revocation signatures (0x20) with no key before them in their block:
  /// a revocation certificate (what `gpg --gen-revoke` writes). Not verified
  /// here: the key they revoke may be in another file.
  std::vector<Signature> revocations;
  /// What was passed over, one line each: "certificate at offset 0 of armored
  /// block 2: OpenPGP key version 5 is not supported", a stray signature.
  std::vector<std::string> skipped;
  /// The binary of each block that holds at least one certificate (the
  /// whole input when binary): what GnuPG is given to import.
  std::vector<std::string> blocks;
};

/// Reads a key file as found in the wild: binary packets, or any number of
/// armored blocks ("PGP PUBLIC KEY BLOCK", or "PGP SIGNATURE" for a bare
/// revocation) with any text before, between and after them. Unlike
/// parse_certificates, a certificate or subkey of a version vouch cannot
/// parse is skipped (and listed), not an error. Errors (malformed, with
/// offset and block): an empty file, no armor and no binary packet, a block
/// that does not decode, a private key block or packet, another armor label,
/// packets that do not parse. An input with nothing usable in it comes back
/// empty: the caller decides whether that is an error.
Result<KeyFile> parse_key_file(std::string_view data);

/// True when `sig` (a subkey binding signature) grants signing (key flag 0x02).
inline bool grants_signing(const Signature& sig) { return sig.key_flags && (*sig.key_flags & kFlagSign); }

}  // namespace vouch::crypto::pgp
