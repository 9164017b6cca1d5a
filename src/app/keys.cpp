#include "app/keys.h"

#include <algorithm>

#include "app/key_source.h"
#include "trustdb/key_import.h"

namespace vouch::app {

Result<KeyImportResult> import_keys(const std::string& db_flag, const std::vector<std::string>& files,
                                    const std::string& comment) {
  std::vector<std::pair<std::string, trust::ImportedKeys>> read;
  for (const auto& f : files) {
    VOUCH_LET(imported, trust::import_key_file(f));
    read.emplace_back(f, std::move(imported));
  }
  VOUCH_LET(store, open_trust_db(db_flag, trust::OpenMode::create));

  const trust::Change change{"local", comment};
  KeyImportResult out;
  VOUCH_TRY(store.transaction([&]() -> Result<void> {
    for (const auto& [file, imported] : read) {
      for (const auto& rec : imported.keys) {
        VOUCH_LET(outcome, store.add_key(rec, change));
        out.keys.push_back({rec.id, file, std::string(trust::to_string(outcome))});
      }
      for (const auto& rev : imported.revocations) {
        VOUCH_LET(added, store.add_revocation(rev, change));
        out.revocations.push_back({rev, file, added});
      }
      out.warnings.insert(out.warnings.end(), imported.warnings.begin(), imported.warnings.end());
    }
    return {};
  }));
  return out;
}

Result<trust::KeyRecord> held_key(const trust::TrustStore& store, const std::string& arg) {
  VOUCH_LET(id, trust::resolve_key_argument(store, arg));
  VOUCH_LET(rec, store.get_key(id));
  if (!rec) return make_error(ErrorKind::not_found, "key " + id.str() + " is not in the trust database");
  return std::move(*rec);
}

Result<KeyView> key_view(const trust::TrustStore& store, trust::KeyRecord record, bool details) {
  KeyView v;
  VOUCH_LET(revs, store.revocations_of(record.id));
  v.revocations = std::move(revs);
  if (details) {
    VOUCH_LET(ends, store.endorsements_for(record.id));
    v.endorsements = std::move(ends);
    VOUCH_LET(roots, store.list_roots());
    v.root = std::find(roots.begin(), roots.end(), record.id) != roots.end();
  }
  v.key = std::move(record);
  return v;
}

Result<std::vector<KeyView>> list_keys(const trust::TrustStore& store) {
  VOUCH_LET(keys, store.list_keys());
  std::vector<KeyView> out;
  for (auto& k : keys) {
    VOUCH_LET(v, key_view(store, std::move(k), false));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::pair<trust::Person, std::vector<KeyView>>> person_keys(const trust::TrustStore& store,
                                                                   const std::string& person) {
  VOUCH_LET(p, store.get_person(person));
  if (!p) return make_error(ErrorKind::not_found, "person " + person + " does not exist");
  std::vector<KeyView> keys;
  for (const auto& id : p->keys) {
    VOUCH_LET(rec, store.get_key(id));
    if (!rec) continue;  // the store removes the link with the key; nothing to show
    VOUCH_LET(v, key_view(store, std::move(*rec), false));
    keys.push_back(std::move(v));
  }
  return std::pair{std::move(*p), std::move(keys)};
}

}  // namespace vouch::app
