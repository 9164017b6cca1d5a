#include "crypto/openpgp_packet.h"

#include <gtest/gtest.h>

namespace vouch::crypto::pgp {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out += static_cast<char>(v);
  return out;
}

std::string err(const Result<std::vector<Packet>>& r) { return r.ok() ? "ok" : r.error().message; }

TEST(OpenPgpPacketTest, NewFormatLengths) {
  const std::string body200(200, 'x');
  const std::string body9000(9000, 'y');
  const std::string data = bytes({0xC2, 3}) + "abc" +                       // one-octet length
                           bytes({0xCD, 0xC0, 8}) + body200 +               // two-octet: 192 + 8
                           bytes({0xC6, 0xFF, 0, 0, 0x23, 0x28}) + body9000 +  // five-octet
                           bytes({0xC2, 0});                                // empty body
  auto p = parse_packets(data);
  ASSERT_TRUE(p.ok()) << err(p);
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0].tag, 2);
  EXPECT_EQ((*p)[0].body, "abc");
  EXPECT_EQ((*p)[0].offset, 0u);
  EXPECT_EQ((*p)[1].tag, 13);
  EXPECT_EQ((*p)[1].body, body200);
  EXPECT_EQ((*p)[1].offset, 5u);
  EXPECT_EQ((*p)[2].tag, 6);
  EXPECT_EQ((*p)[2].body, body9000);
  EXPECT_EQ((*p)[2].offset, 208u);
  EXPECT_EQ((*p)[3].body, "");
  EXPECT_EQ((*p)[3].offset, 214u + 9000u);
}

TEST(OpenPgpPacketTest, OldFormatLengths) {
  const std::string data = bytes({0x88, 2}) + "hi" +         // tag 2, one-octet length
                           bytes({0x99, 0, 3}) + "key" +     // tag 6, two-octet length
                           bytes({0xB6, 0, 0, 0, 1}) + "u";  // tag 13, four-octet length
  auto p = parse_packets(data);
  ASSERT_TRUE(p.ok()) << err(p);
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ((*p)[0].tag, 2);
  EXPECT_EQ((*p)[0].body, "hi");
  EXPECT_EQ((*p)[1].tag, 6);
  EXPECT_EQ((*p)[1].body, "key");
  EXPECT_EQ((*p)[2].tag, 13);
  EXPECT_EQ((*p)[2].body, "u");
}

// Indeterminate length is for streamed data; GnuPG and Sequoia refuse it on a
// signature, and so does vouch (found by the differential harness).
TEST(OpenPgpPacketTest, OldFormatIndeterminateLengthIsRefused) {
  EXPECT_EQ(err(parse_packets(bytes({0x88, 2}) + "hi" + bytes({0x8B}) + "rest of the data")),
            "OpenPGP packet at offset 4: old-format packet of tag 2 with indeterminate length");
}

TEST(OpenPgpPacketTest, LengthsAreCheckedAgainstTheData) {
  EXPECT_EQ(err(parse_packets(bytes({0xC2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) + std::string(120, 'a'))),
            "OpenPGP packet at offset 0: length 4294967295 exceeds the 120 bytes left");
  EXPECT_EQ(err(parse_packets(bytes({0xC2, 1, 'a', 0x88, 5, 'b'}))),
            "OpenPGP packet at offset 3: length 5 exceeds the 1 bytes left");
  EXPECT_EQ(err(parse_packets(bytes({0x89, 0x01}))), "OpenPGP packet at offset 0: truncated length");
  EXPECT_EQ(err(parse_packets(bytes({0xC2}))), "OpenPGP packet at offset 0: truncated length");
  EXPECT_EQ(err(parse_packets(bytes({0xC2, 0xC5}))), "OpenPGP packet at offset 0: truncated length");
  EXPECT_EQ(err(parse_packets(bytes({0xC2, 0xFF, 0, 0}))), "OpenPGP packet at offset 0: truncated length");
}

TEST(OpenPgpPacketTest, RejectsGarbage) {
  EXPECT_EQ(err(parse_packets("")), "OpenPGP data is empty");
  EXPECT_EQ(err(parse_packets("hello")),
            "OpenPGP packet at offset 0: header octet has bit 7 clear (not OpenPGP data)");
  EXPECT_EQ(err(parse_packets(bytes({0x80, 0}))), "OpenPGP packet at offset 0: reserved packet tag 0");
  EXPECT_EQ(err(parse_packets(bytes({0xC0, 0}))), "OpenPGP packet at offset 0: reserved packet tag 0");
  EXPECT_EQ(err(parse_packets(bytes({0xC2, 0xE1, 'a', 'b'}))),
            "OpenPGP packet at offset 0: partial body length in a packet of tag 2 is not supported");
  EXPECT_EQ(err(parse_packets(bytes({0xCB, 0xE0, 'a'}))),
            "OpenPGP packet at offset 0: partial body length in a packet of tag 11 is not supported");
  EXPECT_EQ(parse_packets(std::string("\x88\x01", 2)).error().kind, ErrorKind::malformed);
}

}  // namespace
}  // namespace vouch::crypto::pgp
