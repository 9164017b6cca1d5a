// Hexadecimal text of bytes: digests, fingerprints, key ids.
#pragma once

#include <string>
#include <string_view>

namespace vouch::util {

enum class HexCase { lower, upper };

/// Two digits per byte, lower case unless asked otherwise.
std::string to_hex(std::string_view bytes, HexCase c = HexCase::lower);

}  // namespace vouch::util
