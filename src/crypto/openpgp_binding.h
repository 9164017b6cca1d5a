// Whether an OpenPGP subkey may sign for its certificate, decided natively
// (docs/signatures.md; threat 31): GnuPG's rules, checked by vouch itself rather
// than taken from GPGME's `can_sign`, so that no certificate can borrow
// someone else's signing subkey.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/openpgp_key.h"

namespace vouch::crypto::pgp {

struct SubkeyBinding {
  /// True only when the latest subkey binding signature (0x18) that the
  /// primary made over (primary, subkey) verifies, is not older than the
  /// subkey, grants signing (key flag 0x02 in its hashed area) and embeds a
  /// primary-key binding signature (0x19) that the subkey made over
  /// (primary, subkey) and that verifies.
  bool can_sign = false;
  /// When the binding stops counting: the subkey's key expiration (hashed
  /// subpacket 9 of that binding) or either signature's own expiration,
  /// whichever is first; unset when none.
  std::optional<int64_t> expires;
  /// Why it cannot sign, one line, e.g. "its binding signature carries no
  /// primary-key binding signature (0x19 back-signature)"; empty when it can.
  std::string problem;
};

/// Judges `subkey` of `primary` from its binding signatures (gathered from
/// every file that carried the certificate). Digests and key sizes that are
/// weak for documents do not void a binding (GnuPG accepts them too); a
/// signature that does not verify, names another issuer or is of another
/// type does. Cost: a few signature checks, once per subkey at load.
SubkeyBinding check_subkey_binding(const PublicKey& primary, const PublicKey& subkey,
                                   const std::vector<const Signature*>& bindings);

}  // namespace vouch::crypto::pgp
