// Fuzzes OpenPGP armor decoding: any input gives an Error or data, never a
// crash; whatever decodes must survive armor() -> dearmor() unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/armor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::crypto::pgp;
  (void)looks_like_armor(input);
  if (auto blocks = dearmor_all(input))
    for (const auto& b : *blocks)
      if (b.label.empty()) __builtin_trap();
  auto a = dearmor(input);
  if (!a) return 0;
  auto again = dearmor(armor(a->label, a->data));
  if (!again || again->label != a->label || again->data != a->data) __builtin_trap();
  return 0;
}
