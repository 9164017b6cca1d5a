#include "trustdb/db_keyring.h"

#include <ctime>

namespace vouch::trust {
namespace {

/// "PERSON valid-before=\"YYYYMMDDHHMMSSZ\" type base64 [comment]". The principal
/// is only a label: signature checks do not match principals.
std::string ssh_line_with_expiry(const KeyRecord& k) {
  std::time_t t = static_cast<std::time_t>(*k.expires);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%SZ", &tm);
  return k.person.value_or("trust-db") + " valid-before=\"" + stamp + "\" " + k.material + "\n";
}

}  // namespace

keys::Revocation to_keyring_revocation(const RevocationRecord& r) {
  return keys::Revocation{r.time, is_hard(r.reason), std::string(to_string(r.reason))};
}

Result<void> add_key_record(keys::Keyring& ring, const KeyRecord& k, const std::string& source) {
  if (k.id.kind == KeyKind::openpgp) return ring.add_openpgp(k.material, source);
  // The keyring carries an SSH key's expiry only through allowed_signers
  // valid-before; the record's expiry (from such a line) goes back that way.
  if (k.expires) return ring.add_allowed_signers(ssh_line_with_expiry(k), source);
  return ring.add_ssh_line(k.material, source);
}

Result<keys::Keyring> keyring_from_store(const TrustStore& store) {
  auto stored = store.list_keys();
  if (!stored) return stored.error();
  keys::Keyring ring;
  for (const auto& k : *stored) {
    auto added = add_key_record(ring, k, "trust database key " + k.id.str());
    if (!added) return make_error(ErrorKind::malformed, added.error().message);
  }
  if (auto done = ring.finish_openpgp(); !done) return done.error();
  auto revocations = store.list_revocations();
  if (!revocations) return revocations.error();
  for (const auto& r : *revocations) ring.add_revocation(r.key, to_keyring_revocation(r));
  return ring;
}

}  // namespace vouch::trust
