// Fuzzes OpenPGP certificates as the keyring reads them (docs/signatures.md,
// "Key files as found in the wild" and "Signing subkeys"): key files with
// several armored blocks or binary packets, every certificate's keys judged
// for weakness, every subkey's binding (binding signature, back-signature,
// expiry) decided natively, every self-signature and revocation verified.
// Any input gives an Error or a verdict, never a crash; a subkey judged
// able to sign always has a binding signature behind it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "crypto/openpgp_binding.h"
#include "crypto/openpgp_key.h"
#include "crypto/openpgp_verify.h"

namespace {

using namespace vouch::crypto::pgp;

void judge(const Certificate& c) {
  (void)key_weakness(c.primary.key);
  for (const Signature& s : c.primary.binding_sigs) (void)verify_key_signature(s, c.primary.key, nullptr);
  for (const Signature& r : c.primary.revocations) (void)verify_key_signature(r, c.primary.key, nullptr);
  for (const CertKey& sk : c.subkeys) {
    (void)key_weakness(sk.key);
    std::vector<const Signature*> bindings;
    for (const Signature& b : sk.binding_sigs) bindings.push_back(&b);
    const SubkeyBinding binding = check_subkey_binding(c.primary.key, sk.key, bindings);
    if (binding.can_sign && (bindings.empty() || !binding.problem.empty())) std::abort();
    // The same subkey claimed by a certificate whose primary is the subkey
    // itself (a rival certificate): must never be accepted for free.
    (void)check_subkey_binding(sk.key, c.primary.key, bindings);
    for (const Signature& r : sk.revocations) (void)verify_key_signature(r, c.primary.key, &sk.key);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto file = parse_key_file(input)) {
    for (const Certificate& c : file->certificates) judge(c);
    for (const Signature& r : file->revocations)
      for (const Certificate& c : file->certificates) (void)verify_key_signature(r, c.primary.key, nullptr);
    for (const std::string& block : file->blocks)
      if (block.size() > input.size() * 2 + 16) std::abort();  // base64 never grows on decoding
  }
  if (auto certs = parse_certificates(input)) {
    for (const Certificate& c : *certs) judge(c);
  }
  return 0;
}
