// Fuzzes OpenPGP packet framing, signature and key packets, certificates
// (including native verification of their revocations) and document
// verification: any input gives an Error or a verdict, never a crash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/openpgp_binding.h"
#include "crypto/openpgp_key.h"
#include "crypto/openpgp_packet.h"
#include "crypto/openpgp_signature.h"
#include "crypto/openpgp_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::crypto::pgp;
  std::optional<Signature> sig;
  std::optional<PublicKey> key;
  if (auto packets = parse_packets(input)) {
    for (const Packet& p : *packets) {
      if (p.tag == kTagSignature) {
        if (auto s = parse_signature_packet(p.body)) sig = std::move(*s);
      } else if (p.tag == kTagPublicKey || p.tag == kTagPublicSubkey) {
        if (auto k = parse_public_key_packet(p.body)) key = std::move(*k);
      }
    }
  }
  if (sig && key) {
    (void)verify_document(*sig, *key, input);
    (void)verify_key_signature(*sig, *key, &*key);
  }
  (void)parse_detached_signature(input);
  if (auto certs = parse_certificates(input)) {
    for (const Certificate& c : *certs) {
      for (const CertKey& sk : c.subkeys)
        for (const Signature& b : sk.binding_sigs) (void)verify_key_signature(b, c.primary.key, &sk.key);
    }
  }
  // Key files as found in the wild, and the subkey binding check over them.
  if (auto file = parse_key_file(input)) {
    for (const Certificate& c : file->certificates)
      for (const CertKey& sk : c.subkeys) {
        std::vector<const Signature*> bindings;
        for (const Signature& b : sk.binding_sigs) bindings.push_back(&b);
        (void)check_subkey_binding(c.primary.key, sk.key, bindings);
      }
    for (const Signature& r : file->revocations)
      if (!file->certificates.empty()) (void)verify_key_signature(r, file->certificates[0].primary.key, nullptr);
  }
  return 0;
}
