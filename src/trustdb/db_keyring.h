// The verification keyring of a trust database: every key the database holds,
// loaded from its stored material, with every recorded revocation applied on
// top (docs/signatures.md "Keys over time": the key material and the database, whichever
// says more). The statement verifier and policy verification check signatures
// against it.
#pragma once

#include "keys/keyring.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::trust {

/// keys::Revocation of a recorded revocation (hard for compromised and
/// unspecified).
keys::Revocation to_keyring_revocation(const RevocationRecord& r);

/// Adds one stored key to `ring` the way the database's keyring holds it (an
/// SSH key with an expiry through an allowed_signers valid-before line).
/// OpenPGP keys need ring.finish_openpgp() after the last one.
Result<void> add_key_record(keys::Keyring& ring, const KeyRecord& k, const std::string& source);

/// Builds the keyring: SSH keys from their OpenSSH lines (unrestricted;
/// expires from the record, e.g. an allowed_signers valid-before), OpenPGP
/// certificates imported together into one private GnuPG home
/// (finish_openpgp once), then every database revocation applied to every
/// entry of its key. Stored material that no longer loads is an error naming
/// the key (ErrorKind::malformed: the database holds something vouch cannot
/// use and should not silently drop); database errors pass through.
Result<keys::Keyring> keyring_from_store(const TrustStore& store);

}  // namespace vouch::trust
