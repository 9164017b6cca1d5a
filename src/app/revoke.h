// `vouch key revoke` (docs/trust-model.md, "Revocation statements"): records a
// revocation of a key in the trust database, optionally as a signed statement
// that travels in bundles. A signed one is checked as anyone importing it
// would check it (signed by the revoked key itself or by a root) before it is
// stored.
#pragma once

#include <string>

#include "trust/model.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::app {

struct RevokeOptions {
  std::string key;        ///< anything `vouch key` accepts
  std::string reason;     ///< compromised | superseded | retired | unspecified
  std::string sign_with;  ///< empty: a local decision, unsigned
  std::string comment;
};

struct RevokeResult {
  KeyId key;
  trust::RevocationRecord record;
  bool added = false;  ///< false: the database already held this revocation
};

Result<RevokeResult> revoke_key(trust::TrustStore& db, const RevokeOptions& opts);

}  // namespace vouch::app
