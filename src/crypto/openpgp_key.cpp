#include "crypto/openpgp_key.h"

#include "crypto/armor.h"
#include "crypto/digest.h"
#include "crypto/openpgp_packet.h"
#include "crypto/openpgp_verify.h"
#include "util/byte_reader.h"

namespace vouch::crypto::pgp {
namespace {

Error malformed(const std::string& what) { return make_error(ErrorKind::malformed, "OpenPGP key: " + what); }

std::optional<std::string> read_mpi(util::ByteReader& r) {
  auto bits = r.u16();
  if (!bits) return std::nullopt;
  auto bytes = r.bytes((size_t{*bits} + 7) / 8);
  if (!bytes) return std::nullopt;
  return std::string(*bytes);
}

Curve curve_of(std::string_view oid) {
  if (oid == std::string_view("\x2A\x86\x48\xCE\x3D\x03\x01\x07", 8)) return Curve::p256;
  if (oid == std::string_view("\x2B\x81\x04\x00\x22", 5)) return Curve::p384;
  if (oid == std::string_view("\x2B\x81\x04\x00\x23", 5)) return Curve::p521;
  if (oid == std::string_view("\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01", 9)) return Curve::ed25519;
  return Curve::other;
}

/// Reads the algorithm-specific part of a v4 key.
Result<void> read_material(util::ByteReader& r, PublicKey& key) {
  auto mpis = [&r](size_t n, std::vector<std::string>& out) {
    for (size_t i = 0; i < n; ++i) {
      auto m = read_mpi(r);
      if (!m) return false;
      out.push_back(std::move(*m));
    }
    return true;
  };
  std::vector<std::string> values;
  switch (key.algo) {
    case kAlgoRsa: case kAlgoRsaEncrypt: case kAlgoRsaSign:
      if (!mpis(2, values)) return malformed("truncated RSA key material");
      key.rsa_n = std::move(values[0]);
      key.rsa_e = std::move(values[1]);
      key.bits = mpi_bits(key.rsa_n);
      return {};
    case kAlgoDsa:
      if (!mpis(4, values)) return malformed("truncated DSA key material");
      key.bits = mpi_bits(values[0]);
      return {};
    case kAlgoElgamal:
      if (!mpis(3, values)) return malformed("truncated ElGamal key material");
      key.bits = mpi_bits(values[0]);
      return {};
    case kAlgoEcdh: case kAlgoEcdsa: case kAlgoEddsaLegacy: {
      auto oid_len = r.u8();
      if (!oid_len || *oid_len == 0 || *oid_len == 0xFF) return malformed("bad curve OID length");
      auto oid = r.bytes(*oid_len);
      if (!oid) return malformed("truncated curve OID");
      key.curve_oid = std::string(*oid);
      key.curve = curve_of(*oid);
      if (!mpis(1, values)) return malformed("truncated EC point");
      key.point = std::move(values[0]);
      if (key.algo == kAlgoEcdh) {
        auto kdf_len = r.u8();
        if (!kdf_len || !r.bytes(*kdf_len)) return malformed("truncated ECDH KDF parameters");
      }
      return {};
    }
    case kAlgoX25519: case kAlgoX448: case kAlgoEd25519: case kAlgoEd448: {
      const size_t n = key.algo == kAlgoX25519 || key.algo == kAlgoEd25519 ? 32 : key.algo == kAlgoX448 ? 56 : 57;
      auto raw = r.bytes(n);
      if (!raw) return malformed("truncated key material");
      key.point = std::string(*raw);
      return {};
    }
    default:
      r.bytes(r.remaining());  // unknown algorithm: body and fingerprint only
      return {};
  }
}

/// The signature type of an unparsable-version signature body, if readable.
std::optional<uint8_t> raw_signature_type(std::string_view body) {
  if (body.size() >= 3 && body[0] == 3) return static_cast<uint8_t>(body[2]);
  if (body.size() >= 2) return static_cast<uint8_t>(body[1]);
  return std::nullopt;
}

bool issued_by(const Signature& sig, const PublicKey& key) {
  if (!sig.issuer_fingerprint.empty()) return sig.issuer_fingerprint == key.fingerprint;
  return sig.issuer_key_id && *sig.issuer_key_id == key.key_id;
}

bool verifies(const NativeVerification& v) {
  return v.result == NativeResult::good || v.result == NativeResult::weak;
}

}  // namespace

std::string key_weakness(const PublicKey& key) {
  const std::string size = " (" + std::to_string(key.bits) + " bits)";
  if (key.algo == kAlgoDsa) return "DSA key" + size + " is not accepted";
  const bool rsa = key.algo == kAlgoRsa || key.algo == kAlgoRsaEncrypt || key.algo == kAlgoRsaSign;
  if (rsa && key.bits < 2048) return "RSA key of " + std::to_string(key.bits) + " bits is below the 2048-bit minimum";
  return {};
}

Result<PublicKey> parse_public_key_packet(std::string_view body) {
  util::ByteReader r(body);
  PublicKey key;
  auto version = r.u8();
  if (!version) return malformed("empty key packet");
  key.version = *version;
  if (key.version == 2 || key.version == 3 || key.version == 5 || key.version == 6)
    return make_error(ErrorKind::unsupported, "OpenPGP key version " + std::to_string(key.version) + " is not supported");
  if (key.version != 4) return malformed("unknown key version " + std::to_string(key.version));
  auto created = r.u32();
  auto algo = created ? r.u8() : std::nullopt;
  if (!algo) return malformed("truncated key packet header");
  key.created = *created;
  key.algo = *algo;
  if (auto ok = read_material(r, key); !ok) return ok.error();
  if (!r.empty()) return malformed(std::to_string(r.remaining()) + " trailing bytes after the key material");
  if (body.size() > 0xFFFF) return malformed("v4 key packet longer than 65535 bytes");
  key.body = std::string(body);
  const std::string framed = std::string{static_cast<char>(0x99), static_cast<char>(body.size() >> 8),
                                         static_cast<char>(body.size() & 0xFF)} + key.body;
  const std::string fpr = digest(HashAlgo::sha1, framed);
  key.fingerprint = to_hex(fpr);
  util::ByteReader id(std::string_view(fpr).substr(12));
  key.key_id = *id.u64();
  return key;
}

namespace {

/// Builds certificates from one packet stream. Strict (parse_certificates):
/// every oddity is an error. Lenient (parse_key_file): a certificate whose
/// primary key vouch cannot parse is skipped whole, a subkey it cannot parse
/// is skipped with its signatures, and signatures before any key are kept
/// when they are key revocations (a revocation certificate).
class CertBuilder {
 public:
  CertBuilder(bool lenient, KeyFile& out, std::string where_suffix)
      : lenient_(lenient), out_(out), suffix_(std::move(where_suffix)) {}

  Result<void> add(const Packet& p) {
    const std::string where = " at offset " + std::to_string(p.offset) + suffix_;
    if (p.tag == kTagSecretKey || p.tag == kTagSecretSubkey)
      return malformed("secret key packet" + where + " (only public certificates are accepted)");
    if (p.tag == kTagPublicKey || p.tag == kTagPublicSubkey) return add_key(p, where);
    if (p.tag == kTagUserId || p.tag == kTagUserAttribute) {
      if (state_ == State::skipping) return {};
      if (state_ == State::none) {
        if (lenient_) return skip("user ID packet" + where + " before any public key");
        return malformed("user ID packet" + where + " before any primary key");
      }
      if (p.tag == kTagUserId) out_.certificates.back().user_ids.emplace_back(p.body);
      state_ = State::primary;
      return {};
    }
    if (p.tag != kTagSignature) return {};  // trust, marker, unknown: skipped
    return add_signature(p, where);
  }

 private:
  enum class State { none, primary, subkey, skipped_subkey, skipping };

  Result<void> skip(std::string why) {
    out_.skipped.push_back(std::move(why));
    return {};
  }

  Result<void> add_key(const Packet& p, const std::string& where) {
    const bool primary = p.tag == kTagPublicKey;
    auto key = parse_public_key_packet(p.body);
    if (!key) {
      if (!lenient_ || key.error().kind != ErrorKind::unsupported)
        return make_error(key.error().kind, key.error().message + where);
      // A subkey before any primary key leaves the state at none: there is
      // no certificate to hold its signatures or a following user ID.
      if (primary)
        state_ = State::skipping;
      else if (state_ != State::skipping && state_ != State::none)
        state_ = State::skipped_subkey;
      return skip((primary ? "certificate" : "subkey") + where + ": " + key.error().message);
    }
    if (primary) {
      out_.certificates.emplace_back();
      out_.certificates.back().primary.key = std::move(*key);
      state_ = State::primary;
      return {};
    }
    if (state_ == State::skipping) return {};
    if (state_ == State::none) {
      if (lenient_) return skip("subkey packet" + where + " before any primary key");
      return malformed("subkey packet" + where + " before any primary key");
    }
    out_.certificates.back().subkeys.push_back(CertKey{std::move(*key), {}, {}});
    state_ = State::subkey;
    return {};
  }

  Result<void> add_signature(const Packet& p, const std::string& where) {
    if (state_ == State::skipping || state_ == State::skipped_subkey) return {};
    auto sig = parse_signature_packet(p.body);
    if (!sig) {
      auto type = raw_signature_type(p.body);
      if (sig.error().kind == ErrorKind::unsupported && type != kSigKeyRevocation && type != kSigSubkeyRevocation)
        return {};  // e.g. an old v3 certification: GPGME's business
      if (lenient_ && sig.error().kind == ErrorKind::unsupported)
        return skip("revocation" + where + ": " + sig.error().message);
      return make_error(sig.error().kind, sig.error().message + where);
    }
    if (state_ == State::none) {
      if (!lenient_) return malformed("signature packet" + where + " before any public key");
      if (sig->type != kSigKeyRevocation)
        return skip("signature of type " + type_hex(sig->type) + where + " before any public key");
      out_.revocations.push_back(std::move(*sig));
      return {};
    }
    Certificate& cert = out_.certificates.back();
    const PublicKey& primary = cert.primary.key;
    const bool in_subkey = state_ == State::subkey;
    switch (sig->type) {
      case kSigKeyRevocation:
        if (verifies(verify_key_signature(*sig, primary, nullptr))) cert.primary.revocations.push_back(std::move(*sig));
        break;
      case kSigSubkeyRevocation:
        if (in_subkey && verifies(verify_key_signature(*sig, primary, &cert.subkeys.back().key)))
          cert.subkeys.back().revocations.push_back(std::move(*sig));
        break;
      case kSigSubkeyBinding:
        if (in_subkey) cert.subkeys.back().binding_sigs.push_back(std::move(*sig));
        break;
      case kSigDirectKey: case 0x10: case 0x11: case 0x12: case 0x13:
        if (!in_subkey && issued_by(*sig, primary)) cert.primary.binding_sigs.push_back(std::move(*sig));
        break;
      default: break;
    }
    return {};
  }

  static std::string type_hex(uint8_t t) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    return std::string("0x") + kDigits[t >> 4] + kDigits[t & 0x0F];
  }

  bool lenient_;
  KeyFile& out_;
  std::string suffix_;
  State state_ = State::none;
};

Result<void> build(std::string_view binary, bool lenient, KeyFile& out, const std::string& suffix) {
  auto packets = parse_packets(binary);
  if (!packets) return make_error(ErrorKind::malformed, packets.error().message + suffix);
  CertBuilder builder(lenient, out, suffix);
  for (const Packet& p : *packets)
    if (auto ok = builder.add(p); !ok) return ok.error();
  return {};
}

}  // namespace

Result<std::vector<Certificate>> parse_certificates(std::string_view armored_or_binary) {
  auto data = binary_packets(armored_or_binary, "PGP PUBLIC KEY BLOCK", "OpenPGP key: ");
  if (!data) return data.error();
  KeyFile file;
  if (auto ok = build(*data, false, file, ""); !ok) return ok.error();
  if (file.certificates.empty()) return malformed("no public key packet");
  return std::move(file.certificates);
}

Result<KeyFile> parse_key_file(std::string_view data) {
  KeyFile file;
  if (data.find_first_not_of(" \t\r\n") == std::string_view::npos) return malformed("the file is empty");
  if (!data.empty() && (static_cast<uint8_t>(data[0]) & 0x80) != 0) {
    file.blocks.emplace_back(data);
    if (auto ok = build(data, true, file, ""); !ok) return ok.error();
    return file;
  }
  auto blocks = dearmor_all(data);
  if (!blocks) {
    if (data.find(":-----BEGIN PGP") != std::string_view::npos)
      return malformed("no armored block; a revocation certificate from GnuPG's openpgp-revocs.d keeps a ':' "
                       "before -----BEGIN until you remove it");
    return malformed(blocks.error().message);
  }
  for (size_t i = 0; i < blocks->size(); ++i) {
    const Armored& block = (*blocks)[i];
    const std::string suffix = blocks->size() > 1 ? " of armored block " + std::to_string(i + 1) : "";
    if (block.label == "PGP PRIVATE KEY BLOCK")
      return malformed("armored block " + std::to_string(i + 1) + " is a private key (only public certificates are accepted)");
    if (block.label != "PGP PUBLIC KEY BLOCK" && block.label != "PGP SIGNATURE")
      return malformed("armored block " + std::to_string(i + 1) + " is a \"" + block.label +
                       "\", not a \"PGP PUBLIC KEY BLOCK\"");
    const size_t certs_before = file.certificates.size();
    if (auto ok = build(block.data, true, file, suffix); !ok) return ok.error();
    if (file.certificates.size() > certs_before) file.blocks.push_back(block.data);
  }
  return file;
}

}  // namespace vouch::crypto::pgp
