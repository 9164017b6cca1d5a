#include "bundle/bundle_export.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "bundle/bundle_manifest.h"
#include "bundle/bundle_people.h"
#include "statement/signer.h"
#include "statement/verifier.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"
#include "trustdb/db_keyring.h"

namespace vouch::trust {
namespace fs = std::filesystem;
namespace {

bool is_doc(std::string_view name) { return name.ends_with(".md") || name.starts_with("README"); }

/// DIR absent or empty but for top-level documentation; created when absent.
Result<void> prepare_dir(const std::string& dir) {
  std::error_code ec;
  auto st = fs::symlink_status(dir, ec);
  if (!fs::exists(st)) {
    fs::create_directories(dir, ec);
    if (ec) return make_error(ErrorKind::environment, "cannot create " + dir + ": " + ec.message());
    return {};
  }
  if (!fs::is_directory(st)) return make_error(ErrorKind::bad_input, dir + " exists and is not a directory");
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_doc(name) && entry.is_regular_file() && !entry.is_symlink()) continue;
    return make_error(ErrorKind::bad_input,
                      "cannot export into " + dir + ": it already holds " + name + " (use a new or empty directory)");
  }
  if (ec) return make_error(ErrorKind::environment, "cannot read " + dir + ": " + ec.message());
  return {};
}

Result<void> write(const std::string& dir, const std::string& rel, const std::string& data) {
  const fs::path path = fs::path(dir) / rel;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    return make_error(ErrorKind::environment, "cannot create " + path.parent_path().string() + ": " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  if (!out) return make_error(ErrorKind::environment, "cannot write " + path.string());
  return {};
}

std::string issuer_stem(const KeyId& id) { return std::string(to_string(id.kind)) + "-" + key_file_stem(id); }

}  // namespace

std::string key_file_stem(const KeyId& id) {
  if (id.kind == KeyKind::openpgp) return id.id;
  std::string s = id.id;
  std::replace(s.begin(), s.end(), ':', '-');
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

Result<BundleExportReport> export_bundle(const TrustStore& store, const std::string& dir,
                                         const BundleExportOptions& options) {
  BundleExportReport report;
  auto keys = store.list_keys();
  if (!keys) return keys.error();
  auto people = store.list_people();
  if (!people) return people.error();
  auto endorsements = store.list_stored_endorsements();
  if (!endorsements) return endorsements.error();
  auto revocations = store.list_revocations();
  if (!revocations) return revocations.error();
  if (auto p = prepare_dir(dir); !p) return p.error();

  for (const auto& k : *keys) {
    std::string rel;
    std::string data = k.material;
    if (k.id.kind == KeyKind::openpgp) {
      rel = "keys/openpgp/" + k.id.id + ".asc";
    } else {
      rel = "keys/ssh/" + (k.person ? *k.person + "-" : std::string()) + key_file_stem(k.id) + ".pub";
    }
    if (data.empty() || data.back() != '\n') data += '\n';
    if (auto w = write(dir, rel, data); !w) return w.error();
    ++report.keys;
  }
  if (!people->empty()) {
    if (auto w = write(dir, "people.toml", serialize_people_toml(*people)); !w) return w.error();
    report.people = people->size();
  }
  std::map<std::string, std::vector<std::string>> by_issuer;
  for (const auto& se : *endorsements) by_issuer[issuer_stem(se.endorsement.issuer)].push_back(se.statement);
  for (auto& [stem, lines] : by_issuer) {
    std::sort(lines.begin(), lines.end());
    std::string data;
    for (const auto& l : lines) data += l + "\n";
    if (auto w = write(dir, "endorsements/" + stem + ".endorsement", data); !w) return w.error();
    report.endorsements += lines.size();
  }
  std::map<std::string, std::vector<std::string>> by_key;
  const std::string rev_prefix = std::string(statement::kRevocationType) + " v1 ";
  for (const auto& r : *revocations)
    if (r.statement && r.statement->starts_with(rev_prefix)) by_key[issuer_stem(r.key)].push_back(*r.statement);
  for (auto& [stem, lines] : by_key) {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    std::string data;
    for (const auto& l : lines) data += l + "\n";
    if (auto w = write(dir, "revocations/" + stem + ".revocation", data); !w) return w.error();
    report.revocations += lines.size();
  }

  // The exporter's log head, covered by MANIFEST (and its signature): an
  // anchor outside the database (`vouch log --verify --head DIR`).
  auto head = store.audit_head();
  if (!head) return head.error();
  if (auto w = write(dir, std::string(kAuditHeadFile), format_audit_head(*head)); !w) return w.error();
  report.head = *head;

  auto entries = hash_bundle(dir);
  if (!entries) return entries.error();
  report.files = entries->size();
  const std::string manifest = serialize_manifest(*entries);
  if (auto w = write(dir, std::string(kManifestName), manifest); !w) return w.error();
  if (options.sign_key.empty()) return report;

  // An unsigned MANIFEST must not stay behind when the signature was asked for.
  auto unsigned_error = [&](Error e) -> Result<BundleExportReport> {
    std::error_code ec;
    fs::remove(fs::path(dir) / kManifestName, ec);
    return e;
  };
  auto sig = statement::sign_statement(manifest, options.sign_key, kKeyringNamespace);
  if (!sig) return unsigned_error(sig.error());
  auto ring = keyring_from_store(store);
  if (!ring) return unsigned_error(ring.error());
  SignedStatement st{std::string(kManifestSigType), manifest, *sig};
  SignatureResult r = statement::verify_statement(st, *ring, kKeyringNamespace, options.now);
  auto signer = KeyId::parse(r.key);
  if (r.status != SigStatus::good || !signer)
    return unsigned_error(
        make_error(ErrorKind::bad_input,
                   "the --sign key " + options.sign_key +
                       " made a MANIFEST signature that does not verify against the trust database's keys (" +
                       std::string(to_string(r.status)) + (r.reason.empty() ? "" : ": " + r.reason) +
                       "); import its public key first"));
  if (auto w = write(dir, std::string(kManifestSigName), serialize_manifest_signatures({{*signer, *sig}})); !w)
    return w.error();
  report.signer = *signer;
  return report;
}

}  // namespace vouch::trust
