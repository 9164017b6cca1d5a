#include "crypto/openpgp_signature.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/armor.h"

namespace vouch::crypto::pgp {
namespace {

// gpg 2.2: EdDSA key 6E7FA1F15A2A1FA51E7AC16430A746149BC71FCF, SHA256, over "hello\n".
const std::string kGpgSig =
    "-----BEGIN PGP SIGNATURE-----\n"
    "\n"
    "iHUEABYIAB0WIQRuf6HxWiofpR56wWQwp0YUm8cfzwUCawhjdgAKCRAwp0YUm8cf\n"
    "z+c3AP4vw2ZjYN4UI91rGWD5cU6Fpej25KMsnAQCIYlPj1WK9gD+Pcdew0Ya9BZp\n"
    "R5vYt/s34fgid6qL8g1FtTHGoClP4QQ=\n"
    "=eac6\n"
    "-----END PGP SIGNATURE-----\n";

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out += static_cast<char>(v);
  return out;
}

/// A v4 Ed25519 (27) signature body with the given subpacket areas.
std::string sig_body(const std::string& hashed, const std::string& unhashed, uint8_t version = 4) {
  std::string b = bytes({version, 0x00, 27, 10});
  b += bytes({static_cast<int>(hashed.size() >> 8), static_cast<int>(hashed.size() & 0xFF)}) + hashed;
  b += bytes({static_cast<int>(unhashed.size() >> 8), static_cast<int>(unhashed.size() & 0xFF)}) + unhashed;
  return b + bytes({0xAB, 0xCD}) + std::string(64, 's');
}

const std::string kCreated = bytes({5, 2, 0x61, 0, 0, 0});

std::string err(const Result<Signature>& r) { return r.ok() ? "ok" : r.error().message; }

TEST(OpenPgpSignatureTest, ParsesGpgDetachedSignature) {
  auto sig = parse_detached_signature(kGpgSig);
  ASSERT_TRUE(sig.ok()) << err(sig);
  EXPECT_EQ(sig->version, 4);
  EXPECT_EQ(sig->type, kSigBinary);
  EXPECT_EQ(sig->pubkey_algo, 22);
  EXPECT_EQ(sig->hash_algo, 8);
  EXPECT_EQ(sig->created, 0x6B086376);
  EXPECT_EQ(sig->expires_after, std::nullopt);
  EXPECT_EQ(sig->issuer_fingerprint, "6E7FA1F15A2A1FA51E7AC16430A746149BC71FCF");
  EXPECT_EQ(sig->issuer_key_id, 0x30A746149BC71FCFull);
  EXPECT_EQ(sig->digest_prefix, 0xE737);
  EXPECT_FALSE(sig->unknown_critical);
  EXPECT_EQ(to_hex(sig->hashed_data),
            "04001608001D1621046E7FA1F15A2A1FA51E7AC16430A746149BC71FCF05026B086376");
  ASSERT_EQ(sig->mpis.size(), 2u);
  EXPECT_EQ(sig->mpis[0].size(), 32u);
  EXPECT_EQ(sig->mpis[1].size(), 32u);

  // The same bytes, binary.
  auto binary = parse_detached_signature(dearmor(kGpgSig)->data);
  ASSERT_TRUE(binary.ok()) << err(binary);
  EXPECT_EQ(binary->hashed_data, sig->hashed_data);
  EXPECT_EQ(binary->mpis, sig->mpis);
}

TEST(OpenPgpSignatureTest, DetachedSignatureMustBeOneSignaturePacket) {
  const std::string data = dearmor(kGpgSig)->data;
  EXPECT_EQ(err(parse_detached_signature(armor("PGP MESSAGE", data))),
            "OpenPGP signature: armor label is \"PGP MESSAGE\", expected \"PGP SIGNATURE\"");
  EXPECT_EQ(err(parse_detached_signature(data + data)),
            "OpenPGP signature: expected exactly one signature packet, found 2 packet(s), the first of tag 2");
  EXPECT_EQ(err(parse_detached_signature(bytes({0xCD, 1, 'u'}))),
            "OpenPGP signature: expected exactly one signature packet, found 1 packet(s), the first of tag 13");
  EXPECT_EQ(err(parse_detached_signature("")), "OpenPGP data is empty");
  EXPECT_EQ(err(parse_detached_signature(data.substr(0, 50))),
            "OpenPGP packet at offset 0: length 117 exceeds the 48 bytes left");
}

TEST(OpenPgpSignatureTest, EveryTruncationIsMalformed) {
  const std::string body = dearmor(kGpgSig)->data.substr(2);
  ASSERT_TRUE(parse_signature_packet(body).ok());
  for (size_t n = 0; n < body.size(); ++n) {
    auto r = parse_signature_packet(body.substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().kind, ErrorKind::malformed) << n;
  }
  EXPECT_EQ(err(parse_signature_packet(body + "x")), "OpenPGP signature: 1 trailing bytes after the signature material");
  EXPECT_EQ(err(parse_signature_packet(body.substr(0, 90))), "OpenPGP signature: truncated MPI 2 of the signature");
}

TEST(OpenPgpSignatureTest, Versions) {
  auto v3 = parse_signature_packet(bytes({3, 5, 0, 0, 0, 0, 0}));
  ASSERT_FALSE(v3.ok());
  EXPECT_EQ(v3.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(v3.error().message, "OpenPGP signature version 3 is not supported");
  auto v6 = parse_signature_packet(sig_body(kCreated, "", 6));
  ASSERT_FALSE(v6.ok());
  EXPECT_EQ(v6.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, "", 9))), "OpenPGP signature: unknown version 9");
}

TEST(OpenPgpSignatureTest, SubpacketFacts) {
  const std::string hashed = kCreated + bytes({5, 3, 0, 0, 0x0E, 0x10}) +  // expires after 3600 s
                             bytes({5, 9, 0, 0, 0, 0}) +                   // key never expires
                             bytes({2, 27, 0x02}) +                        // key flags: sign
                             bytes({5, 29, 3}) + "old" +                   // reason: retired
                             bytes({9, 16, 1, 2, 3, 4, 5, 6, 7, 8});       // issuer key id
  const std::string unhashed = bytes({5, 2, 0x7F, 0, 0, 0}) +              // not signed: ignored
                               bytes({2, 27, 0x01}) +                      // not signed: ignored
                               bytes({9, 16, 9, 9, 9, 9, 9, 9, 9, 9});     // the hashed one wins
  auto sig = parse_signature_packet(sig_body(hashed, unhashed));
  ASSERT_TRUE(sig.ok()) << err(sig);
  EXPECT_EQ(sig->created, 0x61000000);
  EXPECT_EQ(sig->expires_after, 3600);
  EXPECT_EQ(sig->key_expires_after, std::nullopt);
  EXPECT_EQ(sig->key_flags, 0x02);
  EXPECT_EQ(sig->revocation_reason, 3);
  EXPECT_EQ(sig->revocation_text, "old");
  EXPECT_EQ(sig->issuer_key_id, 0x0102030405060708ull);
  EXPECT_EQ(sig->issuer_fingerprint, "");
  EXPECT_EQ(sig->digest_prefix, 0xABCD);
  ASSERT_EQ(sig->mpis.size(), 1u);
  EXPECT_EQ(sig->mpis[0], std::string(64, 's'));
  EXPECT_EQ(sig->hashed_data.size(), 6 + hashed.size());

  // Creation time only in the unhashed area does not count.
  auto unsigned_time = parse_signature_packet(sig_body("", bytes({5, 2, 0x61, 0, 0, 0})));
  ASSERT_TRUE(unsigned_time.ok());
  EXPECT_EQ(unsigned_time->created, std::nullopt);
}

TEST(OpenPgpSignatureTest, CriticalSubpackets) {
  // Critical creation time (gpg-style 0x82) is understood.
  auto known = parse_signature_packet(sig_body(bytes({5, 0x82, 0x61, 0, 0, 0}), ""));
  ASSERT_TRUE(known.ok());
  EXPECT_FALSE(known->unknown_critical);
  EXPECT_EQ(known->created, 0x61000000);
  // Unknown but not critical: fine. Unknown and critical: flagged.
  auto plain = parse_signature_packet(sig_body(kCreated + bytes({2, 100, 0}), ""));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->unknown_critical);
  auto crit = parse_signature_packet(sig_body(kCreated + bytes({2, 0x80 | 100, 0}), ""));
  ASSERT_TRUE(crit.ok());
  EXPECT_TRUE(crit->unknown_critical);
  EXPECT_EQ(crit->unknown_critical_what, "critical subpacket 100 (unknown)");
  // In the unhashed area too, as GnuPG holds (found by tests/differential):
  // vouch never accepts a signature gpg refuses.
  auto unhashed = parse_signature_packet(sig_body(kCreated, bytes({2, 0x80 | 100, 0})));
  ASSERT_TRUE(unhashed.ok());
  EXPECT_TRUE(unhashed->unknown_critical);
  EXPECT_EQ(unhashed->unknown_critical_what, "critical subpacket 100 (unknown)");
}

TEST(OpenPgpSignatureTest, TwoOctetSubpacketLength) {
  // length 200: type, flags, name length 5, value length 186, name, value
  std::string notation = bytes({0xC0, 0x08, 20, 0x80, 0, 0, 0, 0, 5, 0, 186}) + std::string(191, 'n');
  auto sig = parse_signature_packet(sig_body(kCreated + notation, ""));
  ASSERT_TRUE(sig.ok()) << err(sig);
  EXPECT_EQ(sig->created, 0x61000000);
}

TEST(OpenPgpSignatureTest, MalformedSubpackets) {
  EXPECT_EQ(err(parse_signature_packet(sig_body(bytes({0}), ""))), "OpenPGP signature: subpacket of length 0");
  EXPECT_EQ(err(parse_signature_packet(sig_body(bytes({9, 2, 0, 0}), ""))),
            "OpenPGP signature: subpacket length 9 exceeds the 3 bytes left");
  EXPECT_EQ(err(parse_signature_packet(sig_body(bytes({3, 2, 0, 0}), ""))),
            "OpenPGP signature: subpacket 2 (signature creation time) has length 2");
  EXPECT_EQ(err(parse_signature_packet(sig_body(bytes({4, 33, 4, 1, 2}), ""))),
            "OpenPGP signature: subpacket 33 (issuer fingerprint) has version 4 and length 3");
  EXPECT_EQ(err(parse_signature_packet(sig_body(bytes({0xFF, 0, 0}), ""))),
            "OpenPGP signature: truncated subpacket length");
}

// A subpacket whose layout RFC 9580 fixes is checked in the unhashed area
// too: Sequoia refuses these signatures, so vouch accepting them would make
// it the more lenient verifier (found by tests/differential with a bit flip
// that turned an issuer key ID into a notation).
TEST(OpenPgpSignatureTest, MalformedSubpacketsInEitherArea) {
  const std::string notation = bytes({9, 20}) + "12345678";  // lengths 0x3536 + 0x3738, no room
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, notation))),
            "OpenPGP signature: subpacket 20 (notation data) has length 8, not 8 + its name and value lengths");
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated + notation, ""))),
            "OpenPGP signature: subpacket 20 (notation data) has length 8, not 8 + its name and value lengths");
  const std::string good_notation = bytes({12, 20, 0x80, 0, 0, 0, 0, 1, 0, 2}) + "abc";
  EXPECT_TRUE(parse_signature_packet(sig_body(kCreated, good_notation)).ok());
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, bytes({1, 35})))),
            "OpenPGP signature: subpacket 35 (intended recipient fingerprint) has version 0 and length 0");
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, bytes({3, 37, 1, 2})))),
            "OpenPGP signature: subpacket 37 (attested certifications) outside an attestation key signature");
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, bytes({3, 7, 1, 1})))),
            "OpenPGP signature: subpacket 7 (revocable) has length 2");
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, bytes({5, 16, 1, 2, 3, 4})))),
            "OpenPGP signature: subpacket 16 (issuer key ID) has length 4");
  EXPECT_EQ(err(parse_signature_packet(sig_body(kCreated, bytes({4, 0x80 | 32, 4, 0, 0})))),
            "OpenPGP signature: subpacket 32 (embedded signature) is not a signature (truncated header)");
  // An embedded signature inside an embedded signature: refused, which also
  // bounds the parser's recursion at one level.
  const std::string inner = sig_body(kCreated, "");
  const std::string middle = sig_body(kCreated, bytes({static_cast<uint8_t>(inner.size() + 1), 32}) + inner);
  ASSERT_LT(middle.size() + 1, 192u);
  EXPECT_EQ(
      err(parse_signature_packet(sig_body(kCreated, bytes({static_cast<uint8_t>(middle.size() + 1), 32}) + middle))),
      "OpenPGP signature: subpacket 32 (embedded signature) is not a signature (subpacket 32 (embedded "
      "signature) is nested in an embedded signature)");
  EXPECT_TRUE(
      parse_signature_packet(sig_body(kCreated, bytes({static_cast<uint8_t>(inner.size() + 1), 32}) + inner)).ok());
  // An embedded body by an algorithm vouch does not verify would go unread
  // (its values, their MPIs, trailing bytes): refused (found by an attack).
  for (int algo : {2, 16, 18, 20, 25, 99}) {
    const std::string unread = bytes({4, 0x19, algo, 8, 0, 6, 5, 2, 0x61, 0, 0, 0, 0, 0, 0xAB, 0xCD, 0xFF});
    EXPECT_EQ(
        err(parse_signature_packet(sig_body(kCreated, bytes({static_cast<uint8_t>(unread.size() + 1), 32}) + unread))),
        "OpenPGP signature: subpacket 32 (embedded signature) is not a signature (public-key algorithm " +
            std::to_string(algo) + " is not one vouch verifies)");
  }
  // An embedded signature of another version is no v4 back-signature:
  // Sequoia refuses the message (found by an attack on the fix above).
  for (uint8_t version : {3, 5, 6}) {
    const std::string other = sig_body(kCreated, "", version);
    EXPECT_EQ(
        err(parse_signature_packet(sig_body(kCreated, bytes({static_cast<uint8_t>(other.size() + 1), 32}) + other))),
        "OpenPGP signature: subpacket 32 (embedded signature) is not a signature (version " + std::to_string(version) +
            " is not supported)");
  }
}

// An MPI's bit count must name its most significant set bit (RFC 9580 3.2):
// otherwise one signature has several encodings that verify, which Sequoia
// refuses (found by tests/differential flipping a bit count).
TEST(OpenPgpSignatureTest, MpiBitCountsMustBeExact) {
  const std::string body = dearmor(kGpgSig)->data.substr(2);
  constexpr size_t kFirst = 49, kSecond = kFirst + 2 + 32;  // after the digest prefix; r and s have 254 bits
  ASSERT_EQ(to_hex(body.substr(kFirst, 2)), "00FE");
  ASSERT_EQ(to_hex(body.substr(kSecond, 2)), "00FE");
  auto with_count = [&body](size_t at, int high, int low) {
    std::string b = body;
    b[at] = static_cast<char>(high);
    b[at + 1] = static_cast<char>(low);
    return b;
  };
  EXPECT_EQ(err(parse_signature_packet(with_count(kFirst, 0, 0xFF))),
            "OpenPGP signature: MPI 1 of the signature declares 255 bits but holds a 254-bit value");
  EXPECT_EQ(err(parse_signature_packet(with_count(kFirst, 0, 0xFD))),
            "OpenPGP signature: MPI 1 of the signature declares 253 bits but holds a 254-bit value");
  EXPECT_EQ(err(parse_signature_packet(with_count(kSecond, 0, 0xF9))),
            "OpenPGP signature: MPI 2 of the signature declares 249 bits but holds a 254-bit value");
  // A leading zero byte: 256 bits declared, 33 bytes would be wrong, 32 hold 254 bits.
  EXPECT_EQ(err(parse_signature_packet(with_count(kFirst, 1, 0))),
            "OpenPGP signature: MPI 1 of the signature declares 256 bits but holds a 254-bit value");
  std::string zero = body.substr(0, kFirst) + bytes({0, 0}) + body.substr(kSecond);
  EXPECT_EQ(err(parse_signature_packet(zero)), "OpenPGP signature: MPI 1 of the signature is zero");
  std::string padded = body.substr(0, kFirst) + bytes({1, 6, 0}) + body.substr(kFirst + 2);
  EXPECT_EQ(err(parse_signature_packet(padded)),
            "OpenPGP signature: MPI 1 of the signature declares 262 bits but holds a 254-bit value");
}

// Key server and AEAD preferences are not understood when critical: GnuPG
// refuses them (scripts/differential-subpacket-scan).
TEST(OpenPgpSignatureTest, CriticalPreferencesGnuPgRefusesAreUnknown) {
  const std::map<uint8_t, std::string> refused = {{23, "critical subpacket 23 (key server preferences)"},
                                                  {34, "critical subpacket 34 (preferred AEAD algorithms)"},
                                                  {39, "critical subpacket 39 (preferred AEAD ciphersuites)"}};
  for (const auto& [type, what] : refused) {
    auto sig = parse_signature_packet(sig_body(kCreated, bytes({2, 0x80 | type, 9})));
    ASSERT_TRUE(sig.ok()) << err(sig);
    EXPECT_TRUE(sig->unknown_critical);
    EXPECT_EQ(sig->unknown_critical_what, what);
  }
  // Those GnuPG and Sequoia take critical stay understood.
  for (uint8_t type : {21, 22, 24}) {
    auto sig = parse_signature_packet(sig_body(kCreated, bytes({2, 0x80 | type, 9})));
    ASSERT_TRUE(sig.ok()) << err(sig);
    EXPECT_FALSE(sig->unknown_critical) << int{type};
  }
  std::string long_hashed = sig_body(kCreated, "");
  long_hashed[5] = 0x7F;  // hashed area claims 127 bytes
  EXPECT_EQ(err(parse_signature_packet(long_hashed)),
            "OpenPGP signature: hashed subpacket length 127 exceeds the 74 bytes left");
}

}  // namespace
}  // namespace vouch::crypto::pgp
