// Strict base64 (RFC 4648, standard alphabet). Decoding rejects characters
// outside the alphabet, bad padding and non-zero trailing bits, so that one
// signature has exactly one encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vouch::util {

/// Encodes with '=' padding, no line breaks.
std::string base64_encode(std::string_view bytes);
/// Encodes without padding (ssh-keygen's "SHA256:..." fingerprints).
std::string base64_encode_unpadded(std::string_view bytes);

enum class Padding { required, optional };

/// Decodes; nullopt on any invalid character, length or padding.
/// Whitespace is not skipped: callers join armored lines first.
std::optional<std::string> base64_decode(std::string_view text,
                                         Padding padding = Padding::required);

}  // namespace vouch::util
