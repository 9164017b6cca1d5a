// Verifying the trust database's signed statements: the signature through
// statement/verifier.h, then the statement-level rules: an endorsement must be signed by exactly its issuer
// key, a revocation by the revoked key itself or by a root.
//
// Error kinds: malformed when the statement does not parse (text, type);
// bad_input when the signature is not good or was made by the wrong key.
// The CLI maps both to exit status 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/keyring.h"
#include "trust/model.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::trust {

/// Parses and verifies an endorsement: type "vouch-endorsement", a canonical
/// text, a good signature (namespace vouch-endorsement; an SSH signature is
/// taken as made at the statement's `created`) by exactly the `issuer` key.
/// Refusals: "endorsement issuer X but signed by Y"; "endorsement signature
/// is <verdict>: <reason>".
Result<Endorsement> verify_endorsement(const SignedStatement& st, const keys::Keyring& issuer_keys, int64_t now);

/// Parses and verifies a revocation statement (namespace vouch-revocation):
/// good when signed by one of `roots`, or by the revoked key itself. A
/// self-signature still counts when the keyring already holds the key as
/// revoked or expired: the signature verified, and revoking a key can only
/// reduce what it is trusted for. Refusal for another signer: "revocation of
/// X signed by Y, which is neither the revoked key nor a root".
Result<RevocationStatement> verify_revocation(const SignedStatement& st, const keys::Keyring& keyring,
                                              const std::vector<KeyId>& roots, int64_t now);

}  // namespace vouch::trust
