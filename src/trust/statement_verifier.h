// Verifying signed statements (statement.h): the signature over the exact
// statement bytes, through verify::check_signature (so key lifetimes,
// revocations and allowed_signers namespaces apply as for commits), and the
// statement-level rules: an endorsement must be signed by exactly its issuer
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

/// "-----BEGIN SSH SIGNATURE-----", base64 of `blob` in 70-column lines,
/// "-----END SSH SIGNATURE-----", as ssh-keygen writes it.
std::string armor_sshsig(std::string_view blob);

/// Verifies st.signature over st.text. A binary SSHSIG blob (it starts with
/// "SSHSIG") must carry namespace `ns`; a binary OpenPGP signature (first
/// byte has bit 7 set) is checked as is. SSH signatures carry no time: they
/// are taken as made at `ssh_time` when given, else at `now`. Anything else is
/// a malformed verdict; an empty signature is missing.
/// `rules`: SHA-1 cut-off and user presence (the governing policy's, for approvals).
SignatureResult verify_statement(const SignedStatement& st, const keys::Keyring& keyring, std::string_view ns,
                                 int64_t now, std::optional<int64_t> ssh_time = std::nullopt,
                                 const SignatureRules& rules = {});

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
