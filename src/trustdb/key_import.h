// Key import: public key files and bytes turned into the trust database's
// KeyRecords (docs/trust-model.md), and the KEY arguments of the CLI resolved to
// key ids (docs/vouch.1).
//
// What is read, decided by content first and file name second:
// - OpenPGP certificates, armored ("-----BEGIN PGP PUBLIC KEY BLOCK") or
//   binary, one or several. GnuPG validates them (crypto::GpgmeKeystore, one
//   private temporary home per call, shared by every certificate of that
//   call). Each certificate becomes one KeyRecord:
//     id = openpgp:PRIMARY, material = that certificate alone, re-exported
//     from GnuPG and armored (so it is clean of anything GnuPG dropped),
//     signing_subkeys = fingerprints of the signing-capable (sub)keys GnuPG
//     did not mark invalid (the primary included when it can sign),
//     created / expires = the primary key's.
//   Key revocation signatures (type 0x20) that verify natively become
//   RevocationRecords: reason from the reason-for-revocation code
//   (1 superseded, 3 retired, 2 compromised, anything else unspecified),
//   time = the signature's creation time, comment = its reason text (when
//   any), statement = kOpenPgpRevocationStatement. The signature itself
//   stays in the key material, which is the evidence; the marker says where
//   to find it (a statement line would have to be a vouch statement, which
//   this is not). Subkey revocations (0x28) revoke only the subkey: they are
//   not records of the key id; the keyring applies them from the material.
// - One OpenSSH public key line ("type base64 [comment]", a .pub file):
//   KeyRecord{id = ssh:SHA256:..., material = the normalised OpenSSH line}.
// - An allowed_signers file (by content: a line whose first word is not a key
//   type; or by the file name "allowed_signers"): one KeyRecord per line,
//   valid-before -> expires; a key on several lines is one record (the
//   latest expiry; none if any line has none). Principals, namespaces and
//   valid-after are not key facts and are not kept (one warning per file
//   when namespaces or valid-after restricted a line).
//
// Errors (each names `source_name`): bytes that are none of these, or that
// GnuPG refuses -> ErrorKind::malformed; DSA keys, v5/v6 keys, unsupported SSH
// key types -> ErrorKind::unsupported naming the key; gpg unusable ->
// ErrorKind::environment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trust/model.h"
#include "trustdb/store.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::trust {

/// RevocationRecord::statement of a revocation taken from an OpenPGP
/// certificate's own key revocation signature (see above).
inline constexpr std::string_view kOpenPgpRevocationStatement = "openpgp-revocation-certificate";

struct ImportedKeys {
  std::vector<KeyRecord> keys;                ///< file order; no duplicate ids
  std::vector<RevocationRecord> revocations;  ///< OpenPGP key revocations found
  std::vector<std::string> warnings;          ///< non-fatal notes, each naming the source
};

/// Reads the key(s) in `data`; `source_name` (a file name or "-") names the
/// origin in errors and warnings and picks allowed_signers by file name.
Result<ImportedKeys> import_key_data(std::string_view data, const std::string& source_name);

/// Reads the file at `path` (bad_input "cannot read PATH" when unreadable)
/// and imports it as import_key_data does.
Result<ImportedKeys> import_key_file(const std::string& path);

/// Resolves a KEY argument to a key id, in this order:
///   1. a key id: "openpgp:FPR", a bare 40/64-hex fingerprint, "ssh:SHA256:..."
///      or "SHA256:..." — a fingerprint of an OpenPGP signing subkey resolves
///      to its primary when the database holds it;
///   2. a path to an existing public key file holding exactly one key;
///   3. a person's name, when that person has exactly one key.
/// The key need not be in the database (callers that need it check). Errors:
/// bad_input naming the argument ("KEY is not a key id, a public key file or
/// a person with one key"; "person P has N keys; name one of them").
Result<KeyId> resolve_key_argument(const TrustStore& store, std::string_view arg);

/// A --require-signer argument (keyring import): the id to match against
/// MANIFEST.sig, and the key itself when the argument was a key file.
struct RequiredSigner {
  KeyId id;
  std::optional<KeyRecord> key;
};
/// Like resolve_key_argument, but a key file's key comes back with its id
/// (the consumer need not import it), and an id need not be in the database.
Result<RequiredSigner> resolve_required_signer(const TrustStore& store, std::string_view arg);

}  // namespace vouch::trust
