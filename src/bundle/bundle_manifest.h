// The MANIFEST of a key-set bundle (docs/trust-model.md "Keyring directory and key-set
// bundles") and its publisher signatures (MANIFEST.sig).
//
// MANIFEST, exactly (LF line ends, the last line too, nothing else):
//
//   vouch-manifest v1
//   sha256 <64 lower-case hex>  <path>        (two spaces, one line per file)
//
// Paths are relative to the bundle directory, '/'-separated, made of the
// characters [A-Za-z0-9._@+-] only, no empty component, no "." or ".."
// component, no component starting with '.', no duplicates, sorted by byte
// order. Every regular file of the bundle except MANIFEST and MANIFEST.sig is
// listed, and every listed file exists with that hash. A symlink or any
// other non-regular file anywhere in the bundle is refused (threat 24: a
// bundle is exactly the bytes its publisher listed).
//
// MANIFEST.sig, one line per signature (LF, the last line too):
//
//   vouch-manifest-signature v1 <key id> <base64 of the binary signature>
//
// The signature is over the MANIFEST bytes: an SSHSIG blob with namespace
// "vouch-keyring", or a detached OpenPGP signature packet; <key id> is the
// canonical id of the signer's (primary) key. Errors are malformed and name
// the file and line: "MANIFEST:3: paths are not sorted".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/keyring.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::trust {

inline constexpr std::string_view kManifestName = "MANIFEST";
inline constexpr std::string_view kManifestSigName = "MANIFEST.sig";
/// The exporter's audit log head (audit_log.h), listed in MANIFEST like any file.
inline constexpr std::string_view kAuditHeadFile = "audit-head";
inline constexpr std::string_view kManifestHeader = "vouch-manifest v1";
inline constexpr std::string_view kManifestSigType = "vouch-manifest-signature";
/// The SSH signature namespace of MANIFEST signatures.
inline constexpr std::string_view kKeyringNamespace = "vouch-keyring";

/// Limits for untrusted bundles: files, bytes per file.
inline constexpr size_t kMaxBundleFiles = 200000;
inline constexpr uintmax_t kMaxBundleFileSize = 16 * 1024 * 1024;
inline constexpr uintmax_t kMaxBundleSize = 512 * 1024 * 1024;

struct ManifestEntry {
  std::string sha256;  ///< 64 lower-case hex
  std::string path;    ///< relative, '/'-separated
};

/// True when `path` is a path a MANIFEST may name (rules above).
bool valid_bundle_path(std::string_view path);

/// Parses MANIFEST text strictly (rules above).
Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text);
/// The MANIFEST text for `entries` (sorted here; paths must be valid).
std::string serialize_manifest(std::vector<ManifestEntry> entries);

/// Every regular file below `dir` except MANIFEST and MANIFEST.sig, as
/// relative paths in byte order. Refuses (bad_input, naming the path) a
/// symlink, a special file, a name outside the path rules, a file larger than
/// kMaxBundleFileSize, more than kMaxBundleFiles files.
Result<std::vector<std::string>> list_bundle_files(const std::string& dir);

/// Hashes every file of `dir` (list_bundle_files) into a MANIFEST's entries.
Result<std::vector<ManifestEntry>> hash_bundle(const std::string& dir);

/// A bundle as read and checked: the bytes that were hashed are the bytes
/// that get parsed, so a file swapped after the check cannot slip in.
struct BundleFiles {
  std::string manifest;                      ///< MANIFEST bytes
  std::vector<ManifestEntry> entries;        ///< parsed MANIFEST
  std::map<std::string, std::string> files;  ///< path -> content, every listed file
  std::optional<std::string> manifest_sig;   ///< MANIFEST.sig bytes, when present
};

/// Reads `dir`/MANIFEST and checks the directory against it: the files are
/// exactly those listed, each with its hash, and reads them. Refusals
/// (bad_input): "bundle file keys/ssh/x.pub is not listed in MANIFEST",
/// "MANIFEST lists people.toml, which is missing", "bundle file people.toml
/// does not match its MANIFEST hash", "bundle DIR has no MANIFEST", a
/// symlink (list_bundle_files); more than kMaxBundleSize bytes in all.
Result<BundleFiles> check_bundle(const std::string& dir);

/// One line of MANIFEST.sig.
struct ManifestSignature {
  KeyId key;
  std::string signature;  ///< binary
};
Result<std::vector<ManifestSignature>> parse_manifest_signatures(std::string_view text);
std::string serialize_manifest_signatures(const std::vector<ManifestSignature>& sigs);

/// How one MANIFEST.sig line fared against a keyring.
struct ManifestSignatureCheck {
  KeyId key;               ///< as the line claims
  SignatureResult result;  ///< good only when made by `key` itself
};
/// Verifies each signature over `manifest` against `keyring` (namespace
/// vouch-keyring; SSH signatures taken as made at `now`). A good signature by
/// another key than the line names becomes bad.
std::vector<ManifestSignatureCheck> check_manifest_signatures(std::string_view manifest,
                                                              const std::vector<ManifestSignature>& sigs,
                                                              const keys::Keyring& keyring, int64_t now);

}  // namespace vouch::trust
