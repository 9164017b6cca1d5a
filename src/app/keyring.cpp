#include "app/keyring.h"

#include "app/key_source.h"
#include "trustdb/key_import.h"
#include "util/clock.h"

namespace vouch::app {

Result<trust::BundleExportReport> export_keyring(const std::string& db_flag, const std::string& dir,
                                                 const std::string& sign_key) {
  VOUCH_LET(store, open_trust_db(db_flag, trust::OpenMode::existing));
  return trust::export_bundle(store, dir, {sign_key, util::now()});
}

Result<trust::BundleImportReport> import_keyring(const std::string& db_flag, const std::string& dir,
                                                 const std::vector<std::string>& require_signers) {
  VOUCH_LET(store, open_trust_db(db_flag, trust::OpenMode::create));
  trust::BundleImportOptions opts;
  opts.now = util::now();
  for (const auto& s : require_signers) {
    VOUCH_LET(signer, trust::resolve_required_signer(store, s));
    opts.required_signers.push_back(signer.id);
    if (signer.key) opts.signer_keys.push_back(std::move(*signer.key));
  }
  return trust::import_bundle(store, dir, opts);
}

}  // namespace vouch::app
