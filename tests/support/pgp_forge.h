// Hand-made OpenPGP v4 certificates and signatures (EdDSA legacy on
// Ed25519, which GnuPG 2.2 imports) and FIDO sk-ssh-ed25519 signatures, for
// tests that need what gpg and ssh-keygen never write: a signing subkey
// without its back-signature, someone else's subkey bound to a certificate,
// key flags in the unhashed area, an authenticator that skipped the touch.
// Header-only; signs with libsodium.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/armor.h"
#include "crypto/digest.h"
#include "crypto/sshsig.h"
#include "util/base64.h"

namespace vouch::test::forge {

inline std::string be16(uint32_t v) { return {static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)}; }
inline std::string be32(uint32_t v) { return be16(v >> 16) + be16(v & 0xFFFF); }

/// An MPI of a big-endian magnitude.
inline std::string mpi(std::string_view bytes) {
  while (!bytes.empty() && bytes.front() == 0) bytes.remove_prefix(1);
  unsigned bits = 0;
  if (!bytes.empty()) {
    unsigned top = 0;
    for (auto b = static_cast<uint8_t>(bytes[0]); b != 0; b >>= 1) ++top;
    bits = static_cast<unsigned>((bytes.size() - 1) * 8) + top;
  }
  return be16(bits) + std::string(bytes);
}

/// A new-format packet.
inline std::string packet(uint8_t tag, std::string_view body) {
  const size_t n = body.size();
  std::string head = {static_cast<char>(0xC0 | tag)};
  if (n < 192) head += static_cast<char>(n);
  else head += {static_cast<char>(((n - 192) >> 8) + 192), static_cast<char>((n - 192) & 0xFF)};
  return head + std::string(body);
}

/// A signature subpacket (`critical` sets bit 7 of the type).
inline std::string subpacket(uint8_t type, std::string_view data, bool critical = false) {
  const size_t n = data.size() + 1;
  std::string head;
  if (n < 192) head += static_cast<char>(n);
  else head += {static_cast<char>(((n - 192) >> 8) + 192), static_cast<char>((n - 192) & 0xFF)};
  return head + static_cast<char>(critical ? type | 0x80 : type) + std::string(data);
}

inline void sodium_ready() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

/// An EdDSA (algorithm 22, Ed25519) key: public packet body, fingerprint.
struct EdKey {
  std::string seed, pk, sk;
  int64_t created = 0;
  std::string body;    ///< public key packet body
  std::string framed;  ///< 0x99 | len16 | body: what key signatures hash
  std::string fpr;     ///< 20 raw bytes

  explicit EdKey(int64_t created_at) : created(created_at) {
    sodium_ready();
    seed.resize(32);
    randombytes_buf(seed.data(), seed.size());
    pk.resize(crypto_sign_PUBLICKEYBYTES);
    sk.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()), reinterpret_cast<unsigned char*>(sk.data()),
                             reinterpret_cast<const unsigned char*>(seed.data()));
    const std::string oid("\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01", 9);
    body = std::string("\x04", 1) + be32(static_cast<uint32_t>(created)) + static_cast<char>(22) +
           static_cast<char>(oid.size()) + oid + mpi("\x40" + pk);
    framed = "\x99" + be16(static_cast<uint32_t>(body.size())) + body;
    fpr = crypto::digest(crypto::HashAlgo::sha1, framed);
  }

  std::string fpr_hex() const {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (char c : fpr) {
      out += kDigits[static_cast<uint8_t>(c) >> 4];
      out += kDigits[static_cast<uint8_t>(c) & 0x0F];
    }
    return out;
  }

  /// Body of a signature packet of `type` over `prefix`: hashed creation time
  /// and issuer fingerprint, then `hashed`; unhashed issuer key ID, then
  /// `unhashed`. `hash` 8 is SHA-256, 2 SHA-1.
  std::string sign(uint8_t type, std::string_view prefix, const std::string& hashed, int64_t when,
                   const std::string& unhashed = "", uint8_t hash = 8) const {
    const std::string subs = subpacket(2, be32(static_cast<uint32_t>(when))) + subpacket(33, "\x04" + fpr) + hashed;
    const std::string head = std::string{4, static_cast<char>(type), 22, static_cast<char>(hash)} +
                             be16(static_cast<uint32_t>(subs.size())) + subs;
    crypto::Hasher h(hash == 2 ? crypto::HashAlgo::sha1 : crypto::HashAlgo::sha256);
    h.update(prefix);
    h.update(head);
    h.update(std::string("\x04\xFF", 2) + be32(static_cast<uint32_t>(head.size())));
    const std::string digest = h.finish();
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(digest.data()), digest.size(),
                         reinterpret_cast<const unsigned char*>(sk.data()));
    const std::string s(reinterpret_cast<const char*>(sig), sizeof sig);
    const std::string unhashed_all = subpacket(16, fpr.substr(12)) + unhashed;
    return head + be16(static_cast<uint32_t>(unhashed_all.size())) + unhashed_all + digest.substr(0, 2) +
           mpi(s.substr(0, 32)) + mpi(s.substr(32));
  }
};

/// Primary key packet, user ID and its positive certification (0x13, key
/// flags `flags`: 0x01 certify only, 0x03 certify and sign).
inline std::string primary_with_uid(const EdKey& p, const std::string& uid, uint8_t flags = 0x01) {
  const std::string prefix = p.framed + "\xB4" + be32(static_cast<uint32_t>(uid.size())) + uid;
  return packet(6, p.body) + packet(13, uid) +
         packet(2, p.sign(0x13, prefix, subpacket(27, std::string(1, static_cast<char>(flags))), p.created));
}

/// The back-signature (0x19) that `subkey` makes for `primary`.
inline std::string back_signature(const EdKey& primary, const EdKey& subkey, int64_t when) {
  return subkey.sign(0x19, primary.framed + subkey.framed, "", when);
}

/// Subkey packet plus a binding signature by `signer` (normally the primary)
/// over (primary, subkey) with `hashed` extra subpackets (e.g. key flags and
/// an embedded back-signature) and `unhashed` ones.
inline std::string bound_subkey(const EdKey& primary, const EdKey& subkey, const EdKey& signer,
                                const std::string& hashed, const std::string& unhashed = "", int64_t when = 0) {
  const int64_t at = when ? when : std::max(primary.created, subkey.created);
  return packet(14, subkey.body) + packet(2, signer.sign(0x18, primary.framed + subkey.framed, hashed, at, unhashed));
}

/// The hashed subpackets of a proper signing-subkey binding.
inline std::string signing_binding(const EdKey& primary, const EdKey& subkey) {
  return subpacket(27, "\x02") + subpacket(32, back_signature(primary, subkey, std::max(primary.created, subkey.created)));
}

inline std::string armored_cert(const std::string& packets) { return crypto::pgp::armor("PGP PUBLIC KEY BLOCK", packets); }

/// An armored detached binary-document signature (0x00) of `data`.
inline std::string sign_document(const EdKey& key, std::string_view data, int64_t when, uint8_t hash = 8) {
  return crypto::pgp::armor("PGP SIGNATURE", packet(2, key.sign(0x00, data, "", when, "", hash)));
}

// ---- FIDO sk-ssh-ed25519

inline std::string ssh_string(std::string_view s) { return be32(static_cast<uint32_t>(s.size())) + std::string(s); }

/// An sk-ssh-ed25519@openssh.com key (application "ssh:") that signs with
/// whatever flags the test asks for.
struct SkKey {
  EdKey ed{0};
  std::string blob() const {
    return ssh_string("sk-ssh-ed25519@openssh.com") + ssh_string(ed.pk) + ssh_string("ssh:");
  }
  std::string pub_line() const { return "sk-ssh-ed25519@openssh.com " + util::base64_encode(blob()) + " sk"; }

  /// An armored SSHSIG over `message` in namespace `ns` with authenticator
  /// `flags` (0x01 user present, 0x04 user verified).
  std::string sign(std::string_view message, const std::string& ns, uint8_t flags, uint32_t counter = 1) const {
    const std::string h = crypto::digest(crypto::HashAlgo::sha512, message);
    const std::string signed_data = crypto::sshsig_signed_data(ns, "", "sha512", h);
    const std::string to_sign = crypto::digest(crypto::HashAlgo::sha256, "ssh:") + static_cast<char>(flags) +
                                be32(counter) + crypto::digest(crypto::HashAlgo::sha256, signed_data);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(),
                         reinterpret_cast<const unsigned char*>(ed.sk.data()));
    const std::string wire = ssh_string("sk-ssh-ed25519@openssh.com") +
                             ssh_string(std::string(reinterpret_cast<const char*>(sig), sizeof sig)) +
                             static_cast<char>(flags) + be32(counter);
    const std::string blob_ = std::string("SSHSIG") + be32(1) + ssh_string(blob()) + ssh_string(ns) + ssh_string("") +
                              ssh_string("sha512") + ssh_string(wire);
    const std::string b64 = util::base64_encode(blob_);
    std::string out = "-----BEGIN SSH SIGNATURE-----\n";
    for (size_t i = 0; i < b64.size(); i += 70) out += b64.substr(i, 70) + "\n";
    return out + "-----END SSH SIGNATURE-----\n";
  }
};

}  // namespace vouch::test::forge
