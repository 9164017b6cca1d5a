// OpenPGP ASCII armor (RFC 9580 section 6): one armored block, its label,
// optional "Key: value" headers, the base64 body and the optional CRC-24.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

namespace vouch::crypto::pgp {

/// One dearmored block.
struct Armored {
  std::string label;  ///< between "BEGIN " and "-----": "PGP SIGNATURE", "PGP PUBLIC KEY BLOCK"
  std::string data;   ///< the decoded binary
};

/// True when `text`, after leading whitespace, starts with "-----BEGIN PGP ".
/// Cheap sniffing for callers that accept armored or binary input.
bool looks_like_armor(std::string_view text);

/// Decodes exactly one armored block. Leading and trailing whitespace is
/// allowed, anything else around the block is not. Header lines must look
/// like "Key: value" and end with a blank line. A "=XXXX" CRC-24 line is
/// checked when present (absent is accepted, as RFC 9580 allows). Errors
/// (all ErrorKind::malformed): no BEGIN line, bad header, bad base64, CRC
/// mismatch, missing or mismatched END line, trailing data.
Result<Armored> dearmor(std::string_view text);

/// Decodes every armored block in `text`, in order, ignoring any text
/// before, between and after them (a project's KEYS file, GitHub's key
/// files). A block starts at a line beginning "-----BEGIN " and ends at its
/// "-----END <label>-----" line; each is decoded as dearmor() does.
/// Errors (malformed): no BEGIN line at all ("armor: no \"-----BEGIN
/// ...-----\" line"), a block without its END line, or a block that does
/// not decode ("armor: block 2: CRC-24 mismatch ...").
Result<std::vector<Armored>> dearmor_all(std::string_view text);

/// Armors `data` under `label` with 64-column base64 lines and a CRC-24.
std::string armor(std::string_view label, std::string_view data);

/// The binary packets of `armored_or_binary`: de-armored when it is armor
/// (whose label must be `label`, else malformed: "<what>armor label is ..."),
/// as-is otherwise. Armor errors come back as dearmor() reports them.
Result<std::string> binary_packets(std::string_view armored_or_binary, std::string_view label,
                                   std::string_view what);

/// CRC-24 of RFC 9580 section 6.1 (exposed for tests).
uint32_t crc24(std::string_view data);

}  // namespace vouch::crypto::pgp
