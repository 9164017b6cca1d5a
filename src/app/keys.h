// The use cases behind `vouch key import|list|show|remove` and `vouch person
// show` (docs/trust-model.md): reading key files into the trust database all
// or nothing, and gathering what the database says about a key. Signed
// revocations are app/revoke.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trust/model.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::app {

/// A key with what the database says about it beyond the record.
struct KeyView {
  trust::KeyRecord key;
  std::vector<trust::RevocationRecord> revocations;
  std::vector<trust::Endorsement> endorsements;  ///< endorsements whose target is this key (details only)
  bool root = false;                             ///< details only
};

struct ImportedKey {
  KeyId id;
  std::string file;
  std::string result;  ///< what the store did with it, as trustdb/store.h spells it
};

struct ImportedRevocation {
  trust::RevocationRecord revocation;
  std::string file;
  bool added = false;  ///< false: already recorded
};

struct KeyImportResult {
  std::vector<ImportedKey> keys;                ///< file order
  std::vector<ImportedRevocation> revocations;  ///< OpenPGP revocations the files carried
  std::vector<std::string> warnings;            ///< non-fatal, each naming its file
};

/// Reads and checks every file first (one bad file and nothing is applied),
/// then opens (creates) the database `db_flag` names and stores every key and
/// revocation in one transaction, audited with `comment`.
Result<KeyImportResult> import_keys(const std::string& db_flag, const std::vector<std::string>& files,
                                    const std::string& comment);

/// The stored record of a KEY argument (trustdb/key_import.h's
/// resolve_key_argument); not_found when the database lacks it.
Result<trust::KeyRecord> held_key(const trust::TrustStore& store, const std::string& arg);

/// `record` with its revocations; with `details` also the endorsements of it
/// and whether it is a root.
Result<KeyView> key_view(const trust::TrustStore& store, trust::KeyRecord record, bool details);

/// Every key in the database, with its revocations.
Result<std::vector<KeyView>> list_keys(const trust::TrustStore& store);

/// The keys of `person` (not_found when there is no such person), with
/// their revocations.
Result<std::pair<trust::Person, std::vector<KeyView>>> person_keys(const trust::TrustStore& store,
                                                                   const std::string& person);

}  // namespace vouch::app
