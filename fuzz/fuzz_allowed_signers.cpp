// Fuzzes allowed_signers files (keys/allowed_signers.h) as the keyring loads
// them: every line parsed, every accepted entry turned into keyring entries
// looked up by fingerprint; TIME values on their own. Any input gives an
// Error or entries, never a crash; an accepted file yields one keyring entry
// per line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keys/allowed_signers.h"
#include "keys/keyring.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::keys;
  (void)parse_allowed_signers_time(input);
  auto entries = parse_allowed_signers(input, "allowed_signers");
  Keyring keyring;
  auto added = keyring.add_allowed_signers(input, "allowed_signers");
  if (entries.ok() != added.ok()) std::abort();
  if (!entries) return 0;
  size_t found = 0;
  for (const AllowedSigner& e : *entries) {
    if (e.line < 1) std::abort();
    (void)e.key.fingerprint();
    if (e.valid_after && e.valid_before) (void)(*e.valid_after < *e.valid_before);
    found += keyring.find_ssh(e.key.fingerprint()).empty() ? 0 : 1;
  }
  if (found != entries->size()) std::abort();
  (void)keyring.add_ssh_line(input, "x.pub");
  return 0;
}
