#include "crypto/openpgp_signature.h"

#include "crypto/armor.h"
#include "crypto/openpgp_packet.h"
#include "util/byte_reader.h"
#include "util/hex.h"

namespace vouch::crypto::pgp {
namespace {

Error malformed(const std::string& what) {
  return make_error(ErrorKind::malformed, "OpenPGP signature: " + what);
}

std::string_view subpacket_name(uint8_t type) {
  switch (type) {
    case 2: return "signature creation time";
    case 3: return "signature expiration time";
    case 4: return "exportable certification";
    case 5: return "trust signature";
    case 6: return "regular expression";
    case 7: return "revocable";
    case 9: return "key expiration time";
    case 11: return "preferred symmetric algorithms";
    case 12: return "revocation key";
    case 16: return "issuer key ID";
    case 20: return "notation data";
    case 21: return "preferred hash algorithms";
    case 22: return "preferred compression algorithms";
    case 23: return "key server preferences";
    case 24: return "preferred key server";
    case 25: return "primary user ID";
    case 26: return "policy URI";
    case 27: return "key flags";
    case 28: return "signer's user ID";
    case 29: return "reason for revocation";
    case 30: return "features";
    case 31: return "signature target";
    case 32: return "embedded signature";
    case 33: return "issuer fingerprint";
    case 34: return "preferred AEAD algorithms";
    case 35: return "intended recipient fingerprint";
    case 37: return "attested certifications";
    case 38: return "key block";
    case 39: return "preferred AEAD ciphersuites";
    default: return "unknown";
  }
}

/// Subpackets whose meaning vouch implements, or which cannot change the
/// meaning of a verification (preferences, informational). Anything else
/// marked critical makes the signature unacceptable (RFC 9580 5.2.3.7).
/// Key server preferences (23) and the AEAD preferences (34, 39) are not
/// here: GnuPG refuses them critical, and vouch is never more lenient than a
/// reference (docs/differential.md, scripts/differential-subpacket-scan).
bool understood(uint8_t type) {
  switch (type) {
    case 2:
    case 3:
    case 4:
    case 7:
    case 9:
    case 11:
    case 16:
    case 21:
    case 22:
    case 24:
    case 25:
    case 26:
    case 27:
    case 29:
    case 30:
    case 32:
    case 33:
      return true;
    default:
      return false;
  }
}

std::optional<uint32_t> be32(std::string_view d) {
  util::ByteReader r(d);
  auto v = r.u32();
  if (!v || !r.empty()) return std::nullopt;
  return v;
}

Result<Signature> parse_signature(std::string_view body, bool embedded);

/// What is wrong with the body of a subpacket whose layout RFC 9580 5.2.3
/// fixes, in either area; nullopt when it has that layout (or the type has
/// none). A reference that refuses a malformed subpacket vouch ignored would
/// make vouch the more lenient one (docs/differential.md).
std::optional<std::string> shape_error(uint8_t type, std::string_view data, uint8_t sig_type, bool embedded) {
  auto length = [&data]() { return " has length " + std::to_string(data.size()); };
  switch (type) {
    case 2:
    case 3:
    case 9:
      if (data.size() != 4) return length();
      return std::nullopt;
    case 4:
    case 7:
    case 25:
      if (data.size() != 1) return length();
      return std::nullopt;
    case 5:
      if (data.size() != 2) return length();
      return std::nullopt;
    case 6:
      if (data.empty() || data.back() != '\0') return std::string(" is not NUL-terminated");
      return std::nullopt;
    case 12:
      if (data.size() != 22 && data.size() != 34) return length();
      return std::nullopt;
    case 16:
      if (data.size() != 8) return length();
      return std::nullopt;
    case 20: {
      util::ByteReader r(data);
      (void)r.u32();  // flags
      auto name_len = r.u16();
      auto value_len = r.u16();
      if (!value_len || r.remaining() != size_t{*name_len} + *value_len)
        return " has length " + std::to_string(data.size()) + ", not 8 + its name and value lengths";
      return std::nullopt;
    }
    case 27:
    case 29:
      if (data.empty()) return std::string(" is empty");
      return std::nullopt;
    case 31:
      if (data.size() < 2) return length();
      return std::nullopt;
    case 32: {
      if (embedded) return std::string(" is nested in an embedded signature");
      // Any error, also an unsupported version: an embedded signature is the
      // v4 back-signature of a v4 subkey, and Sequoia refuses the message
      // for any other body (docs/differential.md).
      auto inner = parse_signature(data, true);
      if (!inner) {
        std::string why = inner.error().message;
        if (why.starts_with("OpenPGP signature: ")) why.erase(0, 19);
        if (why.starts_with("OpenPGP signature ")) why.erase(0, 18);  // "version 5 is not supported"
        return " is not a signature (" + why + ")";
      }
      return std::nullopt;
    }
    case 33:
    case 35: {
      const uint8_t v = data.empty() ? 0 : static_cast<uint8_t>(data[0]);
      const size_t want = v == 4 ? 20 : (v == 5 || v == 6) ? 32 : 0;
      if (want == 0 || data.size() != want + 1)
        return " has version " + std::to_string(v) + " and length " + std::to_string(data.size());
      return std::nullopt;
    }
    case 37:
      if (sig_type != 0x16) return std::string(" outside an attestation key signature");
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

Result<void> parse_subpackets(std::string_view area, bool hashed, bool embedded, Signature& sig) {
  util::ByteReader r(area);
  while (!r.empty()) {
    auto first = r.u8();
    uint32_t len = *first;
    if (*first >= 192 && *first < 255) {
      auto second = r.u8();
      if (!second) return malformed("truncated subpacket length");
      len = ((uint32_t{*first} - 192) << 8) + *second + 192;
    } else if (*first == 255) {
      auto l = r.u32();
      if (!l) return malformed("truncated subpacket length");
      len = *l;
    }
    if (len == 0) return malformed("subpacket of length 0");
    auto sp = r.bytes(len);
    if (!sp) return malformed("subpacket length " + std::to_string(len) + " exceeds the " +
                              std::to_string(r.remaining()) + " bytes left");
    const bool critical = (static_cast<uint8_t>((*sp)[0]) & 0x80) != 0;
    const uint8_t type = static_cast<uint8_t>((*sp)[0]) & 0x7F;
    const std::string_view data = sp->substr(1);
    const std::string name = "subpacket " + std::to_string(type) + " (" + std::string(subpacket_name(type)) + ")";
    if (auto bad = shape_error(type, data, sig.type, embedded)) return malformed(name + *bad);

    if (type == 16) {  // an unauthenticated hint either way: the key is checked by the verifier
      util::ByteReader k(data);
      if (!sig.issuer_key_id) sig.issuer_key_id = k.u64();
      continue;
    }
    if (type == 33) {
      if (hashed || sig.issuer_fingerprint.empty()) sig.issuer_fingerprint = to_hex(data.substr(1));
      continue;
    }
    if (type == 32) {
      if (sig.embedded_signature.empty()) sig.embedded_signature = std::string(data);
      ++sig.embedded_signatures;
      continue;
    }
    // Unknown and critical makes the signature unacceptable in either area,
    // as GnuPG holds (docs/differential.md).
    if (critical && !understood(type) && !sig.unknown_critical) {
      sig.unknown_critical = true;
      sig.unknown_critical_what = "critical " + name;
    }
    if (!hashed) continue;  // nothing else counts unless it was signed

    switch (type) {
      case 2: case 3: case 9: {
        auto v = be32(data);  // four bytes (shape_error)
        auto earliest = [v](std::optional<int64_t>& field) {
          if (*v != 0 && (!field || *v < *field)) field = *v;
        };
        // Two signed creation times leave the time open to the verifier's
        // choice (GnuPG takes the first, Sequoia the later): refused.
        if (type == 2 && sig.created) return malformed("two hashed signature creation time subpackets");
        if (type == 2) sig.created = *v;
        if (type == 3) earliest(sig.expires_after);
        if (type == 9) earliest(sig.key_expires_after);
        break;
      }
      case 27:
        sig.key_flags = static_cast<uint8_t>(sig.key_flags.value_or(0xFF) & static_cast<uint8_t>(data[0]));
        break;
      case 29:
        sig.revocation_reason = static_cast<uint8_t>(data[0]);
        sig.revocation_text = std::string(data.substr(1));
        break;
      default: break;
    }
  }
  return {};
}

/// One signature MPI (RFC 9580 3.2): its bit count must name the most
/// significant set bit exactly, so that one signature has one encoding (a
/// count that is off is malleability Sequoia refuses; docs/differential.md).
Result<std::string> read_mpi(util::ByteReader& r, size_t index) {
  const std::string which = "MPI " + std::to_string(index) + " of the signature";
  auto bits = r.u16();
  if (!bits) return malformed("truncated " + which);
  auto bytes = r.bytes((size_t{*bits} + 7) / 8);
  if (!bytes) return malformed("truncated " + which);
  if (*bits == 0) return malformed(which + " is zero");
  if (const unsigned actual = mpi_bits(*bytes); actual != *bits)
    return malformed(which + " declares " + std::to_string(*bits) + " bits but holds a " + std::to_string(actual) +
                     "-bit value");
  return std::string(*bytes);
}

}  // namespace

std::string to_hex(std::string_view bytes) { return util::to_hex(bytes, util::HexCase::upper); }

Result<Signature> parse_signature_packet(std::string_view body) { return parse_signature(body, false); }

namespace {

/// `embedded`: the body of an embedded signature subpacket, which may not
/// hold another (bounds the recursion at one level).
Result<Signature> parse_signature(std::string_view body, bool embedded) {
  util::ByteReader r(body);
  Signature sig;
  auto version = r.u8();
  if (!version) return malformed("empty packet");
  sig.version = *version;
  if (sig.version == 3 || sig.version == 5 || sig.version == 6)
    return make_error(ErrorKind::unsupported, "OpenPGP signature version " + std::to_string(sig.version) +
                                                  " is not supported");
  if (sig.version != 4) return malformed("unknown version " + std::to_string(sig.version));
  auto type = r.u8();
  auto pk = r.u8();
  auto hash = r.u8();
  auto hashed_len = r.u16();
  if (!hashed_len) return malformed("truncated header");
  sig.type = *type;
  sig.pubkey_algo = *pk;
  sig.hash_algo = *hash;
  auto hashed = r.bytes(*hashed_len);
  if (!hashed) return malformed("hashed subpacket length " + std::to_string(*hashed_len) + " exceeds the " +
                                std::to_string(r.remaining()) + " bytes left");
  sig.hashed_data = std::string(body.substr(0, r.position()));
  auto unhashed_len = r.u16();
  if (!unhashed_len) return malformed("truncated unhashed subpacket length");
  auto unhashed = r.bytes(*unhashed_len);
  if (!unhashed) return malformed("unhashed subpacket length " + std::to_string(*unhashed_len) +
                                  " exceeds the " + std::to_string(r.remaining()) + " bytes left");
  if (auto ok = parse_subpackets(*hashed, true, embedded, sig); !ok) return ok.error();
  if (auto ok = parse_subpackets(*unhashed, false, embedded, sig); !ok) return ok.error();
  auto prefix = r.u16();
  if (!prefix) return malformed("truncated digest prefix");
  sig.digest_prefix = *prefix;

  size_t mpi_count = 0;
  switch (sig.pubkey_algo) {
    case 1: case 3: mpi_count = 1; break;   // RSA
    case 17: case 19: case 22: mpi_count = 2; break;  // DSA, ECDSA, EdDSA legacy
    case 27: case 28: {  // Ed25519, Ed448: native fixed-size signatures
      const size_t n = sig.pubkey_algo == 27 ? 64 : 114;
      auto raw = r.bytes(n);
      if (!raw) return malformed("truncated signature material");
      sig.mpis.emplace_back(*raw);
      break;
    }
    default:
      // A back-signature is made by a signing subkey vouch verifies: an
      // embedded body of another algorithm would go unread (Sequoia
      // refuses encryption algorithms in signatures).
      if (embedded)
        return malformed("public-key algorithm " + std::to_string(sig.pubkey_algo) + " is not one vouch verifies");
      return sig;  // not parsed; the verifier answers unsupported
  }
  for (size_t i = 0; i < mpi_count; ++i) {
    auto m = read_mpi(r, i + 1);
    if (!m) return m.error();
    sig.mpis.push_back(std::move(*m));
  }
  if (!r.empty()) return malformed(std::to_string(r.remaining()) + " trailing bytes after the signature material");
  return sig;
}

}  // namespace

Result<Signature> parse_detached_signature(std::string_view armored_or_binary) {
  auto data = binary_packets(armored_or_binary, "PGP SIGNATURE", "OpenPGP signature: ");
  if (!data) return data.error();
  auto packets = parse_packets(*data);
  if (!packets) return packets.error();
  if (packets->empty()) return malformed("expected exactly one signature packet, found none");
  if (packets->size() != 1 || packets->front().tag != kTagSignature) {
    return malformed("expected exactly one signature packet, found " + std::to_string(packets->size()) +
                     " packet(s), the first of tag " + std::to_string(packets->front().tag));
  }
  return parse_signature_packet(packets->front().body);
}

}  // namespace vouch::crypto::pgp
