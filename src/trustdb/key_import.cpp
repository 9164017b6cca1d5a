#include "trustdb/key_import.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "crypto/armor.h"
#include "crypto/gpgme_backend.h"
#include "crypto/openpgp_key.h"
#include "crypto/ssh_key.h"
#include "keys/allowed_signers.h"
#include "util/file.h"
#include "util/text.h"

namespace vouch::trust {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBeginKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
constexpr std::string_view kEndKey = "-----END PGP PUBLIC KEY BLOCK-----";

Error named(const std::string& source, const Error& e) { return make_error(e.kind, source + ": " + e.message); }

/// True for the first word of an OpenSSH key line ("ssh-ed25519", "ecdsa-sha2-nistp256",
/// "sk-ssh-ed25519@openssh.com", "ssh-dss", certificates ...). Only used to sniff the format;
/// the key parser decides what is supported.
bool looks_like_ssh_type(std::string_view word) {
  return word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") || word.starts_with("sk-ssh-") ||
         word.starts_with("sk-ecdsa-");
}

/// Non-blank lines that are not comments, with their 1-based numbers.
std::vector<std::pair<int, std::string_view>> significant_lines(std::string_view data) {
  std::vector<std::pair<int, std::string_view>> out;
  int n = 0;
  size_t start = 0;
  while (start <= data.size()) {
    size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    ++n;
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') out.emplace_back(n, line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

/// Dearmors every public key block in `data` (several may be concatenated)
/// and joins their binaries: GnuPG and the native parser then see one stream.
Result<std::string> dearmor_all(std::string_view data, const std::string& source) {
  std::string binary;
  size_t pos = 0;
  int blocks = 0;
  while (true) {
    size_t begin = data.find(kBeginKey, pos);
    if (begin == std::string_view::npos) break;
    size_t end = data.find(kEndKey, begin);
    if (end == std::string_view::npos)
      return make_error(ErrorKind::malformed, source + ": armor has no \"" + std::string(kEndKey) + "\" line");
    end += kEndKey.size();
    auto block = crypto::pgp::dearmor(data.substr(begin, end - begin));
    if (!block) return named(source, block.error());
    binary += block->data;
    ++blocks;
    pos = end;
  }
  if (blocks == 0) return make_error(ErrorKind::malformed, source + ": armor is not a \"PGP PUBLIC KEY BLOCK\"");
  return binary;
}

RevocationReason reason_of(const crypto::pgp::Signature& sig) {
  switch (sig.revocation_reason.value_or(0)) {
    case 1:
      return RevocationReason::superseded;
    case 2:
      return RevocationReason::compromised;
    case 3:
      return RevocationReason::retired;
    default:
      return RevocationReason::unspecified;
  }
}

bool is_dsa(int algo) { return algo == crypto::pgp::kAlgoDsa; }

Result<ImportedKeys> import_openpgp(std::string_view data, const std::string& source) {
  std::string binary;
  if (crypto::pgp::looks_like_armor(data)) {
    auto joined = dearmor_all(data, source);
    if (!joined) return joined.error();
    binary = std::move(*joined);
  } else {
    binary = std::string(data);
  }
  // The native parse first: it names structural problems precisely and
  // tells which certificates the input holds, so that one GnuPG drops is an
  // error rather than a silent omission.
  auto native = crypto::pgp::parse_certificates(binary);
  if (!native) return named(source, native.error());
  if (native->empty()) return make_error(ErrorKind::malformed, source + ": no OpenPGP certificate found");
  for (const auto& cert : *native) {
    if (is_dsa(cert.primary.key.algo))
      return make_error(ErrorKind::unsupported, source + ": OpenPGP key " + cert.primary.key.fingerprint +
                                                    " is a DSA key, which vouch does not support");
  }

  auto store = crypto::GpgmeKeystore::create();
  if (!store) return store.error();
  auto imported = store->import(binary);
  if (!imported) return named(source, imported.error());
  for (const auto& cert : *native) {
    if (std::find(imported->begin(), imported->end(), cert.primary.key.fingerprint) == imported->end())
      return make_error(ErrorKind::malformed, source + ": GnuPG refused OpenPGP key " + cert.primary.key.fingerprint);
  }
  auto listed = store->keys();
  if (!listed) return listed.error();

  ImportedKeys out;
  for (const auto& fpr : *imported) {
    auto info = std::find_if(listed->begin(), listed->end(),
                             [&](const crypto::GpgKeyInfo& k) { return k.primary_fingerprint == fpr; });
    if (info == listed->end())
      return make_error(ErrorKind::internal, source + ": OpenPGP key " + fpr + " imported but not listed by GnuPG");
    if (info->invalid || info->disabled)
      return make_error(ErrorKind::malformed, source + ": GnuPG judged OpenPGP key " + fpr + " invalid");
    auto exported = store->export_key(fpr);
    if (!exported) return exported.error();
    auto certs = crypto::pgp::parse_certificates(*exported);
    if (!certs) return named(source, certs.error());
    if (certs->size() != 1)
      return make_error(ErrorKind::internal, source + ": GnuPG exported " + std::to_string(certs->size()) +
                                                 " certificates for OpenPGP key " + fpr);

    KeyRecord rec;
    rec.id = KeyId{KeyKind::openpgp, fpr};
    rec.material = crypto::pgp::armor("PGP PUBLIC KEY BLOCK", *exported);
    for (const auto& sub : info->subkeys) {
      if (sub.is_primary) {
        rec.created = sub.created;
        rec.expires = sub.expires;
      }
      if (!sub.can_sign || sub.invalid) continue;
      if (is_dsa(sub.pubkey_algo)) {
        out.warnings.push_back(source + ": DSA signing subkey " + sub.fingerprint + " of " + fpr + " ignored");
        continue;
      }
      rec.signing_subkeys.push_back(sub.fingerprint);
    }
    if (rec.signing_subkeys.empty())
      out.warnings.push_back(source + ": OpenPGP key " + fpr + " has no usable signing key");

    const auto& cert = certs->front();
    for (const auto& sig : cert.primary.revocations) {
      RevocationRecord r;
      r.key = rec.id;
      r.reason = reason_of(sig);
      r.time = sig.created.value_or(0);
      r.statement = std::string(kOpenPgpRevocationStatement);
      if (!sig.revocation_text.empty()) r.comment = sig.revocation_text;
      out.revocations.push_back(std::move(r));
    }
    if (info->revoked && cert.primary.revocations.empty())
      out.warnings.push_back(
          source + ": GnuPG reports OpenPGP key " + fpr +
          " revoked, but no revocation by the key itself verified; the key material keeps it revoked");
    out.keys.push_back(std::move(rec));
  }
  return out;
}

Result<ImportedKeys> import_ssh_lines(std::string_view data, const std::string& source) {
  ImportedKeys out;
  for (const auto& [n, line] : significant_lines(data)) {
    auto key = crypto::parse_ssh_public_key_line(line);
    if (!key) return make_error(key.error().kind, source + ":" + std::to_string(n) + ": " + key.error().message);
    KeyRecord rec;
    rec.id = KeyId{KeyKind::ssh, key->fingerprint()};
    rec.material = crypto::to_openssh_line(*key);
    bool dup = std::any_of(out.keys.begin(), out.keys.end(), [&](const KeyRecord& k) { return k.id == rec.id; });
    if (!dup) out.keys.push_back(std::move(rec));
  }
  return out;
}

Result<ImportedKeys> import_allowed_signers(std::string_view data, const std::string& source) {
  auto entries = keys::parse_allowed_signers(data, source);
  if (!entries) return entries.error();
  ImportedKeys out;
  bool restricted = false;
  for (const auto& e : *entries) {
    if (!e.namespaces.empty() || e.valid_after) restricted = true;
    KeyId id{KeyKind::ssh, e.key.fingerprint()};
    auto it = std::find_if(out.keys.begin(), out.keys.end(), [&](const KeyRecord& k) { return k.id == id; });
    if (it != out.keys.end()) {
      // One key on several lines: it is valid as long as any line says.
      if (!e.valid_before)
        it->expires.reset();
      else if (it->expires)
        it->expires = std::max(*it->expires, *e.valid_before);
      continue;
    }
    KeyRecord rec;
    rec.id = id;
    rec.material = crypto::to_openssh_line(e.key);
    rec.expires = e.valid_before;
    out.keys.push_back(std::move(rec));
  }
  if (restricted)
    out.warnings.push_back(source + ": namespaces= and valid-after= restrictions are not kept in the trust database");
  if (out.keys.empty()) return make_error(ErrorKind::malformed, source + ": no keys in the allowed_signers file");
  return out;
}

}  // namespace

Result<ImportedKeys> import_key_data(std::string_view data, const std::string& source_name) {
  const bool binary_pgp = !data.empty() && (static_cast<unsigned char>(data[0]) & 0x80) != 0;
  if (binary_pgp || crypto::pgp::looks_like_armor(data)) return import_openpgp(data, source_name);
  if (fs::path(source_name).filename() == "allowed_signers") return import_allowed_signers(data, source_name);

  auto lines = significant_lines(data);
  if (!lines.empty()) {
    auto first = util::split_words(lines.front().second);
    if (!first.empty() && looks_like_ssh_type(first[0])) return import_ssh_lines(data, source_name);
    // allowed_signers: principals [options] keytype base64 — a key type after the first word.
    if (std::any_of(first.begin() + 1, first.end(), looks_like_ssh_type))
      return import_allowed_signers(data, source_name);
  }
  return make_error(ErrorKind::malformed, source_name +
                                              ": not an OpenPGP certificate, an OpenSSH public key or an "
                                              "allowed_signers file");
}

Result<ImportedKeys> import_key_file(const std::string& path) {
  auto data = util::read_file(path);
  if (!data) return data.error();
  return import_key_data(*data, path);
}

Result<KeyId> resolve_key_argument(const TrustStore& store, std::string_view arg) {
  const std::string text(arg);
  if (auto id = KeyId::parse(arg)) {
    if (id->kind == KeyKind::openpgp) {
      // A signing subkey's fingerprint names the certificate it belongs to.
      auto held = store.find_key_by_subkey(id->id);
      if (!held) return held.error();
      if (*held) return (*held)->id;
    }
    return *id;
  }
  std::error_code ec;
  if (fs::is_regular_file(text, ec)) {
    auto imported = import_key_file(text);
    if (!imported) return imported.error();
    if (imported->keys.size() != 1)
      return make_error(ErrorKind::bad_input,
                        text + " holds " + std::to_string(imported->keys.size()) + " keys; name one of them by its id");
    return imported->keys.front().id;
  }
  auto person = store.get_person(text);
  if (!person) return person.error();
  if (*person) {
    if ((*person)->keys.size() == 1) return (*person)->keys.front();
    return make_error(ErrorKind::bad_input,
                      "person " + text + " has " + std::to_string((*person)->keys.size()) + " keys; name one of them");
  }
  return make_error(ErrorKind::bad_input,
                    "\"" + text + "\" is not a key id, a public key file or a person with one key");
}

Result<RequiredSigner> resolve_required_signer(const TrustStore& store, std::string_view arg) {
  const std::string text(arg);
  std::error_code ec;
  if (!KeyId::parse(arg) && fs::is_regular_file(text, ec)) {
    auto imported = import_key_file(text);
    if (!imported) return imported.error();
    if (imported->keys.size() != 1)
      return make_error(ErrorKind::bad_input, "--require-signer " + text + " holds " +
                                                  std::to_string(imported->keys.size()) + " keys; name one by its id");
    return RequiredSigner{imported->keys.front().id, imported->keys.front()};
  }
  auto id = resolve_key_argument(store, arg);
  if (!id) return make_error(id.error().kind, "--require-signer: " + id.error().message);
  return RequiredSigner{*id, std::nullopt};
}

}  // namespace vouch::trust
