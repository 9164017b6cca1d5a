#include "crypto/armor.h"

#include <gtest/gtest.h>

namespace vouch::crypto::pgp {
namespace {

// A real gpg 2.2 detached signature (EdDSA, over "hello\n").
const std::string kGpgSig =
    "-----BEGIN PGP SIGNATURE-----\n"
    "\n"
    "iHUEABYIAB0WIQRuf6HxWiofpR56wWQwp0YUm8cfzwUCawhjdgAKCRAwp0YUm8cf\n"
    "z+c3AP4vw2ZjYN4UI91rGWD5cU6Fpej25KMsnAQCIYlPj1WK9gD+Pcdew0Ya9BZp\n"
    "R5vYt/s34fgid6qL8g1FtTHGoClP4QQ=\n"
    "=eac6\n"
    "-----END PGP SIGNATURE-----\n";

std::string err(const Result<Armored>& r) { return r.ok() ? "ok" : r.error().message; }

TEST(ArmorTest, Crc24KnownValue) {
  EXPECT_EQ(crc24(""), 0xB704CEu);
  EXPECT_EQ(crc24("123456789"), 0x21CF02u);  // CRC-24/OPENPGP check value
}

TEST(ArmorTest, DearmorsGpgOutput) {
  ASSERT_TRUE(looks_like_armor(kGpgSig));
  auto a = dearmor(kGpgSig);
  ASSERT_TRUE(a.ok()) << err(a);
  EXPECT_EQ(a->label, "PGP SIGNATURE");
  EXPECT_EQ(a->data.size(), 119u);
  EXPECT_EQ(static_cast<uint8_t>(a->data[0]), 0x88);
}

TEST(ArmorTest, RoundTripsAndAcceptsHeadersCrlfAndNoCrc) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>(i * 7);
  const std::string text = armor("PGP PUBLIC KEY BLOCK", data);
  auto a = dearmor(text);
  ASSERT_TRUE(a.ok()) << err(a);
  EXPECT_EQ(a->label, "PGP PUBLIC KEY BLOCK");
  EXPECT_EQ(a->data, data);

  std::string with_headers = text;
  with_headers.insert(with_headers.find('\n') + 1, "Version: GnuPG v2\nComment: hi: there\n");
  auto h = dearmor(with_headers);
  ASSERT_TRUE(h.ok()) << err(h);
  EXPECT_EQ(h->data, data);

  std::string crlf;
  for (char c : with_headers) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto c = dearmor("\n  " + crlf + "\n\n");
  ASSERT_TRUE(c.ok()) << err(c);
  EXPECT_EQ(c->data, data);

  std::string no_crc = text;
  auto eq = no_crc.rfind("\n=");
  no_crc.erase(eq + 1, 6);
  ASSERT_EQ(no_crc.find("\n="), std::string::npos);
  auto n = dearmor(no_crc);
  ASSERT_TRUE(n.ok()) << err(n);
  EXPECT_EQ(n->data, data);
}

TEST(ArmorTest, RejectsWrongCrc) {
  std::string bad = kGpgSig;
  bad.replace(bad.find("=eac6"), 5, "=eac7");
  EXPECT_EQ(err(dearmor(bad)), "armor: CRC-24 mismatch (armor says 0x79A73B, data gives 0x79A73A)");
  bad.replace(bad.find("=eac7"), 5, "=ea!6");
  EXPECT_EQ(err(dearmor(bad)), "armor: bad CRC-24 line \"=ea!6\"");
}

TEST(ArmorTest, RejectsBadBase64) {
  std::string bad = kGpgSig;
  bad.replace(bad.find("iHUE"), 4, "iH*E");
  EXPECT_EQ(err(dearmor(bad)), "armor: bad base64 in the body");
  std::string missing_pad = kGpgSig;
  missing_pad.erase(missing_pad.find("QQ=") + 2, 1);
  EXPECT_EQ(err(dearmor(missing_pad)), "armor: bad base64 in the body");
}

TEST(ArmorTest, RejectsStructuralProblems) {
  EXPECT_EQ(err(dearmor("")), "armor: empty input");
  EXPECT_EQ(err(dearmor(" \n\n")), "armor: empty input");
  EXPECT_EQ(err(dearmor("hello\n")), "armor: no \"-----BEGIN ...-----\" line at the start");
  EXPECT_EQ(err(dearmor("-----BEGIN -----\n")), "armor: no \"-----BEGIN ...-----\" line at the start");
  // Truncated: the END line and part of the body are missing.
  EXPECT_EQ(err(dearmor(kGpgSig.substr(0, 100))), "armor: missing \"-----END PGP SIGNATURE-----\" line");
  EXPECT_EQ(err(dearmor(kGpgSig.substr(0, 31))), "armor: missing \"-----END PGP SIGNATURE-----\" line");

  std::string other_end = kGpgSig;
  other_end.replace(other_end.find("END PGP SIGNATURE"), 17, "END PGP MESSAGE");
  EXPECT_EQ(err(dearmor(other_end)),
            "armor: END label \"PGP MESSAGE\" does not match BEGIN label \"PGP SIGNATURE\"");
  EXPECT_EQ(err(dearmor(kGpgSig + "trailer\n")), "armor: data after the END line");

  std::string no_blank = kGpgSig;
  no_blank.erase(no_blank.find("\n\n"), 1);
  EXPECT_EQ(err(dearmor(no_blank)), "armor: header line 2 is not \"Key: value\"");
  EXPECT_EQ(err(dearmor("-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n")),
            "armor: no blank line between the armor headers and the body");
}

TEST(ArmorTest, LooksLikeArmor) {
  EXPECT_TRUE(looks_like_armor("\n\t-----BEGIN PGP SIGNATURE-----"));
  EXPECT_FALSE(looks_like_armor("-----BEGIN SSH SIGNATURE-----"));
  EXPECT_FALSE(looks_like_armor(std::string("\x88\x75", 2)));
  EXPECT_FALSE(looks_like_armor(""));
}

}  // namespace
}  // namespace vouch::crypto::pgp
