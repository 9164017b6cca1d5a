#include "archive/name_key.h"

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace vouch::archive {
namespace {

struct FreeDeleter {
  void operator()(uint8_t* p) const { std::free(p); }
};
using Owned = std::unique_ptr<uint8_t, FreeDeleter>;

const uint8_t* bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

bool valid_utf8(std::string_view s) { return u8_check(bytes(s), s.size()) == nullptr; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string slashes(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\\', '/');
  return out;
}

}  // namespace

std::string nfc(std::string_view name) {
  if (!valid_utf8(name)) return std::string(name);
  size_t len = 0;
  Owned out(u8_normalize(UNINORM_NFC, bytes(name), name.size(), nullptr, &len));
  if (!out) return std::string(name);
  return std::string(reinterpret_cast<const char*>(out.get()), len);
}

std::string collision_key(std::string_view name) {
  std::string s = slashes(name);
  if (!valid_utf8(s)) return ascii_lower(s);
  size_t nfd_len = 0;
  Owned nfd(u8_normalize(UNINORM_NFD, bytes(s), s.size(), nullptr, &nfd_len));
  if (!nfd) return ascii_lower(s);
  size_t len = 0;
  Owned folded(u8_casefold(nfd.get(), nfd_len, nullptr, UNINORM_NFC, nullptr, &len));
  if (!folded) return ascii_lower(s);
  return std::string(reinterpret_cast<const char*>(folded.get()), len);
}

std::string collision_kind(std::string_view a, std::string_view b) {
  if (nfc(a) == nfc(b)) return "after Unicode NFC normalisation";
  if (slashes(a) == slashes(b)) return "as Windows reads '\\'";
  return "case-insensitively";
}

}  // namespace vouch::archive
