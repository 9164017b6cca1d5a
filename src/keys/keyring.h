// Keyring: the signing keys a verification accepts, loaded from a keyring
// directory (docs/trust-model.md "Key-set bundles"): *.asc / *.gpg OpenPGP
// certificates, *.pub OpenSSH keys, allowed_signers files, read recursively.
//
// OpenPGP certificates are validated by GnuPG (through GPGME, in a private
// temporary home); their key material is then parsed natively so that each
// signature check is a few microseconds in-process. The keyring keeps that
// GPGME keystore alive for signatures the native path cannot verify.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/gpgme_backend.h"
#include "crypto/openpgp_key.h"
#include "crypto/ssh_key.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::keys {

/// A revocation of a key: from an OpenPGP revocation signature, or later from
/// the trust database. `hard` (compromised / unspecified) voids every
/// signature; soft (superseded / retired) only those made at or after `time`.
struct Revocation {
  int64_t time = 0;
  bool hard = true;
  std::string reason;  ///< "compromised", "superseded", "retired", "unspecified"
};

/// One key that may sign, with the window in which its signatures count.
struct SigningKey {
  KeyId id;                  ///< identity: SSH fingerprint, or OpenPGP *primary* fingerprint
  std::string source;        ///< file it came from (and line, for allowed_signers)
  std::vector<std::string> names;  ///< allowed_signers principals or OpenPGP user ids
  // SSH
  std::optional<crypto::SshPublicKey> ssh;
  bool from_allowed_signers = false;    ///< governed by an allowed_signers line
  std::vector<std::string> namespaces;  ///< allowed_signers namespaces=; empty = any
  std::optional<int64_t> valid_after;   ///< allowed_signers valid-after
  // OpenPGP
  std::string signing_fingerprint;      ///< the (sub)key that signs; upper-case hex
  std::optional<crypto::pgp::PublicKey> pgp;
  std::optional<int64_t> created;
  std::optional<int64_t> expires;       ///< OpenPGP expiry, or allowed_signers valid-before
  std::optional<Revocation> revocation;
  /// OpenPGP: why every signature by this key is weak (a DSA key, an RSA key
  /// under 2048 bits), decided once at load; empty when acceptable.
  std::string weakness;
  /// OpenPGP: other certificates (primary fingerprints) that validly bind
  /// this same signing key, back-signature included. Non-empty: the signer
  /// is ambiguous and no signature by it is good.
  std::vector<std::string> rival_primaries;
};

class Keyring {
 public:
  Keyring();
  ~Keyring();
  Keyring(Keyring&&) noexcept;
  Keyring& operator=(Keyring&&) noexcept;

  /// Loads every key file below `dir`. Errors (kind malformed / bad_input)
  /// name the file; an unreadable directory is bad_input.
  static Result<Keyring> load_directory(const std::string& dir);

  /// Adds one key file by name and content, as load_directory does for each
  /// file: *.asc / *.gpg (OpenPGP), *.pub (OpenSSH lines), allowed_signers;
  /// other names are ignored (returns false). For keyrings read from a git
  /// tree rather than a directory. Call finish_openpgp() after the last one.
  Result<bool> add_file(const std::string& path, std::string_view data);

  /// Adds one OpenSSH public key line (from `source`), unrestricted.
  Result<void> add_ssh_line(std::string_view line, const std::string& source);
  /// Adds the keys of an allowed_signers file.
  Result<void> add_allowed_signers(std::string_view text, const std::string& source);
  /// Reads an OpenPGP key file (crypto::pgp::parse_key_file: binary, or
  /// any number of armored blocks with text between them) and imports its
  /// certificates into the keystore; bare key revocations (a revocation
  /// certificate) are kept for finish_openpgp(). Errors name `source`:
  /// malformed bytes, GnuPG refusing every certificate, or a file from which
  /// nothing at all can be read ("FILE: no OpenPGP certificate or revocation
  /// could be read"). Call finish_openpgp() once after the last one.
  Result<void> add_openpgp(std::string_view data, const std::string& source);
  /// Asks GnuPG which certificates and keys are valid and records the
  /// signing (sub)keys of those not recorded by an earlier call, with key
  /// material parsed natively from the imported bytes (no per-key export:
  /// each gpg process costs milliseconds per run). A subkey signs only if
  /// GnuPG and the native binding check (crypto/openpgp_binding.h) both say
  /// so; a subkey that claims signing but fails is a warning. Then applies
  /// the pending revocation certificates to the keys they verify against;
  /// one for a key not in the keyring, or one that does not verify, is a
  /// warning naming its file.
  Result<void> finish_openpgp();

  /// The entries for the SSH key with this "SHA256:..." fingerprint. A key
  /// named in an allowed_signers file is governed by those lines only (each
  /// line is one entry; a signature needs one that accepts it); a key only in
  /// a .pub file has one unrestricted entry. Empty when unknown.
  std::vector<const SigningKey*> find_ssh(std::string_view fingerprint) const;
  /// The OpenPGP signing (sub)key with this fingerprint, or nullptr.
  const SigningKey* find_openpgp(std::string_view fingerprint) const;
  /// Why the OpenPGP (sub)key `fingerprint` may not sign although a
  /// certificate in the keyring claims it can ("OpenPGP subkey X of P cannot
  /// sign: ..."), or nullptr. Only consulted when find_openpgp() has nothing.
  const std::string* rejected_openpgp(std::string_view fingerprint) const;
  /// The OpenPGP signing key whose key id (low 64 bits) is `key_id`, when
  /// exactly one matches; nullptr when none or several (ambiguous) do.
  const SigningKey* find_openpgp_key_id(uint64_t key_id) const;

  /// Applies a revocation recorded elsewhere (the trust database) to every
  /// entry of `key` (all its OpenPGP signing subkeys, all its SSH lines),
  /// combined with what the entry already has so that the one saying more
  /// wins: hard beats soft, of two soft ones the earlier. Unknown keys: no-op.
  void add_revocation(const KeyId& key, const Revocation& revocation);

  const std::vector<SigningKey>& keys() const { return keys_; }
  /// Non-fatal notes from loading (a key GnuPG judged invalid, ...).
  const std::vector<std::string>& warnings() const { return warnings_; }

  /// GPGME fallback for signatures the native verifier does not handle.
  /// Thread-safe (serialised): GPGME contexts are not shared across threads.
  crypto::GpgVerifyFacts gpgme_verify(std::string_view signature, std::string_view payload) const;

 private:
  Result<crypto::GpgmeKeystore*> keystore();
  void add_key(SigningKey key);

  std::vector<SigningKey> keys_;
  std::multimap<std::string, size_t, std::less<>> by_ssh_;
  std::map<std::string, size_t, std::less<>> by_pgp_;
  std::map<std::string, std::string, std::less<>> rejected_pgp_;  ///< fingerprint -> why it cannot sign
  std::multimap<uint64_t, size_t> by_key_id_;
  std::vector<std::string> warnings_;
  std::set<std::string, std::less<>> finished_primaries_;  ///< OpenPGP certs already recorded
  /// Certificates read since the last finish, with their files.
  std::vector<std::pair<std::string, crypto::pgp::Certificate>> pending_certs_;
  /// Bare key revocations read since the last finish, with their files.
  std::vector<std::pair<std::string, crypto::pgp::Signature>> pending_revocations_;
  /// Primary keys of every recorded certificate, for revocation certificates.
  std::map<std::string, crypto::pgp::PublicKey, std::less<>> primaries_;
  std::unique_ptr<crypto::GpgmeKeystore> gpg_;
  std::unique_ptr<std::mutex> gpg_mutex_;
  bool has_openpgp_ = false;
};

}  // namespace vouch::keys
