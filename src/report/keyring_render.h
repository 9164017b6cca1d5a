// Text and JSON of `vouch keyring export|import` (docs/trust-model.md,
// "Keyring directory and key-set bundles").
#pragma once

#include <string>

#include "app/keyring.h"
#include "report/document.h"

namespace vouch::report {

/// "exported N keys, ... to DIR (F files in MANIFEST)", who signed MANIFEST,
/// the audit log head; {"schema", "verdict", "directory", "keys", "people",
/// "endorsements", "revocations", "files", "signer", "audit_head"}.
Document render_keyring_export(const trust::BundleExportReport& r, const std::string& dir);

/// Each MANIFEST signature, the publisher's head, the items added, changed,
/// unchanged (listed with `verbose`), skipped and refused, and "imported DIR"
/// or "nothing imported: N item(s) refused"; JSON with the same lists,
/// "verdict" and, when refused, "errors".
Document render_keyring_import(const trust::BundleImportReport& r, const std::string& dir, bool verbose);

/// Whether the import applied everything (nothing refused).
bool keyring_import_ok(const trust::BundleImportReport& r);

}  // namespace vouch::report
