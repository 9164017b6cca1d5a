// Importing a key-set bundle (docs/trust-model.md "Keyring directory and key-set
// bundles") into a trust database, all or nothing.
//
// Order, each step only when the one before passed:
//  1. check_bundle: the directory is exactly what MANIFEST lists (threat 24);
//     every file is read once here, and those bytes are what gets parsed.
//  2. MANIFEST.sig, when present: every line is checked against the keys IN
//     THE DATABASE (a bundle cannot vouch for itself). A signature that is
//     bad by a key the database holds refuses the bundle even when nobody
//     required it (someone altered MANIFEST); one by an unknown key is only
//     reported. Each required signer needs a good signature by exactly that
//     key: a key the database holds, a key file the caller passed
//     (BundleImportOptions::signer_keys), or a key shipped IN the bundle —
//     what makes the last trusted is that its fingerprint equals the id the
//     caller asked for (an OSPO publishes its fingerprint), not that the
//     bundle carries it. The bundle's key files are parsed for this before
//     the check; nothing is applied unless it passes.
//  3. Every file is parsed and every statement verified, against the
//     database's keys plus the bundle's: key files (key_import.h),
//     people.toml (bundle_people.h), endorsements/*.endorsement and
//     revocations/*.revocation (one transport line each; blank lines are
//     not allowed). Documentation (*.md, README*) is hashed but not read.
//  4. Only when nothing was refused: one TrustStore transaction applies
//     keys, the certificates' own revocations, people, endorsements and
//     revocation statements, and ends with a "keyring.import" audit entry
//     (directory, good signers, counts, the publisher's log head when the
//     bundle has an audit-head file).
//
// Fail closed: ANY refused item (a malformed file, a bad signature, a key
// given to two people, a person's key that belongs to someone else in the
// database, an unknown kind of file) means nothing at all is applied. A
// partly applied key set would be a key set nobody published.
//
// Not refused, but skipped (reported, not applied): an endorsement whose
// issuer is revoked (its edge would not count anyway), and a revocation
// signed by a key that is neither the revoked key nor a root of THIS
// database (the exporter's roots have no authority here). A person that the
// database already holds keeps the database's display name and emails (a
// bundle may add keys to that person, not change who they are): a warning
// says so when the bundle differs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bundle/bundle_manifest.h"
#include "trustdb/store.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::trust {

/// One thing a bundle holds, as the report lists it.
struct BundleItem {
  std::string kind;    ///< "key", "person", "endorsement", "revocation", "file"
  std::string id;      ///< key id, person name, "ISSUER -> TARGET", revoked key, file path
  std::string detail;  ///< the reason (refused, skipped) or what changed; may be empty
};

struct BundleImportReport {
  std::vector<ManifestSignatureCheck> signatures;  ///< every MANIFEST.sig line, checked
  std::vector<BundleItem> added, changed, unchanged, skipped, refused;
  std::vector<std::string> warnings;
  /// The publisher's audit log head (the bundle's audit-head file), when any;
  /// recorded in this database's "keyring.import" entry.
  std::optional<AuditHead> publisher_head;
  bool applied = false;  ///< the transaction committed (false whenever refused is non-empty)
};

struct BundleImportOptions {
  std::vector<KeyId> required_signers;  ///< each needs a good MANIFEST signature by that key
  /// Keys of required signers that the caller read from key files: trusted
  /// for the MANIFEST check only, never stored.
  std::vector<KeyRecord> signer_keys;
  int64_t now = 0;                      ///< verification time (unix seconds)
};

/// Imports the bundle at `dir` into `store` (steps above). Errors: the
/// bundle as a whole is refused (MANIFEST mismatch, missing or bad required
/// signature: bad_input; MANIFEST or MANIFEST.sig malformed: malformed), or
/// the database failed (its error; the transaction rolled back). Refused
/// items come back in the report with applied = false.
Result<BundleImportReport> import_bundle(TrustStore& store, const std::string& dir, const BundleImportOptions& options);

}  // namespace vouch::trust
