// Native verification of version 4 OpenPGP signatures: RSA (PKCS#1 v1.5) and
// ECDSA on P-256/384/521 through OpenSSL, EdDSA legacy (22, Ed25519 OID) and
// Ed25519 (27) through libsodium. Everything else is `unsupported`, so the
// caller can fall back to GPGME; nothing unchecked is ever `good`.
//
// Only cryptographic facts: key lookup, key expiry and revocation times and
// trust are the caller's business (Signature::created, issuer_* give it the
// facts it needs).
#pragma once

#include <string>
#include <string_view>

#include "crypto/openpgp_key.h"
#include "crypto/openpgp_signature.h"

namespace vouch::crypto::pgp {

enum class NativeResult { good, bad, weak, unsupported, malformed };

struct NativeVerification {
  NativeResult result;
  std::string reason;  ///< empty for good; one line otherwise
  /// weak solely because of the digest (MD5, SHA-1, RIPEMD160): the
  /// signature verified and the key is acceptable, so a caller whose rules
  /// accept that digest (SHA-1 before the cut-off) may take it as good.
  bool weak_digest_only = false;
};

std::string_view to_string(NativeResult r);

/// Verifies a binary-document signature (type 0x00) by `key` over `payload`.
/// - bad: another signature type, an unknown critical subpacket, algorithm or
///   issuer not matching `key`, digest prefix mismatch, signature not verifying;
/// - weak: the signature verifies, but with an MD5, SHA-1 or RIPEMD160 digest
///   or an RSA key under 2048 bits (a policy may accept SHA-1 before a cut-off;
///   only if OpenSSL lacks MD5/RIPEMD160 is weak returned without the check);
/// - unsupported: signature/key version other than 4, algorithm or curve vouch
///   does not verify natively (DSA, ElGamal, Ed448, brainpool, SHA3, ...);
/// - malformed: no creation time, key material or signature values that
///   cannot be a valid key or signature for the algorithm.
NativeVerification verify_document(const Signature& sig, const PublicKey& key, std::string_view payload);

/// Verifies a key signature over `primary` (and `subkey`): 0x1F direct-key
/// and 0x20 key revocation (subkey null), 0x18 subkey binding and 0x28 subkey
/// revocation (subkey required), all made by the primary; 0x19 primary-key
/// binding (the back-signature embedded in a signing subkey's binding), made
/// by the subkey. Same verdicts as verify_document; any other type is bad.
NativeVerification verify_key_signature(const Signature& sig, const PublicKey& primary, const PublicKey* subkey);

}  // namespace vouch::crypto::pgp
