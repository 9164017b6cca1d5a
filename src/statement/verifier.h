// Verifying a signed statement (statement.h): the signature over the exact
// statement bytes, through signature::check_signature, so key lifetimes,
// revocations and allowed_signers namespaces apply as for commits. What a
// statement then means is its type's business (approvals in policy/,
// endorsements and revocations in trust/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keys/keyring.h"
#include "statement/statement.h"
#include "vouch/types.h"

namespace vouch::statement {

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

}  // namespace vouch::statement
