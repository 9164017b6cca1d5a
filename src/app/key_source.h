// Where a verification gets its keys (docs/user-guide.md, "Keyring mode and
// policy mode"): `--keyring DIR` alone (keyring mode), or the policy's keyring
// completed from the trust database when one exists (policy mode). One place
// decides, for verify-tag, verify-archive and `approvals`.
#pragma once

#include <optional>
#include <string>

#include "keys/keyring.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::app {

/// Opens the trust database named by `--db` (empty: VOUCH_DB, then the
/// default path; docs/trust-model.md). Audit and first-seen times come from
/// util::now, so VOUCH_NOW pins them in tests.
Result<trust::TrustStore> open_trust_db(const std::string& db_flag, trust::OpenMode mode);

/// As open_trust_db(existing), but a database that does not exist yet is
/// "none" rather than an error; a corrupt or unreadable one stays an error.
Result<std::optional<trust::TrustStore>> open_optional_trust_db(const std::string& db_flag);

struct KeySource {
  std::optional<keys::Keyring> keyring;    ///< set in keyring mode
  std::optional<trust::TrustStore> store;  ///< policy mode: the database, when there is one
  trust::TrustStore* store_ptr() { return store ? &*store : nullptr; }
};

/// Keyring mode when `keyring_dir` is set (the database is not opened),
/// policy mode otherwise.
Result<KeySource> open_key_source(const std::string& keyring_dir, const std::string& db_flag);

}  // namespace vouch::app
