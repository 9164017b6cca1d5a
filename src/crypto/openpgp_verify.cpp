#include "crypto/openpgp_verify.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/libraries.h"

namespace vouch::crypto::pgp {
namespace {

using BnPtr = BignumPtr;

const unsigned char* u8p(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
BnPtr bn(std::string_view bytes) { return BnPtr(BN_bin2bn(u8p(bytes), static_cast<int>(bytes.size()), nullptr)); }

NativeVerification verdict(NativeResult r, std::string reason) { return {r, std::move(reason)}; }

/// A public EVP_PKEY of `type` ("RSA", "EC") from OpenSSL parameters.
PkeyPtr pkey_from(const char* type, ParamBldPtr bld) {
  if (!bld) return nullptr;
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return PkeyPtr(raw);
}

PkeyPtr rsa_key(const PublicKey& key) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  BnPtr n = bn(key.rsa_n), e = bn(key.rsa_e);
  if (!bld || !n || !e || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  return pkey_from("RSA", std::move(bld));
}

PkeyPtr ec_key(const char* group, std::string_view point) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    return nullptr;
  return pkey_from("EC", std::move(bld));
}


std::string left_pad(std::string_view s, size_t n) { return std::string(n - s.size(), '\0') + std::string(s); }

std::optional<HashAlgo> hash_of(uint8_t id) {
  switch (id) {
    case 1: return HashAlgo::md5;
    case 2: return HashAlgo::sha1;
    case 3: return HashAlgo::ripemd160;
    case 8: return HashAlgo::sha256;
    case 9: return HashAlgo::sha384;
    case 10: return HashAlgo::sha512;
    case 11: return HashAlgo::sha224;
    default: return std::nullopt;
  }
}

std::string key_id_hex(uint64_t id) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(id));
  return buf;
}

bool is_weak(HashAlgo h) { return h == HashAlgo::md5 || h == HashAlgo::sha1 || h == HashAlgo::ripemd160; }

// ---- one check per algorithm; `digest` is the full hash.

NativeVerification check_rsa(const Signature& sig, const PublicKey& key, HashAlgo h, std::string_view digest) {
  PkeyPtr pkey = rsa_key(key);
  if (!pkey) return verdict(NativeResult::malformed, "RSA public key material is invalid");
  const size_t modulus_bytes = static_cast<size_t>(EVP_PKEY_get_size(pkey.get()));
  if (sig.mpis.size() != 1 || sig.mpis[0].size() > modulus_bytes)
    return verdict(NativeResult::bad, "RSA signature value is larger than the modulus");
  const std::string s = left_pad(sig.mpis[0], modulus_bytes);  // OpenSSL wants exactly the modulus size
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  const EVP_MD* md = EVP_get_digestbyname(std::string(to_string(h)).c_str());
  if (!ctx || !md || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1)
    return verdict(NativeResult::unsupported, "OpenSSL cannot verify RSA with " + std::string(to_string(h)));
  if (EVP_PKEY_verify(ctx.get(), u8p(s), s.size(), u8p(digest), digest.size()) != 1)
    return verdict(NativeResult::bad, "RSA signature does not verify");
  const int bits = EVP_PKEY_get_bits(pkey.get());
  if (bits < 2048)
    return verdict(NativeResult::weak, "RSA key of " + std::to_string(bits) + " bits is below the 2048-bit minimum");
  return verdict(NativeResult::good, "");
}

NativeVerification check_ecdsa(const Signature& sig, const PublicKey& key, std::string_view digest) {
  const char* group = key.curve == Curve::p256 ? "P-256" : key.curve == Curve::p384 ? "P-384" : "P-521";
  PkeyPtr pkey = ec_key(group, key.point);
  if (!pkey) return verdict(NativeResult::malformed, std::string("ECDSA public key is not a point on ") + group);
  if (sig.mpis.size() != 2) return verdict(NativeResult::malformed, "ECDSA signature needs r and s");
  EcdsaSigPtr es(ECDSA_SIG_new());
  BnPtr r = bn(sig.mpis[0]), s = bn(sig.mpis[1]);
  if (!es || !r || !s || ECDSA_SIG_set0(es.get(), r.get(), s.get()) != 1)
    return verdict(NativeResult::unsupported, "OpenSSL could not build the ECDSA signature");
  (void)r.release();  // owned by `es` now
  (void)s.release();
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(es.get(), &der);
  if (der_len <= 0) return verdict(NativeResult::unsupported, "OpenSSL could not encode the ECDSA signature");
  std::unique_ptr<unsigned char, decltype([](unsigned char* p) { OPENSSL_free(p); })> der_owner(der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1)
    return verdict(NativeResult::unsupported, "OpenSSL cannot verify ECDSA");
  if (EVP_PKEY_verify(ctx.get(), der, static_cast<size_t>(der_len), u8p(digest), digest.size()) != 1)
    return verdict(NativeResult::bad, "ECDSA signature does not verify");
  return verdict(NativeResult::good, "");
}

NativeVerification check_ed25519(std::string_view sig64, std::string_view pk32, std::string_view digest) {
  if (!sodium_ready()) return verdict(NativeResult::unsupported, "libsodium failed to initialise");
  if (crypto_sign_verify_detached(u8p(sig64), u8p(digest), digest.size(), u8p(pk32)) != 0)
    return verdict(NativeResult::bad, "Ed25519 signature does not verify");
  return verdict(NativeResult::good, "");
}

/// Shared path: `prefix` is what is hashed before the signature's hashed part
/// (the document, or the key packets).
NativeVerification check(const Signature& sig, const PublicKey& key, const std::vector<std::string_view>& prefix) {
  if (sig.version != 4)
    return verdict(NativeResult::unsupported, "signature version " + std::to_string(sig.version) + " is not verified natively");
  if (key.version != 4)
    return verdict(NativeResult::unsupported, "key version " + std::to_string(key.version) + " is not verified natively");
  if (sig.unknown_critical) return verdict(NativeResult::bad, "unknown " + sig.unknown_critical_what);
  if (!sig.created) return verdict(NativeResult::malformed, "signature has no hashed creation time subpacket");
  if (sig.pubkey_algo != key.algo)
    return verdict(NativeResult::bad, "signature algorithm " + std::to_string(sig.pubkey_algo) +
                                          " does not match key algorithm " + std::to_string(key.algo));
  if (!sig.issuer_fingerprint.empty() && sig.issuer_fingerprint != key.fingerprint)
    return verdict(NativeResult::bad, "issuer fingerprint " + sig.issuer_fingerprint + " is not key " + key.fingerprint);
  if (sig.issuer_key_id && *sig.issuer_key_id != key.key_id)
    return verdict(NativeResult::bad, "issuer key ID " + key_id_hex(*sig.issuer_key_id) + " does not match key " +
                                          key.fingerprint);

  const bool ed_legacy = key.algo == kAlgoEddsaLegacy && key.curve == Curve::ed25519;
  const bool ecdsa = key.algo == kAlgoEcdsa &&
                     (key.curve == Curve::p256 || key.curve == Curve::p384 || key.curve == Curve::p521);
  if (key.algo != kAlgoRsa && key.algo != kAlgoEd25519 && !ed_legacy && !ecdsa)
    return verdict(NativeResult::unsupported, "public key algorithm " + std::to_string(key.algo) +
                                                  (key.curve == Curve::none ? "" : " on this curve") +
                                                  " is not verified natively");
  auto h = hash_of(sig.hash_algo);
  if (!h) return verdict(NativeResult::unsupported, "digest algorithm " + std::to_string(sig.hash_algo) + " is not verified natively");

  std::string digest;
  try {
    Hasher hasher(*h);
    for (auto part : prefix) hasher.update(part);
    hasher.update(sig.hashed_data);
    const uint32_t n = static_cast<uint32_t>(sig.hashed_data.size());
    const std::array<char, 6> trailer = {0x04, static_cast<char>(0xFF), static_cast<char>(n >> 24),
                                         static_cast<char>((n >> 16) & 0xFF), static_cast<char>((n >> 8) & 0xFF),
                                         static_cast<char>(n & 0xFF)};
    hasher.update(std::string_view(trailer.data(), trailer.size()));
    digest = hasher.finish();
  } catch (const std::runtime_error&) {
    if (is_weak(*h)) return verdict(NativeResult::weak, std::string(to_string(*h)) + " digest is not accepted");
    return verdict(NativeResult::unsupported, std::string(to_string(*h)) + " is not available in OpenSSL");
  }
  const uint16_t prefix16 = static_cast<uint16_t>((static_cast<uint8_t>(digest[0]) << 8) | static_cast<uint8_t>(digest[1]));
  if (prefix16 != sig.digest_prefix) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "digest prefix %04X does not match the computed %04X",
                  static_cast<unsigned>(sig.digest_prefix), static_cast<unsigned>(prefix16));
    return verdict(NativeResult::bad, buf);
  }

  NativeVerification v;
  if (key.algo == kAlgoRsa) {
    v = check_rsa(sig, key, *h, digest);
  } else if (ecdsa) {
    v = check_ecdsa(sig, key, digest);
  } else if (ed_legacy) {
    if (key.point.size() != 33 || key.point[0] != 0x40)
      return verdict(NativeResult::malformed, "EdDSA public key is not 0x40 followed by 32 bytes");
    if (sig.mpis.size() != 2 || sig.mpis[0].size() > 32 || sig.mpis[1].size() > 32)
      return verdict(NativeResult::malformed, "EdDSA signature values are longer than 32 bytes");
    v = check_ed25519(left_pad(sig.mpis[0], 32) + left_pad(sig.mpis[1], 32), std::string_view(key.point).substr(1), digest);
  } else {  // Ed25519 (27)
    if (key.point.size() != 32 || sig.mpis.size() != 1 || sig.mpis[0].size() != 64)
      return verdict(NativeResult::malformed, "Ed25519 key or signature has the wrong size");
    v = check_ed25519(sig.mpis[0], key.point, digest);
  }
  if (v.result == NativeResult::good && is_weak(*h)) {
    v = verdict(NativeResult::weak, std::string(to_string(*h)) + " digest is not accepted");
    v.weak_digest_only = true;
  }
  return v;
}

std::string key_packet_prefix(const PublicKey& key) {
  const size_t n = key.body.size();
  std::string out = {static_cast<char>(0x99), static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
  return out + key.body;
}

}  // namespace

std::string_view to_string(NativeResult r) {
  switch (r) {
    case NativeResult::good: return "good";
    case NativeResult::bad: return "bad";
    case NativeResult::weak: return "weak";
    case NativeResult::unsupported: return "unsupported";
    case NativeResult::malformed: return "malformed";
  }
  return "?";
}

NativeVerification verify_document(const Signature& sig, const PublicKey& key, std::string_view payload) {
  if (sig.version == 4 && sig.type != kSigBinary) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "signature type 0x%02X is not a binary document signature (0x00)", sig.type);
    return verdict(NativeResult::bad, buf);
  }
  return check(sig, key, {payload});
}

NativeVerification verify_key_signature(const Signature& sig, const PublicKey& primary, const PublicKey* subkey) {
  const bool back = sig.type == kSigPrimaryKeyBinding;
  const bool on_subkey = back || sig.type == kSigSubkeyBinding || sig.type == kSigSubkeyRevocation;
  const bool on_primary = sig.type == kSigDirectKey || sig.type == kSigKeyRevocation;
  if (!on_subkey && !on_primary) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "signature type 0x%02X is not a key signature", sig.type);
    return verdict(NativeResult::bad, buf);
  }
  if (on_subkey && !subkey) return verdict(NativeResult::bad, "subkey signature without a subkey");
  if (primary.body.size() > 0xFFFF || (subkey && subkey->body.size() > 0xFFFF))
    return verdict(NativeResult::malformed, "key packet too long for a v4 key");
  const std::string p = key_packet_prefix(primary);
  const std::string s = on_subkey ? key_packet_prefix(*subkey) : std::string();
  return check(sig, back ? *subkey : primary, {p, s});
}

}  // namespace vouch::crypto::pgp
