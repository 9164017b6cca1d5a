#include "bundle/bundle_import.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "bundle/bundle_people.h"
#include "statement/verifier.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"
#include "trustdb/db_keyring.h"
#include "trustdb/key_import.h"

namespace vouch::trust {
namespace {

enum class FileKind { people, endorsements, revocations, keys, docs, audit_head, unknown };

FileKind classify(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (path == "people.toml") return FileKind::people;
  if (path == kAuditHeadFile) return FileKind::audit_head;
  if (path.starts_with("endorsements/"))
    return path.ends_with(".endorsement") ? FileKind::endorsements : FileKind::unknown;
  if (path.starts_with("revocations/"))
    return path.ends_with(".revocation") ? FileKind::revocations : FileKind::unknown;
  if (base.ends_with(".md") || base.starts_with("README")) return FileKind::docs;
  if (base.ends_with(".asc") || base.ends_with(".gpg") || base.ends_with(".pub") || base == "allowed_signers")
    return FileKind::keys;
  return FileKind::unknown;
}

struct BundleKey {
  KeyRecord record;
  std::string file;
};
struct BundleEndorsement {
  Endorsement e;
  std::string line;
};

/// Everything a bundle says, parsed and verified, before anything is applied.
struct Plan {
  std::map<KeyId, BundleKey> keys;
  std::vector<RevocationRecord> cert_revocations;
  std::vector<Person> people;
  std::vector<BundleEndorsement> endorsements;
  std::vector<RevocationRecord> revocations;
};

std::string edge(const Endorsement& e) { return e.issuer.str() + " -> " + e.target.str(); }

/// The LF-terminated, non-empty lines of a statement file; refuses otherwise.
Result<std::vector<std::string>> statement_lines(const std::string& path, const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0, n = 0;
  while (pos < text.size()) {
    ++n;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      return make_error(ErrorKind::malformed,
                        path + ":" + std::to_string(n) + ": the line does not end in a line feed");
    if (nl == pos) return make_error(ErrorKind::malformed, path + ":" + std::to_string(n) + ": blank line");
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

class Importer {
 public:
  Importer(TrustStore& store, const std::string& dir, const BundleImportOptions& options)
      : store_(store), dir_(dir), opts_(options) {}

  Result<BundleImportReport> run();

 private:
  void refuse(std::string kind, std::string id, std::string why) {
    report_.refused.push_back({std::move(kind), std::move(id), std::move(why)});
  }
  Result<void> check_signatures(const BundleFiles& files, const keys::Keyring& db_ring);
  std::optional<KeyRecord> required_key(const KeyId& want) const;
  Result<void> read_keys(const BundleFiles& files);
  Result<void> extend_keyring(keys::Keyring& ring);
  Result<void> read_revocations(const std::string& path, const std::string& text, const keys::Keyring& ring);
  void read_endorsements(const std::string& path, const std::string& text, const keys::Keyring& ring);
  Result<void> read_people(const std::string& text);
  Result<void> apply();

  TrustStore& store_;
  const std::string& dir_;
  const BundleImportOptions& opts_;
  BundleImportReport report_;
  Plan plan_;
  std::vector<RevocationRecord> db_revocations_;
  std::vector<KeyId> roots_;
};

/// The key a required signer id names: the database's, a caller's key file,
/// or the bundle's (an OpenPGP id may name a signing subkey); nullopt if none.
std::optional<KeyRecord> Importer::required_key(const KeyId& want) const {
  for (const auto& k : opts_.signer_keys)
    if (k.id == want) return k;
  const auto matches = [&](const KeyRecord& k) {
    return k.id == want ||
           (want.kind == KeyKind::openpgp && k.id.kind == KeyKind::openpgp &&
            std::find(k.signing_subkeys.begin(), k.signing_subkeys.end(), want.id) != k.signing_subkeys.end());
  };
  for (const auto& [id, key] : plan_.keys)
    if (matches(key.record)) return key.record;
  return std::nullopt;
}

Result<void> Importer::check_signatures(const BundleFiles& files, const keys::Keyring& db_ring) {
  std::vector<ManifestSignature> sigs;
  if (files.manifest_sig) {
    auto parsed = parse_manifest_signatures(*files.manifest_sig);
    if (!parsed) return parsed.error();
    sigs = std::move(*parsed);
  }
  report_.signatures = check_manifest_signatures(files.manifest, sigs, db_ring, opts_.now);
  for (const auto& c : report_.signatures) {
    // unknown_key: a publisher this database does not know; reported only.
    if (c.result.status == SigStatus::good || c.result.status == SigStatus::unknown_key) continue;
    return make_error(ErrorKind::bad_input, "MANIFEST signature by " + c.key.str() + " is " +
                                                std::string(to_string(c.result.status)) +
                                                (c.result.reason.empty() ? "" : ": " + c.result.reason));
  }
  std::string signed_by;
  for (const auto& c : report_.signatures) signed_by += (signed_by.empty() ? "" : ", ") + c.key.str();
  const std::string by = signed_by.empty() ? "MANIFEST has no signature" : "its signatures are by " + signed_by;
  for (const auto& asked : opts_.required_signers) {
    KeyId want = asked;
    // A required signer the database does not hold: the key the caller gave,
    // or the bundle's own key with that fingerprint, judges its line alone.
    auto held = store_.get_key(want);
    if (!held) return held.error();
    if (!*held) {
      auto key = required_key(want);
      if (!key)
        return make_error(ErrorKind::bad_input, "MANIFEST is not signed by required signer " + asked.str() +
                                                    " (no key with that fingerprint in the database, the bundle or "
                                                    "the arguments; " +
                                                    by + ")");
      want = key->id;
      keys::Keyring ring;
      if (auto added = add_key_record(ring, *key, "required signer " + want.str()); !added) return added.error();
      if (auto done = ring.finish_openpgp(); !done) return done.error();
      for (const auto& r : db_revocations_) ring.add_revocation(r.key, to_keyring_revocation(r));
      for (auto& c : check_manifest_signatures(files.manifest, sigs, ring, opts_.now))
        for (auto& mine : report_.signatures)
          if (mine.key == want && c.key == want && mine.result.status == SigStatus::unknown_key) mine = c;
    }
    auto it = std::find_if(report_.signatures.begin(), report_.signatures.end(),
                           [&](const ManifestSignatureCheck& c) { return c.key == want; });
    if (it == report_.signatures.end())
      return make_error(ErrorKind::bad_input,
                        "MANIFEST is not signed by required signer " + asked.str() + " (" + by + ")");
    if (it->result.status != SigStatus::good)
      return make_error(ErrorKind::bad_input, "MANIFEST signature by required signer " + asked.str() + " is " +
                                                  std::string(to_string(it->result.status)) +
                                                  (it->result.reason.empty() ? "" : ": " + it->result.reason));
  }
  return {};
}

Result<void> Importer::read_keys(const BundleFiles& files) {
  for (const auto& [path, content] : files.files) {
    if (classify(path) != FileKind::keys) continue;
    auto imported = import_key_data(content, path);
    if (!imported) {
      if (imported.error().kind == ErrorKind::environment) return imported.error();
      refuse("file", path, imported.error().message);
      continue;
    }
    for (auto& w : imported->warnings) report_.warnings.push_back(std::move(w));
    for (auto& r : imported->revocations) plan_.cert_revocations.push_back(std::move(r));
    for (auto& k : imported->keys) {
      auto [it, fresh] = plan_.keys.try_emplace(k.id, BundleKey{k, path});
      if (!fresh && it->second.record.material != k.material)
        refuse("key", k.id.str(), "in both " + it->second.file + " and " + path + ", with different material");
    }
  }
  return {};
}

Result<void> Importer::extend_keyring(keys::Keyring& ring) {
  for (const auto& [id, key] : plan_.keys) {
    auto held = store_.get_key(id);
    if (!held) return held.error();
    if (*held) continue;  // the database's copy is already in the ring, with its revocations
    Result<void> added = id.kind == KeyKind::ssh ? ring.add_ssh_line(key.record.material, key.file)
                                                 : ring.add_openpgp(key.record.material, key.file);
    if (!added) refuse("key", id.str(), added.error().message);
  }
  if (auto done = ring.finish_openpgp(); !done) return done.error();
  // A bundle's copy of a key must not shed what the database knows about it.
  for (const auto& r : db_revocations_) ring.add_revocation(r.key, to_keyring_revocation(r));
  return {};
}

Result<void> Importer::read_revocations(const std::string& path, const std::string& text, const keys::Keyring& ring) {
  auto lines = statement_lines(path, text);
  if (!lines) {
    refuse("file", path, lines.error().message);
    return {};
  }
  for (size_t i = 0; i < lines->size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    auto st = statement::parse_transport_line((*lines)[i]);
    if (!st) {
      refuse("revocation", where, st.error().message);
      continue;
    }
    auto rev = st->type == statement::kRevocationType
                   ? parse_revocation(st->text)
                   : Result<RevocationStatement>(
                         make_error(ErrorKind::malformed, "expected a vouch-revocation line, found " + st->type));
    if (!rev) {
      refuse("revocation", where, rev.error().message);
      continue;
    }
    SignatureResult sig = statement::verify_statement(*st, ring, statement::kRevocationType, opts_.now, rev->created);
    const bool by_root =
        std::find_if(roots_.begin(), roots_.end(), [&](const KeyId& k) { return k.str() == sig.key; }) != roots_.end();
    if (sig.status == SigStatus::good && sig.key != rev->key.str() && !by_root) {
      report_.skipped.push_back(
          {"revocation", rev->key.str(),
           "signed by " + sig.key + ", which is neither the revoked key nor a root of this database"});
      continue;
    }
    auto verified = verify_revocation(*st, ring, roots_, opts_.now);
    if (!verified) {
      refuse("revocation", rev->key.str(), where + ": " + verified.error().message);
      continue;
    }
    plan_.revocations.push_back(
        RevocationRecord{verified->key, verified->reason, verified->created, (*lines)[i], verified->comment});
  }
  return {};
}

void Importer::read_endorsements(const std::string& path, const std::string& text, const keys::Keyring& ring) {
  auto lines = statement_lines(path, text);
  if (!lines) return refuse("file", path, lines.error().message);
  for (size_t i = 0; i < lines->size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    auto st = statement::parse_transport_line((*lines)[i]);
    if (!st) {
      refuse("endorsement", where, st.error().message);
      continue;
    }
    auto e = verify_endorsement(*st, ring, opts_.now);
    if (e) {
      plan_.endorsements.push_back({std::move(*e), (*lines)[i]});
      continue;
    }
    auto parsed =
        st->type == statement::kEndorsementType ? parse_endorsement(st->text) : Result<Endorsement>(e.error());
    if (parsed) {
      // Skipped, not refused, only when the signature is by the issuer and
      // fails for no other reason than the issuer's revocation.
      SignatureResult sig =
          statement::verify_statement(*st, ring, statement::kEndorsementType, opts_.now, parsed->created);
      if (sig.status == SigStatus::revoked_key && sig.key == parsed->issuer.str()) {
        report_.skipped.push_back({"endorsement", edge(*parsed), "issuer " + parsed->issuer.str() + " is revoked"});
        continue;
      }
    }
    refuse("endorsement", parsed ? edge(*parsed) : where, where + ": " + e.error().message);
  }
}

Result<void> Importer::read_people(const std::string& text) {
  auto people = parse_people_toml(text);
  if (!people) {
    refuse("file", "people.toml", people.error().message);
    return {};
  }
  for (auto& p : *people) {
    bool ok = true;
    for (const auto& k : p.keys) {
      auto held = store_.get_key(k);
      if (!held) return held.error();
      if (!*held && !plan_.keys.contains(k)) {
        refuse("person", p.name, "lists key " + k.str() + ", which is neither in the bundle nor in the database");
        ok = false;
        continue;
      }
      auto owner = store_.person_of(k);
      if (!owner) return owner.error();
      if (*owner && **owner != p.name) {
        refuse("person", p.name, "lists key " + k.str() + ", which belongs to person " + **owner + " in the database");
        ok = false;
      }
    }
    auto existing = store_.get_person(p.name);
    if (!existing) return existing.error();
    if (*existing && ((!p.display_name.empty() && p.display_name != (*existing)->display_name) ||
                      (!p.emails.empty() && p.emails != (*existing)->emails)))
      report_.warnings.push_back("person " + p.name +
                                 ": the bundle's name or emails differ from the database's; the database's are kept");
    if (ok) plan_.people.push_back(std::move(p));
  }
  return {};
}

Result<void> Importer::apply() {
  const Change change{"local", "keyring import " + dir_};
  BundleImportReport& r = report_;
  auto body = [&]() -> Result<void> {
    r.added.clear(), r.changed.clear(), r.unchanged.clear();
    for (const auto& [id, key] : plan_.keys) {
      auto outcome = store_.add_key(key.record, change);
      if (!outcome) return make_error(outcome.error().kind, "key " + id.str() + ": " + outcome.error().message);
      BundleItem item{"key", id.str(), key.file};
      (*outcome == KeyImport::added     ? r.added
       : *outcome == KeyImport::updated ? r.changed
                                        : r.unchanged)
          .push_back(std::move(item));
    }
    for (const auto& revs : {&plan_.cert_revocations, &plan_.revocations}) {
      for (const auto& rev : *revs) {
        auto added = store_.add_revocation(rev, change);
        if (!added)
          return make_error(added.error().kind, "revocation of " + rev.key.str() + ": " + added.error().message);
        (*added ? r.added : r.unchanged).push_back({"revocation", rev.key.str(), std::string(to_string(rev.reason))});
      }
    }
    for (const auto& p : plan_.people) {
      auto existing = store_.get_person(p.name);
      if (!existing) return existing.error();
      if (!*existing) {
        if (auto a = store_.add_person(p, change); !a)
          return make_error(a.error().kind, "person " + p.name + ": " + a.error().message);
        r.added.push_back({"person", p.name, ""});
        continue;
      }
      std::string added_keys;
      for (const auto& k : p.keys) {
        auto linked = store_.add_key_to_person(p.name, k, change);
        if (!linked) return make_error(linked.error().kind, "person " + p.name + ": " + linked.error().message);
        if (*linked) added_keys += (added_keys.empty() ? "key " : ", ") + k.str();
      }
      (added_keys.empty() ? r.unchanged : r.changed)
          .push_back({"person", p.name, added_keys.empty() ? "" : added_keys + " added"});
    }
    for (const auto& be : plan_.endorsements) {
      auto put = store_.put_endorsement(be.e, be.line, change);
      if (!put) return make_error(put.error().kind, "endorsement " + edge(be.e) + ": " + put.error().message);
      BundleItem item{"endorsement", edge(be.e), put->reason};
      switch (put->outcome) {
        case PutOutcome::added:
          r.added.push_back(std::move(item));
          break;
        case PutOutcome::replaced:
          r.changed.push_back(std::move(item));
          break;
        case PutOutcome::unchanged:
        case PutOutcome::ignored_older:
          r.unchanged.push_back(std::move(item));
          break;
      }
    }
    nlohmann::json signers = nlohmann::json::array();
    for (const auto& c : r.signatures)
      if (c.result.status == SigStatus::good) signers.push_back(c.key.str());
    nlohmann::json summary = {
        {"directory", dir_}, {"signers", signers}, {"added", r.added.size()}, {"changed", r.changed.size()}};
    if (r.publisher_head)
      summary["publisher_head"] = std::to_string(r.publisher_head->seq) + ":" + r.publisher_head->hash;
    if (auto logged = store_.record_event("keyring.import", summary); !logged) return logged.error();
    return {};
  };
  auto done = store_.transaction(body);
  if (!done) {
    r.added.clear(), r.changed.clear(), r.unchanged.clear();
    return make_error(done.error().kind, "keyring import rolled back: " + done.error().message);
  }
  r.applied = true;
  return {};
}

Result<BundleImportReport> Importer::run() {
  auto files = check_bundle(dir_);
  if (!files) return files.error();
  auto ring = keyring_from_store(store_);
  if (!ring) return ring.error();
  auto revs = store_.list_revocations();
  if (!revs) return revs.error();
  db_revocations_ = std::move(*revs);
  auto roots = store_.list_roots();
  if (!roots) return roots.error();
  roots_ = std::move(*roots);
  for (const auto& [path, content] : files->files) {
    FileKind kind = classify(path);
    if (kind == FileKind::unknown)
      refuse("file", path,
             "unknown kind of bundle file (expected keys (*.asc, *.gpg, *.pub, allowed_signers), people.toml, "
             "endorsements/*.endorsement, revocations/*.revocation, audit-head or documentation)");
  }
  // The bundle's keys are read first: a required signer may be one of them.
  if (auto k = read_keys(*files); !k) return k.error();
  if (auto sigs = check_signatures(*files, *ring); !sigs) return sigs.error();
  if (auto x = extend_keyring(*ring); !x) return x.error();
  for (const auto& [path, content] : files->files)
    if (classify(path) == FileKind::revocations)
      if (auto r = read_revocations(path, content, *ring); !r) return r.error();
  for (const auto& [path, content] : files->files)
    if (classify(path) == FileKind::endorsements) read_endorsements(path, content, *ring);
  if (auto it = files->files.find("people.toml"); it != files->files.end())
    if (auto p = read_people(it->second); !p) return p.error();
  if (auto it = files->files.find(std::string(kAuditHeadFile)); it != files->files.end()) {
    auto head = parse_audit_head(it->second, std::string(kAuditHeadFile));
    if (head)
      report_.publisher_head = *head;
    else
      refuse("file", std::string(kAuditHeadFile), head.error().message);
  }

  if (report_.refused.empty())
    if (auto a = apply(); !a) return a.error();
  return std::move(report_);
}

}  // namespace

Result<BundleImportReport> import_bundle(TrustStore& store, const std::string& dir,
                                         const BundleImportOptions& options) {
  return Importer(store, dir, options).run();
}

}  // namespace vouch::trust
