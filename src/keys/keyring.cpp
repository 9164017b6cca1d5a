#include "keys/keyring.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/openpgp_binding.h"
#include "crypto/openpgp_verify.h"
#include "keys/allowed_signers.h"
#include "util/file.h"

namespace vouch::keys {
namespace fs = std::filesystem;

Keyring::Keyring() : gpg_mutex_(std::make_unique<std::mutex>()) {}
Keyring::~Keyring() = default;
Keyring::Keyring(Keyring&&) noexcept = default;
Keyring& Keyring::operator=(Keyring&&) noexcept = default;

namespace {


/// OpenPGP reason-for-revocation codes (RFC 4880 5.2.3.23) to vouch's terms.
Revocation revocation_of(const crypto::pgp::Signature& sig) {
  Revocation r;
  r.time = sig.created.value_or(0);
  switch (sig.revocation_reason.value_or(0)) {
    case 1: r.hard = false; r.reason = "superseded"; break;
    case 3: r.hard = false; r.reason = "retired"; break;
    case 2: r.hard = true; r.reason = "compromised"; break;
    default: r.hard = true; r.reason = "unspecified"; break;
  }
  return r;
}

/// Combines revocations so that the one that says most wins: any hard one
/// voids everything; otherwise the earliest soft one.
std::optional<Revocation> strongest(const std::vector<Revocation>& all) {
  std::optional<Revocation> best;
  for (const auto& r : all) {
    if (!best || (r.hard && !best->hard) || (r.hard == best->hard && r.time < best->time)) best = r;
  }
  return best;
}

}  // namespace

Result<Keyring> Keyring::load_directory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return make_error(ErrorKind::bad_input, "keyring " + dir + " is not a directory");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return make_error(ErrorKind::bad_input, "cannot read keyring " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());  // deterministic order, deterministic warnings

  Keyring ring;
  for (const auto& path : files) {
    const std::string ext = path.extension().string();
    if (ext != ".asc" && ext != ".gpg" && ext != ".pub" && path.filename() != "allowed_signers") continue;
    auto data = util::read_file(path.string());
    if (!data) return data.error();
    if (auto added = ring.add_file(path.string(), *data); !added) return added.error();
  }
  if (auto done = ring.finish_openpgp(); !done) return done.error();
  return ring;
}

Result<bool> Keyring::add_file(const std::string& path, std::string_view data) {
  const fs::path p(path);
  const std::string ext = p.extension().string();
  if (ext == ".asc" || ext == ".gpg") {
    if (auto added = add_openpgp(data, path); !added) return added.error();
    return true;
  }
  if (ext == ".pub") {
    size_t start = 0;
    int n = 0;
    while (start <= data.size()) {
      size_t end = data.find('\n', start);
      std::string_view line = data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      ++n;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos && line[0] != '#') {
        if (auto added = add_ssh_line(line, path + ":" + std::to_string(n)); !added) return added.error();
      }
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    return true;
  }
  if (p.filename() == "allowed_signers") {
    if (auto added = add_allowed_signers(data, path); !added) return added.error();
    return true;
  }
  return false;
}

void Keyring::add_key(SigningKey key) {
  size_t index = keys_.size();
  if (key.id.kind == KeyKind::ssh) {
    by_ssh_.emplace(key.id.id, index);
  } else {
    if (auto it = by_pgp_.find(key.signing_fingerprint); it != by_pgp_.end()) {
      // A second certificate validly binds the same signing key: neither wins.
      SigningKey& first = keys_[it->second];
      if (first.id != key.id &&
          std::find(first.rival_primaries.begin(), first.rival_primaries.end(), key.id.id) ==
              first.rival_primaries.end()) {
        first.rival_primaries.push_back(key.id.id);
        warnings_.push_back("OpenPGP signing key " + key.signing_fingerprint + " is bound to both " + first.id.id +
                            " and " + key.id.id + "; its signatures are not accepted");
      }
      return;
    }
    by_pgp_.emplace(key.signing_fingerprint, index);
    if (key.pgp) by_key_id_.emplace(key.pgp->key_id, index);
  }
  keys_.push_back(std::move(key));
}

Result<void> Keyring::add_ssh_line(std::string_view line, const std::string& source) {
  auto key = crypto::parse_ssh_public_key_line(line);
  if (!key) return make_error(key.error().kind, source + ": " + key.error().message);
  SigningKey k;
  k.id = KeyId{KeyKind::ssh, key->fingerprint()};
  k.source = source;
  if (!key->comment.empty()) k.names.push_back(key->comment);
  k.ssh = std::move(*key);
  add_key(std::move(k));
  return {};
}

Result<void> Keyring::add_allowed_signers(std::string_view text, const std::string& source) {
  auto entries = parse_allowed_signers(text, source);
  if (!entries) return entries.error();
  for (auto& e : *entries) {
    SigningKey k;
    k.id = KeyId{KeyKind::ssh, e.key.fingerprint()};
    k.source = source + ":" + std::to_string(e.line);
    k.names = e.principals;
    k.from_allowed_signers = true;
    k.namespaces = e.namespaces;
    k.valid_after = e.valid_after;
    k.expires = e.valid_before;
    k.ssh = std::move(e.key);
    add_key(std::move(k));
  }
  return {};
}

Result<crypto::GpgmeKeystore*> Keyring::keystore() {
  if (!gpg_) {
    auto store = crypto::GpgmeKeystore::create();
    if (!store) return store.error();
    gpg_ = std::make_unique<crypto::GpgmeKeystore>(std::move(*store));
  }
  return gpg_.get();
}

Result<void> Keyring::add_openpgp(std::string_view data, const std::string& source) {
  auto file = crypto::pgp::parse_key_file(data);
  if (!file) return make_error(file.error().kind, source + ": " + file.error().message);
  for (const auto& note : file->skipped) warnings_.push_back(source + ": skipped " + note);
  for (auto& rev : file->revocations) pending_revocations_.emplace_back(source, std::move(rev));
  has_openpgp_ = has_openpgp_ || !file->revocations.empty();
  if (file->certificates.empty()) {
    if (!file->revocations.empty()) return {};
    // Nothing vouch can parse (say, only version 3 keys): GnuPG may still
    // read something, which is then reported per key; if not, an error.
    if (file->skipped.empty())
      return make_error(ErrorKind::malformed, source + ": no OpenPGP certificate or revocation could be read");
    file->blocks.emplace_back(data);
  }
  auto store = keystore();
  if (!store) return store.error();
  std::string binary;
  for (const auto& block : file->blocks) binary += block;
  auto imported = (*store)->import(binary);
  if (!imported) return make_error(imported.error().kind, source + ": " + imported.error().message);
  for (auto& cert : file->certificates) pending_certs_.emplace_back(source, std::move(cert));
  has_openpgp_ = true;
  return {};
}

namespace {

/// The lowest of the expiry times that are set.
std::optional<int64_t> first_expiry(std::initializer_list<std::optional<int64_t>> all) {
  std::optional<int64_t> out;
  for (const auto& e : all)
    if (e && (!out || *e < *out)) out = e;
  return out;
}

}  // namespace

Result<void> Keyring::finish_openpgp() {
  if (!has_openpgp_) return {};
  has_openpgp_ = false;
  std::vector<crypto::GpgKeyInfo> listed;
  if (gpg_) {
    auto keys = gpg_->keys();
    if (!keys) return keys.error();
    listed = std::move(*keys);
  }
  // Key material, bindings and verified revocations, parsed natively from
  // the bytes GnuPG imported; one key may arrive in several files, so parts
  // are gathered per fingerprint.
  std::map<std::string, std::vector<const crypto::pgp::Certificate*>> parts;
  for (const auto& [source, cert] : pending_certs_) parts[cert.primary.key.fingerprint].push_back(&cert);

  for (const auto& info : listed) {
    if (finished_primaries_.count(info.primary_fingerprint) != 0) continue;
    auto found = parts.find(info.primary_fingerprint);
    if (found == parts.end()) {
      if (!finished_primaries_.insert(info.primary_fingerprint).second) continue;
      warnings_.push_back("OpenPGP key " + info.primary_fingerprint + " could not be parsed natively; ignored");
      continue;
    }
    finished_primaries_.insert(info.primary_fingerprint);
    const crypto::pgp::PublicKey& primary = found->second.front()->primary.key;
    primaries_.emplace(info.primary_fingerprint, primary);
    if (info.invalid || info.disabled) {
      warnings_.push_back("OpenPGP key " + info.primary_fingerprint + " is invalid; ignored");
      continue;
    }
    std::vector<Revocation> primary_revs;
    for (const auto* part : found->second)
      for (const auto& sig : part->primary.revocations) primary_revs.push_back(revocation_of(sig));
    std::optional<int64_t> primary_expires;
    for (const auto& sub : info.subkeys)
      if (sub.is_primary) primary_expires = sub.expires;

    for (const auto& sub : info.subkeys) {
      if (sub.invalid) continue;
      const crypto::pgp::PublicKey* material = sub.is_primary ? &primary : nullptr;
      std::vector<const crypto::pgp::Signature*> bindings;
      std::vector<const crypto::pgp::CertKey*> sub_parts;
      if (!sub.is_primary) {
        for (const auto* part : found->second)
          for (const auto& ck : part->subkeys) {
            if (ck.key.fingerprint != sub.fingerprint) continue;
            if (!material) material = &ck.key;
            sub_parts.push_back(&ck);
            for (const auto& b : ck.binding_sigs) bindings.push_back(&b);
          }
      }
      if (!material) {
        if (sub.can_sign)
          warnings_.push_back("OpenPGP subkey " + sub.fingerprint + " not found in its certificate; ignored");
        continue;
      }
      std::optional<int64_t> binding_expires;
      if (!sub.is_primary) {
        // GnuPG's can_sign is not enough (threat 31): the binding and its
        // back-signature are checked here, once per subkey.
        auto binding = crypto::pgp::check_subkey_binding(primary, *material, bindings);
        if (!binding.can_sign) {
          const bool claims = sub.can_sign || std::any_of(bindings.begin(), bindings.end(), [](const auto* b) {
                                return crypto::pgp::grants_signing(*b);
                              });
          if (claims) {
            std::string why = "OpenPGP subkey " + sub.fingerprint + " of " + info.primary_fingerprint +
                              " cannot sign: " + binding.problem;
            warnings_.push_back(why);
            rejected_pgp_.emplace(sub.fingerprint, std::move(why));
          }
          continue;
        }
        binding_expires = binding.expires;
      }
      if (!sub.can_sign) continue;
      SigningKey k;
      k.id = KeyId{KeyKind::openpgp, info.primary_fingerprint};
      k.source = "OpenPGP certificate " + info.primary_fingerprint;
      k.names = info.user_ids;
      k.signing_fingerprint = sub.fingerprint;
      k.pgp = *material;
      k.created = sub.created;
      k.expires = first_expiry({sub.expires, binding_expires, primary_expires});
      k.weakness = crypto::pgp::key_weakness(*material);
      std::vector<Revocation> revs = primary_revs;
      for (const auto* part : sub_parts)
        for (const auto& sig : part->revocations) revs.push_back(revocation_of(sig));
      k.revocation = strongest(revs);
      // GnuPG says revoked but no revocation verified natively: fail closed.
      if (!k.revocation && (info.revoked || sub.revoked)) k.revocation = Revocation{0, true, "unspecified"};
      add_key(std::move(k));
    }
  }
  pending_certs_.clear();

  // Revocation certificates, whichever file they came in.
  for (const auto& [source, sig] : pending_revocations_) {
    const crypto::pgp::PublicKey* primary = nullptr;
    std::string issuer = sig.issuer_fingerprint;
    if (!issuer.empty()) {
      if (auto it = primaries_.find(issuer); it != primaries_.end()) primary = &it->second;
    } else if (sig.issuer_key_id) {
      for (const auto& [fpr, key] : primaries_)
        if (key.key_id == *sig.issuer_key_id) primary = primary ? nullptr : &key;
      char buf[17];
      std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(*sig.issuer_key_id));
      issuer = buf;
    }
    if (!primary) {
      warnings_.push_back(source + ": revocation certificate for OpenPGP key " + (issuer.empty() ? "?" : issuer) +
                          ", which is not in the keyring; ignored");
      continue;
    }
    auto v = crypto::pgp::verify_key_signature(sig, *primary, nullptr);
    if (v.result != crypto::pgp::NativeResult::good && v.result != crypto::pgp::NativeResult::weak) {
      warnings_.push_back(source + ": revocation certificate for OpenPGP key " + primary->fingerprint +
                          " does not verify (" + v.reason + "); ignored");
      continue;
    }
    add_revocation(KeyId{KeyKind::openpgp, primary->fingerprint}, revocation_of(sig));
  }
  pending_revocations_.clear();
  return {};
}

void Keyring::add_revocation(const KeyId& key, const Revocation& revocation) {
  for (auto& k : keys_) {
    if (k.id != key) continue;
    if (k.revocation) k.revocation = strongest({*k.revocation, revocation});
    else k.revocation = revocation;
  }
}

std::vector<const SigningKey*> Keyring::find_ssh(std::string_view fingerprint) const {
  std::vector<const SigningKey*> restricted, open;
  auto [lo, hi] = by_ssh_.equal_range(fingerprint);
  for (auto it = lo; it != hi; ++it) {
    const SigningKey& k = keys_[it->second];
    (k.from_allowed_signers ? restricted : open).push_back(&k);
  }
  return restricted.empty() ? open : restricted;
}

const SigningKey* Keyring::find_openpgp(std::string_view fingerprint) const {
  auto it = by_pgp_.find(fingerprint);
  return it == by_pgp_.end() ? nullptr : &keys_[it->second];
}

const std::string* Keyring::rejected_openpgp(std::string_view fingerprint) const {
  auto it = rejected_pgp_.find(fingerprint);
  return it == rejected_pgp_.end() ? nullptr : &it->second;
}

const SigningKey* Keyring::find_openpgp_key_id(uint64_t key_id) const {
  auto [lo, hi] = by_key_id_.equal_range(key_id);
  if (lo == hi || std::next(lo) != hi) return nullptr;
  return &keys_[lo->second];
}

crypto::GpgVerifyFacts Keyring::gpgme_verify(std::string_view signature, std::string_view payload) const {
  if (!gpg_) {
    crypto::GpgVerifyFacts facts;
    facts.crypto = crypto::GpgVerifyFacts::Crypto::no_key;
    facts.reason = "no OpenPGP keys in the keyring";
    return facts;
  }
  std::lock_guard lock(*gpg_mutex_);
  return gpg_->verify_detached(signature, payload);
}

}  // namespace vouch::keys
