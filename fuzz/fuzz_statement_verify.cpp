// Fuzzes revocation and endorsement statements end to end, as `vouch trust
// import` and the bundle reader take them: each input line is a transport
// line (`vouch-<type> v1 <base64 text> <base64 signature>`), parsed, its
// signature verified against a keyring of two fixed SSH keys (the seed corpus
// holds real statements they signed), then the statement checked against its
// issuer or revoked key. Any input gives an Error or a verdict, never a
// crash; an accepted endorsement was issued by one of those keys.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "keys/keyring.h"
#include "statement/statement.h"
#include "statement/verifier.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"

namespace {

// Public halves only; the seeds were signed once with the private keys.
constexpr std::string_view kEd25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGP8nLck/vT3zoo7tNxb2yslDoQmC25CGFbOOsnrIOZX fuzz-ed25519";
constexpr std::string_view kEcdsa =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNoNVzknM59pGXlB1FsKhvP7BWaC70z1OZJUCRqGsf3B"
    "dxPpzLxWjMtcPMufsbStLu1KXks6SQx9Oy8JAqtY7cc= fuzz-ecdsa";
constexpr std::string_view kEd25519Id = "SHA256:pL/8nA+1txmdrLN8QTbq0qoSaEAo7mZSQY+ON7vhpPQ";
constexpr std::string_view kEcdsaId = "SHA256:ycQ9NuNPKqDVfky7a2eH5mDt3nCaANl+EgUBJ/cDG4o";
constexpr int64_t kNow = 1767225600;  // 2026-01-01

const vouch::keys::Keyring& keyring() {
  static const vouch::keys::Keyring* k = [] {
    auto* ring = new vouch::keys::Keyring();
    if (!ring->add_ssh_line(kEd25519, "ed25519.pub") || !ring->add_ssh_line(kEcdsa, "ecdsa.pub")) std::abort();
    return ring;
  }();
  return *k;
}

bool ours(const vouch::KeyId& id) {
  return id.kind == vouch::KeyKind::ssh && (id.id == kEd25519Id || id.id == kEcdsaId);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::trust;
  using vouch::statement::kEndorsementType;
  using vouch::statement::kRevocationType;
  using vouch::statement::parse_transport_line;
  using vouch::statement::verify_statement;
  const std::vector<vouch::KeyId> roots = {{vouch::KeyKind::ssh, std::string(kEcdsaId)}};
  size_t start = 0;
  while (start <= input.size()) {
    const size_t nl = input.find('\n', start);
    const std::string_view line =
        input.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? input.size() + 1 : nl + 1;
    auto st = parse_transport_line(line);
    if (!st) continue;
    (void)verify_statement(*st, keyring(), st->type, kNow);
    if (st->type == kEndorsementType) {
      if (auto e = verify_endorsement(*st, keyring(), kNow); e && !ours(e->issuer)) std::abort();
    } else if (st->type == kRevocationType) {
      (void)verify_revocation(*st, keyring(), roots, kNow);
    }
  }
  return 0;
}
