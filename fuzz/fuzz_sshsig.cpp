// Fuzzes SSHSIG parsing (armored and binary) and native verification: any
// input must give an Error or a verdict, never a crash, and never "good"
// unless the signature really verifies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/sshsig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::crypto;
  (void)looks_like_sshsig(input);
  for (auto sig : {parse_sshsig_armored(input), parse_sshsig_blob(input)}) {
    if (!sig) continue;
    (void)sig->key.fingerprint();
    (void)sig->key.bits();
    (void)verify_sshsig(*sig, "This is a test, this is only a test", sig->ns);
    (void)verify_sshsig(*sig, input, "git");
  }
  return 0;
}
