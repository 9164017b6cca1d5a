#include "util/hex.h"

namespace vouch::util {

std::string to_hex(std::string_view bytes, HexCase c) {
  const char* digits = c == HexCase::lower ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

}  // namespace vouch::util
