// `vouch keyring export|import` (docs/trust-model.md, "Keyring directory and
// key-set bundles"): the trust database as a signed key-set bundle an OSPO
// publishes, and such a bundle checked and applied all or nothing. The
// bundle format and its checks are bundle/; this opens the database and
// resolves the command's key arguments.
#pragma once

#include <string>
#include <vector>

#include "bundle/bundle_export.h"
#include "bundle/bundle_import.h"
#include "vouch/result.h"

namespace vouch::app {

/// Writes the bundle of the existing database `db_flag` names into `dir`,
/// MANIFEST signed with `sign_key` when it is set.
Result<trust::BundleExportReport> export_keyring(const std::string& db_flag, const std::string& dir,
                                                 const std::string& sign_key);

/// Opens (creates) the database, resolves each --require-signer argument (a
/// key id need not be held anywhere yet; a key file brings its own key; a
/// person needs exactly one key) and imports the bundle at `dir`.
Result<trust::BundleImportReport> import_keyring(const std::string& db_flag, const std::string& dir,
                                                 const std::vector<std::string>& require_signers);

}  // namespace vouch::app
