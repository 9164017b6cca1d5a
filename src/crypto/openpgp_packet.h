// OpenPGP packet framing (RFC 9580 section 4.2): splits binary data into
// packets, old- and new-format headers, every length checked against the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vouch/result.h"

namespace vouch::crypto::pgp {

/// Packet tags vouch looks at.
enum PacketTag : uint8_t {
  kTagSignature = 2,
  kTagSecretKey = 5,
  kTagPublicKey = 6,
  kTagSecretSubkey = 7,
  kTagMarker = 10,
  kTagTrust = 12,
  kTagUserId = 13,
  kTagPublicSubkey = 14,
  kTagUserAttribute = 17,
};

/// One packet; `body` points into the data given to parse_packets.
struct Packet {
  uint8_t tag;
  std::string_view body;
  size_t offset;  ///< offset of the packet header in the data
};

/// Splits `data` into packets. Errors (ErrorKind::malformed) name the offset:
/// empty input, header octet without bit 7, reserved tag 0, truncated length,
/// "length N exceeds the M bytes left". Partial body lengths (only legal for
/// data packets, which vouch never needs) are rejected, and so is an
/// old-format indeterminate length ("old-format packet of tag N with
/// indeterminate length"), as GnuPG and Sequoia do for signatures.
Result<std::vector<Packet>> parse_packets(std::string_view data);

/// Bits of an MPI's magnitude (leading zero octets ignored; 0 for zero).
unsigned mpi_bits(std::string_view m);

}  // namespace vouch::crypto::pgp
