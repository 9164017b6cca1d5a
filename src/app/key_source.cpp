#include "app/key_source.h"

#include "util/clock.h"

namespace vouch::app {

Result<trust::TrustStore> open_trust_db(const std::string& db_flag, trust::OpenMode mode) {
  VOUCH_LET(path, trust::resolve_db_path(db_flag));
  auto store = trust::TrustStore::open(path, mode);
  if (store) store->set_clock(util::now);
  return store;
}

Result<std::optional<trust::TrustStore>> open_optional_trust_db(const std::string& db_flag) {
  auto store = open_trust_db(db_flag, trust::OpenMode::existing);
  if (!store) {
    if (store.error().kind == ErrorKind::not_found) return std::optional<trust::TrustStore>{};
    return store.error();
  }
  return std::optional<trust::TrustStore>(std::move(*store));
}

Result<KeySource> open_key_source(const std::string& keyring_dir, const std::string& db_flag) {
  KeySource source;
  if (!keyring_dir.empty()) {
    VOUCH_LET(loaded, keys::Keyring::load_directory(keyring_dir));
    source.keyring = std::move(loaded);
    return source;
  }
  VOUCH_LET(store, open_optional_trust_db(db_flag));
  source.store = std::move(store);
  return source;
}

}  // namespace vouch::app
