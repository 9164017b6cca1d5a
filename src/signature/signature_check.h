// One signature, one verdict: recognises the format (SSHSIG, OpenPGP,
// X.509), verifies it natively (GPGME only as the fallback), finds the key in
// the keyring and applies the rules of "Keys over time": expiry, soft and
// hard revocation, allowed_signers windows and namespaces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "keys/keyring.h"
#include "vouch/types.h"

namespace vouch::signature {

struct SignatureContext {
  /// SSH namespace the signature must carry: "git" for commits and tags,
  /// "file" for release files, "vouch-approval" for approvals.
  std::string ssh_namespace = "git";
  /// When the SSH signature is taken to have been made (SSHSIG carries no
  /// time): the committer time of a commit, the tagger time of a tag, or
  /// `now` for a file. OpenPGP signatures use their own creation time.
  int64_t ssh_time = 0;
  /// The verifier's "now" (--at): used for signature expiration.
  int64_t now = 0;
  /// SHA-1 cut-off and user presence: the governing policy's [signatures],
  /// or the defaults, with --allow-sha1-before applied (signature_rules.h).
  SignatureRules rules = {};
};

/// Verifies `signature` (armored, as git stores it) over `payload`.
/// Never throws; every outcome is a SignatureResult whose `reason` says what
/// is wrong for anything but good. Thread-safe for concurrent calls sharing
/// one Keyring. Beyond the mathematics and the key's lifetime:
/// - OpenPGP: `digest` is set; MD5 and RIPEMD160 are weak; SHA-1 is weak
///   unless created before ctx.rules.sha1_cutoff (`sha1_rule` says which
///   rule decided); a DSA key or an RSA/DSA key under 2048 bits is weak
///   whichever backend verified; a signing subkey validly bound to two
///   certificates is bad ("... is bound to both A and B ...").
/// - SSH sk-*: `user_presence`/`user_verification` are set; without the
///   presence flag the signature is bad when ctx.rules.require_user_presence.
SignatureResult check_signature(const keys::Keyring& keyring, std::string_view signature, std::string_view payload,
                                const SignatureContext& ctx);

/// One line for a signature that is not good, as every report writes it:
/// `signature unknown-key by ssh:SHA256:...: key ... is not in the keyring`.
std::string signature_failure(const SignatureResult& s);

}  // namespace vouch::signature
