#include "crypto/ssh_key.h"

#include <optional>

#include "crypto/digest.h"
#include "util/base64.h"
#include "util/byte_reader.h"

namespace vouch::crypto {
namespace {

constexpr size_t kMaxRsaBytes = 16384 / 8;  // OpenSSH's SSHBUF_MAX_BIGNUM

Error malformed(std::string what) {
  return make_error(ErrorKind::malformed, "SSH public key: " + std::move(what));
}

// SSH "mpint" (RFC 4251 section 5) as a non-negative magnitude with leading
// zeros removed. Negative values are never valid key parameters.
std::optional<std::string> read_positive_mpint(util::ByteReader& r) {
  auto v = r.ssh_string();
  if (!v) return std::nullopt;
  if (!v->empty() && (static_cast<uint8_t>(v->front()) & 0x80) != 0) return std::nullopt;
  size_t i = 0;
  while (i < v->size() && (*v)[i] == '\0') ++i;
  return std::string(v->substr(i));
}

unsigned bit_length(std::string_view magnitude) {
  if (magnitude.empty()) return 0;
  unsigned top = static_cast<uint8_t>(magnitude.front());
  unsigned bits = 0;
  while (top != 0) { ++bits; top >>= 1; }
  return static_cast<unsigned>((magnitude.size() - 1) * 8) + bits;
}

// Field size in bytes of the curves OpenSSH uses.
size_t field_bytes(std::string_view curve) {
  if (curve == "nistp256") return 32;
  if (curve == "nistp384") return 48;
  if (curve == "nistp521") return 66;
  return 0;
}

Result<void> read_ecdsa(util::ByteReader& r, SshPublicKey& key, std::string_view expected_curve) {
  auto curve = r.ssh_string();
  auto point = r.ssh_string();
  if (!curve || !point) return malformed("truncated ECDSA key");
  if (*curve != expected_curve) {
    return malformed("curve \"" + std::string(*curve) + "\" does not match key type \"" + key.type + "\"");
  }
  size_t n = field_bytes(*curve);
  if (point->size() != 1 + 2 * n || (*point)[0] != '\x04') {
    return malformed("ECDSA point is not an uncompressed " + std::string(*curve) + " point");
  }
  key.curve = std::string(*curve);
  key.ec_point = std::string(*point);
  return {};
}

Result<void> read_ed25519(util::ByteReader& r, SshPublicKey& key) {
  auto pk = r.ssh_string();
  if (!pk) return malformed("truncated Ed25519 key");
  if (pk->size() != 32) return malformed("Ed25519 public key is not 32 bytes");
  key.ed25519_pk = std::string(*pk);
  return {};
}

Result<void> read_application(util::ByteReader& r, SshPublicKey& key) {
  auto app = r.ssh_string();
  if (!app) return malformed("truncated FIDO application");
  key.application = std::string(*app);
  return {};
}

}  // namespace

std::string SshPublicKey::fingerprint() const {
  return "SHA256:" + util::base64_encode_unpadded(digest(HashAlgo::sha256, blob));
}

unsigned SshPublicKey::bits() const {
  switch (algo) {
    case SshKeyAlgo::ed25519:
    case SshKeyAlgo::sk_ed25519: return 256;
    case SshKeyAlgo::ecdsa:
    case SshKeyAlgo::sk_ecdsa:
      if (curve == "nistp384") return 384;
      if (curve == "nistp521") return 521;
      return 256;
    case SshKeyAlgo::rsa: return bit_length(rsa_n);
  }
  return 0;
}

std::string ssh_blob_type(std::string_view blob) {
  util::ByteReader r(blob);
  auto t = r.ssh_string();
  return t ? std::string(*t) : std::string();
}

Result<SshPublicKey> parse_ssh_public_key_blob(std::string_view blob) {
  util::ByteReader r(blob);
  auto type = r.ssh_string();
  if (!type) return malformed("truncated key type");
  SshPublicKey key;
  key.type = std::string(*type);
  key.blob = std::string(blob);

  Result<void> body;
  if (key.type == "ssh-ed25519") {
    key.algo = SshKeyAlgo::ed25519;
    body = read_ed25519(r, key);
  } else if (key.type == "sk-ssh-ed25519@openssh.com") {
    key.algo = SshKeyAlgo::sk_ed25519;
    body = read_ed25519(r, key);
    if (body) body = read_application(r, key);
  } else if (key.type == "ecdsa-sha2-nistp256" || key.type == "ecdsa-sha2-nistp384" ||
             key.type == "ecdsa-sha2-nistp521") {
    key.algo = SshKeyAlgo::ecdsa;
    body = read_ecdsa(r, key, std::string_view(key.type).substr(11));
  } else if (key.type == "sk-ecdsa-sha2-nistp256@openssh.com") {
    key.algo = SshKeyAlgo::sk_ecdsa;
    body = read_ecdsa(r, key, "nistp256");
    if (body) body = read_application(r, key);
  } else if (key.type == "ssh-rsa") {
    key.algo = SshKeyAlgo::rsa;
    auto e = read_positive_mpint(r);
    auto n = e ? read_positive_mpint(r) : std::nullopt;
    if (!e || !n) return malformed("truncated or negative RSA parameter");
    if (e->empty() || n->empty()) return malformed("RSA parameter is zero");
    if (n->size() > kMaxRsaBytes) return malformed("RSA modulus larger than 16384 bits");
    if (e->size() > 8) return malformed("RSA public exponent too large");
    key.rsa_e = std::move(*e);
    key.rsa_n = std::move(*n);
  } else {
    return make_error(ErrorKind::unsupported, "unsupported SSH key type \"" + key.type + "\"");
  }
  if (!body) return body.error();
  if (!r.empty()) return malformed("trailing bytes after the " + key.type + " key");
  return key;
}

Result<SshPublicKey> parse_ssh_public_key_line(std::string_view line) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  auto skip = [&](size_t i) { while (i < line.size() && is_space(line[i])) ++i; return i; };
  auto word_end = [&](size_t i) { while (i < line.size() && !is_space(line[i])) ++i; return i; };

  size_t t0 = skip(0), t1 = word_end(t0);
  size_t b0 = skip(t1), b1 = word_end(b0);
  if (t0 == t1 || b0 == b1) return malformed("expected \"type base64 [comment]\"");
  std::string_view type = line.substr(t0, t1 - t0);
  auto blob = util::base64_decode(line.substr(b0, b1 - b0));
  if (!blob) return malformed("invalid base64 in the key");

  auto key = parse_ssh_public_key_blob(*blob);
  if (!key) return key;
  if (key->type != type) {
    return malformed("key type \"" + std::string(type) + "\" does not match the blob's type \"" +
                     key->type + "\"");
  }
  size_t c0 = skip(b1), c1 = line.size();
  while (c1 > c0 && is_space(line[c1 - 1])) --c1;
  key->comment = std::string(line.substr(c0, c1 - c0));
  return key;
}

std::string to_openssh_line(const SshPublicKey& key) {
  std::string out = key.type + " " + util::base64_encode(key.blob);
  if (!key.comment.empty()) out += " " + key.comment;
  return out;
}

}  // namespace vouch::crypto
