// Exporting a trust database as a key-set bundle (docs/trust-model.md "Keyring directory
// and key-set bundles"; MANIFEST format in bundle_manifest.h).
//
// What is written:
//   keys/openpgp/<FINGERPRINT>.asc       the stored armored certificate
//   keys/ssh/[<person>-]<FP>.pub         the stored OpenSSH line; FP is the
//                                        SHA256 fingerprint with '/' -> '_'
//   people.toml                          every person (bundle_people.h)
//   endorsements/<ISSUER>.endorsement    the issuer's signed lines, sorted
//   revocations/<KEY>.revocation         signed revocation statements only
//   audit-head                           the exporting database's audit log
//                                        head (audit_log.h format_audit_head)
//   MANIFEST, and MANIFEST.sig with a signing key
// where <ISSUER>/<KEY> is "openpgp-<FPR>" or "ssh-<FP>". Never written: the
// roots and local (unsigned) revocations, which are the database owner's own
// decisions, and revocations taken from OpenPGP certificates, whose evidence
// travels inside the certificate.
//
// DIR must not exist or be empty, except for top-level documentation files
// (*.md, README*), which are kept and listed in MANIFEST (so a publisher's
// README is covered by the signature). Anything else there is refused: an
// export never mixes its files with unknown ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "trustdb/store.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::trust {

struct BundleExportOptions {
  /// Signs MANIFEST when set: a signing key as statement_signer.h takes it
  /// (SSH private key or agent-held .pub file; OpenPGP fingerprint).
  std::string sign_key;
  int64_t now = 0;  ///< time to check the new signature at
};

struct BundleExportReport {
  size_t keys = 0, people = 0, endorsements = 0, revocations = 0, files = 0;
  std::optional<KeyId> signer;  ///< who signed MANIFEST
  AuditHead head;               ///< the log head written to audit-head
};

/// Writes the bundle. Errors: DIR not usable (bad_input naming the file in
/// the way), I/O (environment), signing failures as sign_statement reports
/// them, and bad_input when the signature does not verify against the
/// database's own keys ("the --sign key K is not in the trust database ...":
/// a publisher signs with a key its database holds, so the key id written to
/// MANIFEST.sig is the one a verifier will look up).
Result<BundleExportReport> export_bundle(const TrustStore& store, const std::string& dir,
                                         const BundleExportOptions& options);

/// The SHA256 fingerprint of an SSH key id made file-name safe
/// ("SHA256:ab/c+" -> "SHA256-ab_c+"); OpenPGP ids -> their fingerprint.
std::string key_file_stem(const KeyId& id);

}  // namespace vouch::trust
