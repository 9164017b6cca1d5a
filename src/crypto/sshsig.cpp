#include "crypto/sshsig.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <memory>
#include <optional>

#include "crypto/digest.h"
#include "util/base64.h"
#include "util/byte_reader.h"
#include "crypto/libraries.h"

namespace vouch::crypto {
namespace {


const unsigned char* uc(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

BignumPtr to_bn(std::string_view magnitude) {
  return BignumPtr(BN_bin2bn(uc(magnitude), static_cast<int>(magnitude.size()), nullptr));
}

// Builds an EVP_PKEY of `type` ("EC", "RSA") from a finished parameter builder.
PkeyPtr pkey_from(const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return PkeyPtr(raw);
}

// The point is checked to lie on the curve by OpenSSL's decoder.
PkeyPtr ec_pkey(const SshPublicKey& key) {
  const char* group = key.curve == "nistp256" ? "prime256v1"
                      : key.curve == "nistp384" ? "secp384r1"
                                                : "secp521r1";
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, key.ec_point.data(),
                                       key.ec_point.size()) != 1) {
    return nullptr;
  }
  return pkey_from("EC", bld.get());
}

PkeyPtr rsa_pkey(const SshPublicKey& key) {
  BignumPtr n = to_bn(key.rsa_n), e = to_bn(key.rsa_e);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return nullptr;
  }
  return pkey_from("RSA", bld.get());
}

// EVP_DigestVerify of `data` with digest `md`; true only on a valid signature.
bool evp_verify(EVP_PKEY* pkey, const EVP_MD* md, std::string_view data, std::string_view sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey) == 1 &&
            EVP_DigestVerify(ctx.get(), uc(sig), sig.size(), uc(data), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

// ------------------------------------------------------------ helpers

constexpr std::string_view kBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kEnd = "-----END SSH SIGNATURE-----";
constexpr std::string_view kMagic = "SSHSIG";

Error malformed(std::string what) { return make_error(ErrorKind::malformed, "SSH signature: " + std::move(what)); }

SshVerification verdict(SigStatus s, std::string reason) {
  SshVerification v;
  v.status = s;
  v.reason = std::move(reason);
  return v;
}
SshVerification sig_malformed(std::string what) {
  return verdict(SigStatus::malformed, "malformed " + std::move(what));
}
SshVerification good() { return verdict(SigStatus::good, {}); }
SshVerification does_not_verify() { return verdict(SigStatus::bad, "signature does not verify"); }

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// A non-negative mpint as a DER-ready BIGNUM; nullptr when negative or missing.
BignumPtr read_mpint(util::ByteReader& r) {
  auto v = r.ssh_string();
  if (!v || (!v->empty() && (static_cast<uint8_t>(v->front()) & 0x80) != 0)) return nullptr;
  return to_bn(*v);
}

// string(mpint r | mpint s) -> DER ECDSA-Sig-Value; nullopt when malformed.
std::optional<std::string> ecdsa_der(std::string_view rs) {
  util::ByteReader r(rs);
  BignumPtr br = read_mpint(r), bs = br ? read_mpint(r) : nullptr;
  if (!br || !bs || !r.empty()) return std::nullopt;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), br.get(), bs.get()) != 1) return std::nullopt;
  br.release();  // owned by sig now
  bs.release();
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return std::nullopt;
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &p) != len) return std::nullopt;
  return der;
}

const EVP_MD* ecdsa_md(std::string_view curve) {
  if (curve == "nistp384") return EVP_sha384();
  if (curve == "nistp521") return EVP_sha512();
  return EVP_sha256();
}


bool ed25519_ok(std::string_view pk, std::string_view sig, std::string_view msg) {
  if (!sodium_ready() || pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(uc(sig), uc(msg), msg.size(), uc(pk)) == 0;
}

void set_sk_flags(SshVerification& v, uint8_t flags, uint32_t counter) {
  v.user_present = (flags & 0x01) != 0;
  v.user_verified = (flags & 0x04) != 0;
  v.counter = counter;
}

// SHA256(application) | flags | counter | extensions | SHA256-or-webauthn hash
// (PROTOCOL.u2f): what an sk-* authenticator actually signs.
std::string sk_signed(const SshPublicKey& key, uint8_t flags, uint32_t counter,
                      std::string_view extensions, std::string_view msghash) {
  std::string out = digest(HashAlgo::sha256, key.application);
  out.push_back(static_cast<char>(flags));
  put_u32(out, counter);
  out.append(extensions);
  out.append(msghash);
  return out;
}

// ------------------------------------------------------------ per key type

SshVerification verify_ed25519(const SshPublicKey& key, util::ByteReader& r, std::string_view data) {
  auto sig = r.ssh_string();
  if (!sig || sig->size() != crypto_sign_BYTES) return sig_malformed("Ed25519 signature");
  if (key.algo == SshKeyAlgo::ed25519) {
    if (!r.empty()) return sig_malformed("Ed25519 signature (trailing bytes)");
    return ed25519_ok(key.ed25519_pk, *sig, data) ? good() : does_not_verify();
  }
  auto flags = r.u8();
  auto counter = r.u32();
  if (!flags || !counter || !r.empty()) return sig_malformed("sk-ssh-ed25519 signature");
  std::string signed_bytes = sk_signed(key, *flags, *counter, {}, digest(HashAlgo::sha256, data));
  SshVerification v = ed25519_ok(key.ed25519_pk, *sig, signed_bytes) ? good()
                                                                      : does_not_verify();
  set_sk_flags(v, *flags, *counter);
  return v;
}

SshVerification verify_ecdsa(const SshPublicKey& key, util::ByteReader& r, std::string_view data) {
  auto rs = r.ssh_string();
  auto der = rs ? ecdsa_der(*rs) : std::nullopt;
  if (!der || !r.empty()) return sig_malformed("ECDSA signature");
  PkeyPtr pkey = ec_pkey(key);
  if (!pkey) return sig_malformed("ECDSA public key (point not on the curve)");
  return evp_verify(pkey.get(), ecdsa_md(key.curve), data, *der) ? good()
                                                                  : does_not_verify();
}

// webauthn (OpenSSH ssh-ecdsa-sk.c, webauthn_check_prepare_hash): the
// authenticator signs SHA256(clientDataJSON), which must begin with a fixed
// preamble carrying base64url(signed data) as the challenge and the origin.
std::optional<std::string> webauthn_hash(std::string_view data, std::string_view origin,
                                         std::string_view client_data, uint8_t flags,
                                         std::string_view extensions) {
  if (origin.find('"') != std::string_view::npos || origin.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  if ((flags & 0x40) != 0) return std::nullopt;                           // AT: attested data
  if (((flags & 0x80) == 0) != extensions.empty()) return std::nullopt;  // ED iff extensions
  std::string challenge = util::base64_encode_unpadded(data);
  for (char& c : challenge) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  std::string preamble = "{\"type\":\"webauthn.get\",\"challenge\":\"" + challenge + "\",\"origin\":\"" +
                         std::string(origin) + "\"";
  if (client_data.substr(0, preamble.size()) != preamble) return std::nullopt;
  return digest(HashAlgo::sha256, client_data);
}

SshVerification verify_sk_ecdsa(const SshPublicKey& key, std::string_view sig_type, util::ByteReader& r,
                                std::string_view data) {
  bool webauthn = sig_type == "webauthn-sk-ecdsa-sha2-nistp256@openssh.com";
  auto rs = r.ssh_string();
  auto der = rs ? ecdsa_der(*rs) : std::nullopt;
  auto flags = r.u8();
  auto counter = r.u32();
  if (!der || !flags || !counter) return sig_malformed("sk-ecdsa signature");
  std::optional<std::string_view> origin, client_data, extensions;
  if (webauthn) {
    origin = r.ssh_string();
    client_data = r.ssh_string();
    extensions = r.ssh_string();
    if (!origin || !client_data || !extensions) return sig_malformed("webauthn sk-ecdsa signature");
  }
  if (!r.empty()) return sig_malformed("sk-ecdsa signature (trailing bytes)");

  std::string msghash;
  if (webauthn) {
    auto h = webauthn_hash(data, *origin, *client_data, *flags, *extensions);
    if (!h) {
      SshVerification v = verdict(SigStatus::bad, "webauthn clientDataJSON does not match the signed data");
      set_sk_flags(v, *flags, *counter);
      return v;
    }
    msghash = std::move(*h);
  } else {
    msghash = digest(HashAlgo::sha256, data);
  }
  PkeyPtr pkey = ec_pkey(key);
  if (!pkey) return sig_malformed("ECDSA public key (point not on the curve)");
  std::string signed_bytes = sk_signed(key, *flags, *counter, extensions.value_or(""), msghash);
  SshVerification v = evp_verify(pkey.get(), EVP_sha256(), signed_bytes, *der)
                          ? good()
                          : does_not_verify();
  set_sk_flags(v, *flags, *counter);
  return v;
}

SshVerification verify_rsa(const SshPublicKey& key, std::string_view sig_type, util::ByteReader& r,
                           std::string_view data) {
  auto sig = r.ssh_string();
  if (!sig || !r.empty()) return sig_malformed("RSA signature");
  size_t modulus_bytes = key.rsa_n.size();
  if (sig->size() > modulus_bytes) return sig_malformed("RSA signature (longer than the modulus)");
  // OpenSSH may strip leading zeros; OpenSSL wants exactly the modulus length.
  std::string padded(modulus_bytes - sig->size(), '\0');
  padded.append(*sig);

  const EVP_MD* md = sig_type == "rsa-sha2-512" ? EVP_sha512()
                     : sig_type == "rsa-sha2-256" ? EVP_sha256()
                                                  : EVP_sha1();
  PkeyPtr pkey = rsa_pkey(key);
  if (!pkey) return sig_malformed("RSA public key");
  if (!evp_verify(pkey.get(), md, data, padded)) return does_not_verify();
  // Checked after the signature, so that "weak" always means "verifies, but
  // with a rejected algorithm or key size".
  if (sig_type == "ssh-rsa") return verdict(SigStatus::weak, "SHA-1 RSA signature (\"ssh-rsa\") rejected");
  if (key.bits() < 2048) {
    return verdict(SigStatus::weak,
                   "RSA key of " + std::to_string(key.bits()) + " bits is below the 2048-bit minimum");
  }
  return good();
}

// Which signature types each key type may carry.
bool sig_type_matches(const SshPublicKey& key, std::string_view t) {
  switch (key.algo) {
    case SshKeyAlgo::ed25519:
    case SshKeyAlgo::sk_ed25519:
    case SshKeyAlgo::ecdsa: return t == key.type;
    case SshKeyAlgo::sk_ecdsa:
      return t == key.type || t == "webauthn-sk-ecdsa-sha2-nistp256@openssh.com";
    case SshKeyAlgo::rsa: return t == "rsa-sha2-256" || t == "rsa-sha2-512" || t == "ssh-rsa";
  }
  return false;
}

}  // namespace

bool looks_like_sshsig(std::string_view text) { return text.substr(0, kBegin.size()) == kBegin; }

Result<SshSignature> parse_sshsig_armored(std::string_view text) {
  if (!looks_like_sshsig(text)) return malformed("missing \"" + std::string(kBegin) + "\" line");
  size_t pos = kBegin.size();
  auto next_line = [&](std::string_view& line) {
    if (pos >= text.size()) return false;
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    return true;
  };
  // The BEGIN line ends in LF alone, as ssh-keygen requires (a CR there is
  // refused by it, so by git): no signature vouch accepts is refused by them.
  if (text.substr(pos, 1) != "\n") return malformed("garbage after the BEGIN line");
  std::string_view line;
  if (!next_line(line) || !line.empty()) return malformed("garbage after the BEGIN line");

  std::string body;
  bool ended = false;
  while (next_line(line)) {
    if (line == kEnd) {
      ended = true;
      break;
    }
    if (line.empty()) return malformed("empty line inside the armor");
    body.append(line);
  }
  if (!ended) return malformed("missing \"" + std::string(kEnd) + "\" line");
  for (char c : text.substr(pos)) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return malformed("data after the END line");
  }
  auto blob = util::base64_decode(body);
  if (!blob) return malformed("invalid base64 in the armor");
  return parse_sshsig_blob(*blob);
}

Result<SshSignature> parse_sshsig_blob(std::string_view blob) {
  util::ByteReader r(blob);
  auto magic = r.bytes(kMagic.size());
  if (!magic || *magic != kMagic) return malformed("bad magic (expected \"SSHSIG\")");
  auto version = r.u32();
  if (!version) return malformed("truncated version");
  if (*version != 1) return malformed("unsupported version " + std::to_string(*version) + " (expected 1)");
  auto pk = r.ssh_string();
  auto ns = pk ? r.ssh_string() : std::nullopt;
  auto reserved = ns ? r.ssh_string() : std::nullopt;
  auto hash_alg = reserved ? r.ssh_string() : std::nullopt;
  auto signature = hash_alg ? r.ssh_string() : std::nullopt;
  if (!signature) return malformed("truncated or over-long field");
  if (!r.empty()) return malformed(std::to_string(r.remaining()) + " trailing bytes after the signature");

  SshSignature sig;
  auto key = parse_ssh_public_key_blob(*pk);
  if (key) {
    sig.key = std::move(*key);
  } else if (key.error().kind == ErrorKind::unsupported) {
    sig.key_supported = false;
    sig.key.type = ssh_blob_type(*pk);
    sig.key.blob = std::string(*pk);
  } else {
    return malformed(key.error().message);
  }
  sig.ns = std::string(*ns);
  sig.reserved = std::string(*reserved);
  sig.hash_alg = std::string(*hash_alg);
  sig.signature_blob = std::string(*signature);
  return sig;
}

std::string sshsig_signed_data(std::string_view ns, std::string_view reserved, std::string_view hash_alg,
                               std::string_view message_hash) {
  std::string out(kMagic);
  put_string(out, ns);
  put_string(out, reserved);
  put_string(out, hash_alg);
  put_string(out, message_hash);
  return out;
}

SshVerification verify_sshsig(const SshSignature& sig, std::string_view message,
                              std::string_view expected_namespace) {
  if (!sig.key_supported) {
    // DSA is rejected, not merely unverifiable (threat 33): weak, like an
    // OpenPGP DSA key, so that no backend or fallback can call it good.
    if (sig.key.type == "ssh-dss") return verdict(SigStatus::weak, "DSA key (\"ssh-dss\") is not accepted");
    return verdict(SigStatus::unsupported, "unsupported SSH key type \"" + sig.key.type + "\"");
  }
  HashAlgo hash;
  if (sig.hash_alg == "sha256") hash = HashAlgo::sha256;
  else if (sig.hash_alg == "sha512") hash = HashAlgo::sha512;
  else return verdict(SigStatus::unsupported, "unsupported SSH signature hash algorithm \"" + sig.hash_alg + "\"");
  if (sig.ns != expected_namespace) {
    return verdict(SigStatus::bad, "signature namespace \"" + sig.ns + "\" does not match expected \"" +
                                       std::string(expected_namespace) + "\"");
  }

  util::ByteReader r(sig.signature_blob);
  auto sig_type = r.ssh_string();
  if (!sig_type) return sig_malformed("signature blob (truncated type)");
  if (!sig_type_matches(sig.key, *sig_type)) {
    return verdict(SigStatus::bad, "signature type \"" + std::string(*sig_type) + "\" does not match key type \"" +
                                       sig.key.type + "\"");
  }
  // The signed data carries an empty reserved field whatever the blob says, as
  // in OpenSSH (ssh-keygen -Y verify, so git): a signature made over another
  // reserved value does not verify (docs/differential.md).
  std::string data = sshsig_signed_data(sig.ns, "", sig.hash_alg, digest(hash, message));
  switch (sig.key.algo) {
    case SshKeyAlgo::ed25519:
    case SshKeyAlgo::sk_ed25519: return verify_ed25519(sig.key, r, data);
    case SshKeyAlgo::ecdsa: return verify_ecdsa(sig.key, r, data);
    case SshKeyAlgo::sk_ecdsa: return verify_sk_ecdsa(sig.key, *sig_type, r, data);
    case SshKeyAlgo::rsa: return verify_rsa(sig.key, *sig_type, r, data);
  }
  return verdict(SigStatus::unsupported, "unsupported SSH key type \"" + sig.key.type + "\"");
}

}  // namespace vouch::crypto
