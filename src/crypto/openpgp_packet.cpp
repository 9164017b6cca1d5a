#include "crypto/openpgp_packet.h"

#include <string>

#include "util/byte_reader.h"

namespace vouch::crypto::pgp {
namespace {

Error at(size_t offset, const std::string& what) {
  return make_error(ErrorKind::malformed, "OpenPGP packet at offset " + std::to_string(offset) + ": " + what);
}

}  // namespace

Result<std::vector<Packet>> parse_packets(std::string_view data) {
  if (data.empty()) return make_error(ErrorKind::malformed, "OpenPGP data is empty");
  std::vector<Packet> packets;
  util::ByteReader r(data);
  while (!r.empty()) {
    const size_t offset = r.position();
    const uint8_t ctb = *r.u8();
    if ((ctb & 0x80) == 0) return at(offset, "header octet has bit 7 clear (not OpenPGP data)");
    uint8_t tag = 0;
    uint64_t length = 0;
    if (ctb & 0x40) {  // new format
      tag = ctb & 0x3F;
      auto first = r.u8();
      if (!first) return at(offset, "truncated length");
      if (*first < 192) {
        length = *first;
      } else if (*first < 224) {
        auto second = r.u8();
        if (!second) return at(offset, "truncated length");
        length = ((uint64_t{*first} - 192) << 8) + *second + 192;
      } else if (*first == 255) {
        auto len = r.u32();
        if (!len) return at(offset, "truncated length");
        length = *len;
      } else {
        return at(offset, "partial body length in a packet of tag " + std::to_string(tag) +
                              " is not supported");
      }
    } else {  // old format
      tag = (ctb >> 2) & 0x0F;
      switch (ctb & 0x03) {
        case 0: {
          auto len = r.u8();
          if (!len) return at(offset, "truncated length");
          length = *len;
          break;
        }
        case 1: {
          auto len = r.u16();
          if (!len) return at(offset, "truncated length");
          length = *len;
          break;
        }
        case 2: {
          auto len = r.u32();
          if (!len) return at(offset, "truncated length");
          length = *len;
          break;
        }
        default:
          // Indeterminate length ("to the end"): only ever meant for streamed
          // data packets. GnuPG and Sequoia refuse it on signatures and keys,
          // and so does vouch (docs/differential.md).
          return at(offset, "old-format packet of tag " + std::to_string(tag) + " with indeterminate length");
      }
    }
    if (tag == 0) return at(offset, "reserved packet tag 0");
    if (length > r.remaining())
      return at(offset, "length " + std::to_string(length) + " exceeds the " + std::to_string(r.remaining()) +
                            " bytes left");
    packets.push_back(Packet{tag, *r.bytes(static_cast<size_t>(length)), offset});
  }
  return packets;
}

unsigned mpi_bits(std::string_view m) {
  size_t i = 0;
  while (i < m.size() && m[i] == 0) ++i;
  if (i == m.size()) return 0;
  unsigned top = 0;
  for (auto b = static_cast<uint8_t>(m[i]); b != 0; b >>= 1) ++top;
  return static_cast<unsigned>((m.size() - i - 1) * 8) + top;
}

}  // namespace vouch::crypto::pgp
