// Fuzzes the OpenSSH public key parsers (a .pub line and a raw blob) and the
// allowed_signers parser over the same input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/ssh_key.h"
#include "keys/allowed_signers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto key = vouch::crypto::parse_ssh_public_key_line(input)) {
    (void)key->fingerprint();
    (void)key->bits();
    (void)vouch::crypto::to_openssh_line(*key);
  }
  if (auto key = vouch::crypto::parse_ssh_public_key_blob(input)) (void)key->bits();
  if (auto signers = vouch::keys::parse_allowed_signers(input, "allowed_signers")) {
    for (const auto& s : *signers) (void)s.key.fingerprint();
  }
  (void)vouch::keys::parse_allowed_signers_time(input);
  return 0;
}
