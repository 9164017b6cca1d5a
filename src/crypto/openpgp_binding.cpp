#include "crypto/openpgp_binding.h"

#include "crypto/openpgp_verify.h"

namespace vouch::crypto::pgp {
namespace {

bool verifies(const NativeVerification& v) { return v.result == NativeResult::good || v.result == NativeResult::weak; }

void earliest(std::optional<int64_t>& at, std::optional<int64_t> candidate) {
  if (candidate && (!at || *candidate < *at)) at = candidate;
}

}  // namespace

SubkeyBinding check_subkey_binding(const PublicKey& primary, const PublicKey& subkey,
                                   const std::vector<const Signature*>& bindings) {
  SubkeyBinding out;
  const Signature* latest = nullptr;
  std::string last_failure;
  for (const Signature* sig : bindings) {
    if (sig->type != kSigSubkeyBinding) continue;
    auto v = verify_key_signature(*sig, primary, &subkey);
    if (!verifies(v)) {
      last_failure = v.reason;
      continue;
    }
    if (*sig->created < subkey.created || *sig->created < primary.created) {
      last_failure = "binding signature predates the keys it binds";
      continue;
    }
    if (!latest || *sig->created > *latest->created) latest = sig;
  }
  if (!latest) {
    out.problem = bindings.empty() ? "it has no binding signature"
                                   : "no binding signature by its primary key verifies (" + last_failure + ")";
    return out;
  }
  if (!latest->key_flags || (*latest->key_flags & kFlagSign) == 0) {
    out.problem = latest->key_flags ? "its binding signature does not grant signing (key flags)"
                                    : "its binding signature has no hashed key flags";
    return out;
  }
  if (latest->embedded_signature.empty()) {
    out.problem = "its binding signature carries no primary-key binding signature (0x19 back-signature)";
    return out;
  }
  if (latest->embedded_signatures > 1) {
    // GnuPG and Sequoia pick different ones; vouch takes neither.
    out.problem = "its binding signature carries " + std::to_string(latest->embedded_signatures) +
                  " embedded signatures, not one back-signature";
    return out;
  }
  auto back = parse_signature_packet(latest->embedded_signature);
  if (!back) {
    out.problem = "its back-signature does not parse: " + back.error().message;
    return out;
  }
  if (back->type != kSigPrimaryKeyBinding) {
    out.problem = "its embedded signature is not a primary-key binding signature (0x19)";
    return out;
  }
  if (auto v = verify_key_signature(*back, primary, &subkey); !verifies(v)) {
    out.problem = "its back-signature (0x19) does not verify: " + v.reason;
    return out;
  }
  if (*back->created < subkey.created || *back->created < primary.created) {
    out.problem = "its back-signature (0x19) predates the keys it binds";
    return out;
  }
  // The binding counts from here on; expiration times bound it.
  if (latest->key_expires_after) earliest(out.expires, subkey.created + *latest->key_expires_after);
  if (latest->expires_after) earliest(out.expires, *latest->created + *latest->expires_after);
  if (back->expires_after) earliest(out.expires, *back->created + *back->expires_after);
  out.can_sign = true;
  return out;
}

}  // namespace vouch::crypto::pgp
