// Signing canonical statements (statement.h) with the user's own keys: SSH
// keys through `ssh-keygen -Y sign` (a private key file, or the .pub file of
// a key held by ssh-agent), OpenPGP keys through GPGME in the user's GnuPG
// home (crypto/gpgme_signer.h).
#pragma once

#include <string>
#include <string_view>

#include "vouch/result.h"

namespace vouch::statement {

/// Signs `text` and returns the BINARY signature that a transport line
/// carries: the SSHSIG blob for SSH, the OpenPGP signature packet otherwise.
/// `signing_key`: a 40/64-hex fingerprint, optionally "openpgp:"-prefixed, is
/// an OpenPGP key; anything else is an SSH key file. `ns` is the SSH namespace
/// ("vouch-endorsement", "vouch-revocation", "vouch-approval"); OpenPGP
/// signatures carry none (the statement's header line separates the types).
/// ssh-keygen runs with an argument vector (never a shell) on a copy of the
/// text in a private temporary directory, with the caller's environment
/// (SSH_AUTH_SOCK) and terminal (passphrase prompts).
/// Errors: bad_input for a missing key file or a key that cannot sign
/// ("ssh-keygen -Y sign failed for KEYFILE: <its first stderr line>"),
/// environment when ssh-keygen cannot run or the temporary files fail.
Result<std::string> sign_statement(std::string_view text, const std::string& signing_key, std::string_view ns);

/// The binary SSHSIG blob inside an armored "-----BEGIN SSH SIGNATURE-----"
/// block (base64 lines joined and decoded strictly). Errors are malformed.
Result<std::string> dearmor_sshsig(std::string_view armored);

}  // namespace vouch::statement
