// Making approvals: choosing the signing key (docs/vouch.1: --key, or
// git's user.signingkey and gpg.format), building the statement for an
// object and signing it into one `vouch-approval v1 ...` note line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "policy/approval_check.h"
#include "statement/signer.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::policy {

/// What signs and who that is.
struct SigningIdentity {
  std::string signing_key;  ///< for statement::sign_statement: an SSH key file or an OpenPGP fingerprint
  KeyId signer;             ///< the key id written in the statement's signer line
};

/// Resolves `--key KEY`: an OpenPGP fingerprint (40/64 hex, optionally
/// "openpgp:"-prefixed; it must be the PRIMARY fingerprint, which is what
/// verification reports) or an SSH key file: a public key file (an agent-held
/// key), or a private key file whose public half is read from KEY.pub or, when
/// that is absent, from `ssh-keygen -y -f KEY`.
/// Errors (bad_input): "signing key K: no such file (...)",
/// "signing key K: not an OpenSSH key (...)".
Result<SigningIdentity> resolve_signing_key(const std::string& key);

/// The default signing key from git's configuration: `signingkey` is
/// user.signingkey (unset: nullopt), `format` is gpg.format (unset: openpgp).
/// ssh: a key file path ("~/" expanded with $HOME; "key::<public key line>"
/// literals are refused: give --key with the .pub file); openpgp: a
/// fingerprint (a key id or an e-mail address is refused, naming the value).
/// Errors (bad_input) say to set user.signingkey or pass --key.
Result<SigningIdentity> default_signing_key(const std::optional<std::string>& signingkey,
                                            const std::optional<std::string>& format);

/// Builds the approval of `object` (type, tree and repository from it;
/// signer, created = now, optional comment), signs it with namespace
/// vouch-approval and returns the transport line (no newline). An SSH
/// signature made by another key than `signer` is refused ("signing key K is
/// SHA256:X, not the signer Y"). Errors: a statement that cannot be written
/// (malformed: a comment with a line break), and those of sign_statement.
/// Whether a statement approves or withdraws this signer's approval.
enum class Withdraw { no, yes };

Result<std::string> make_approval_line(const ExpectedObject& object, const std::string& signing_key,
                                       const KeyId& signer, int64_t now, const std::optional<std::string>& comment,
                                       Withdraw withdraw = Withdraw::no);

/// Signs the complete statement `a` (its signer line naming the key behind
/// `signing_key`) into a transport line, as make_approval_line does once it
/// has built the statement; for statements ExpectedObject cannot describe
/// (an archive's, with its `tag` line). Errors as make_approval_line.
Result<std::string> sign_approval(const Approval& a, const std::string& signing_key);

}  // namespace vouch::policy
