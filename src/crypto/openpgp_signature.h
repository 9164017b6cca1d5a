// OpenPGP signature packets (RFC 9580 section 5.2), version 4: the fields
// and subpackets vouch acts on, the hashed part, and the signature material.
// Parsing only; openpgp_verify.h checks the signature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

namespace vouch::crypto::pgp {

/// Signature types vouch distinguishes.
enum SignatureType : uint8_t {
  kSigBinary = 0x00,
  kSigText = 0x01,
  kSigSubkeyBinding = 0x18,
  kSigPrimaryKeyBinding = 0x19,
  kSigDirectKey = 0x1F,
  kSigKeyRevocation = 0x20,
  kSigSubkeyRevocation = 0x28,
};

/// Key flags (subpacket 27, first octet).
enum KeyFlag : uint8_t { kFlagCertify = 0x01, kFlagSign = 0x02 };

struct Signature {
  uint8_t version = 0;
  uint8_t type = 0;
  uint8_t pubkey_algo = 0;
  uint8_t hash_algo = 0;
  /// What is hashed after the signed data: version .. end of the hashed
  /// subpacket area. The verifier appends the v4 trailer itself.
  std::string hashed_data;
  // Facts from the hashed area only (unhashed subpackets are not signed).
  std::optional<int64_t> created;         ///< subpacket 2
  std::optional<int64_t> expires_after;   ///< subpacket 3, seconds after created; 0 (never) -> nullopt
  std::string issuer_fingerprint;         ///< subpacket 33 (hashed, else unhashed), upper-case hex, empty if absent
  std::optional<uint64_t> issuer_key_id;  ///< subpacket 16 (hashed or unhashed)
  std::optional<uint8_t> revocation_reason;  ///< subpacket 29
  std::string revocation_text;
  std::optional<uint8_t> key_flags;          ///< subpacket 27, first octet
  std::optional<int64_t> key_expires_after;  ///< subpacket 9, seconds after key creation; 0 -> nullopt
  // A subpacket repeated in the hashed area counts at its strictest: key
  // flags are AND-ed, expiration times give the earliest.
  /// Subpacket 32 (embedded signature, a signing subkey's 0x19
  /// back-signature): the body of the first one, hashed area first; empty
  /// if none. Either area will do: only the subkey can have made it.
  std::string embedded_signature;
  /// How many embedded signature subpackets there are, in both areas (a
  /// binding with more than one names no single back-signature).
  size_t embedded_signatures = 0;
  /// A critical hashed subpacket vouch does not understand; the signature
  /// must then not verify. `what` is e.g. "critical subpacket 20 (notation data)".
  bool unknown_critical = false;
  std::string unknown_critical_what;
  uint16_t digest_prefix = 0;
  /// RSA: s; DSA, ECDSA, EdDSA legacy (22): r, s (MPI bytes, leading zeros
  /// stripped); Ed25519 (27): the 64 raw bytes as one element; other
  /// algorithms: empty (not parsed).
  std::vector<std::string> mpis;
};

/// Parses the body of a signature packet. Versions 3, 5 and 6 give
/// ErrorKind::unsupported; anything that does not parse, including trailing
/// bytes, gives ErrorKind::malformed naming the field.
Result<Signature> parse_signature_packet(std::string_view body);

/// A detached signature, armored ("PGP SIGNATURE") or binary: exactly one
/// signature packet, else ErrorKind::malformed.
Result<Signature> parse_detached_signature(std::string_view armored_or_binary);

/// Upper-case hex of `bytes`.
std::string to_hex(std::string_view bytes);

}  // namespace vouch::crypto::pgp
