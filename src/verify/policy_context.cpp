#include "verify/policy_context.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/digest.h"
#include "git/tree_reader.h"
#include "policy/policy_parser.h"
#include "util/hex.h"
#include "util/file.h"

namespace vouch::verify {
namespace fs = std::filesystem;
namespace {

keys::Revocation to_keyring_revocation(const trust::RevocationRecord& r) {
  return keys::Revocation{r.time, trust::is_hard(r.reason), std::string(trust::to_string(r.reason))};
}

/// Every symbolic link at or below `dir` must lead to a place inside
/// `home` (the --policy file's directory); the first that does not is an
/// error naming it, so nothing outside is read through it.
Result<void> check_links_stay_inside(const fs::path& home, const fs::path& dir) {
  std::error_code ec;
  fs::path root = fs::canonical(home, ec);
  if (ec) return make_error(ErrorKind::bad_input, "cannot read " + home.string() + ": " + ec.message());
  auto inside = [&](const fs::path& p) {
    fs::path target = fs::weakly_canonical(p, ec);
    if (ec) return false;
    auto rel = target.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
  };
  auto refuse = [&](const fs::path& p) {
    return make_error(ErrorKind::bad_input, "keyring " + dir.string() + ": " + p.string() +
                                                " leads out of the policy's directory " + root.string() +
                                                " (symbolic links out of it are not followed)");
  };
  if (!inside(dir)) return refuse(dir);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_symlink(ec) && !inside(it->path())) return refuse(it->path());
  }
  if (ec) return make_error(ErrorKind::bad_input, "cannot read keyring " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace

Result<void> PolicyCache::add_database_keys(keys::Keyring& ring, const policy::Policy& policy) {
  if (!store_) return {};
  // Keys named in the policy but not shipped in its keyring directory come
  // from the local trust database (docs/policy.md).
  for (const KeyId& id : policy.all_keys()) {
    bool present = id.kind == KeyKind::ssh ? !ring.find_ssh(id.id).empty() : ring.find_openpgp(id.id) != nullptr;
    if (present) continue;
    auto record = store_->get_key(id);
    if (!record) return record.error();
    if (!*record) continue;
    auto added = id.kind == KeyKind::ssh ? ring.add_ssh_line((*record)->material, "trust database")
                                         : ring.add_openpgp((*record)->material, "trust database");
    if (!added) return added.error();
  }
  if (auto done = ring.finish_openpgp(); !done) return done.error();
  // Revocations recorded in the database apply too: whichever says more.
  for (const KeyId& id : policy.all_keys()) {
    auto revs = store_->revocations_of(id);
    if (!revs) return revs.error();
    for (const auto& r : *revs) ring.add_revocation(id, to_keyring_revocation(r));
  }
  return {};
}

namespace {

Result<void> add_tree_keys(ObjectSource& repo, const std::string& commit, const std::vector<git::TreeFile>& files,
                           keys::Keyring& ring) {
  for (const auto& f : files) {
    if (f.mode != 0100644 && f.mode != 0100755) continue;  // symlinks and submodules are not key files
    auto blob = repo.read_blob(f.oid);
    if (!blob) return blob.error();
    auto added = ring.add_file(f.path, *blob);
    if (!added) return make_error(added.error().kind, commit.substr(0, 12) + ":" + added.error().message);
  }
  return ring.finish_openpgp();
}

}  // namespace

Result<std::shared_ptr<const keys::Keyring>> tree_keyring(git::Repository& repo, const std::string& commit,
                                                         const std::string& dir) {
  GitObjects objects(repo);
  return tree_keyring(objects, commit, dir);
}

Result<std::shared_ptr<const keys::Keyring>> tree_keyring(ObjectSource& repo, const std::string& commit,
                                                          const std::string& dir) {
  auto files = repo.list_tree(commit, dir);
  if (!files) return files.error();
  auto ring = std::make_shared<keys::Keyring>();
  if (auto loaded = add_tree_keys(repo, commit, *files, *ring); !loaded) return loaded.error();
  return std::shared_ptr<const keys::Keyring>(std::move(ring));
}

Result<std::shared_ptr<const keys::Keyring>> PolicyCache::keyring_for(const std::string& commit,
                                                                     const policy::Policy& policy,
                                                                     const std::string& policy_text) {
  auto files = repo_.list_tree(commit, policy.keyring);
  if (!files) return files.error();
  // Same policy text and same keyring blobs: same keyring.
  crypto::Hasher h(crypto::HashAlgo::sha256);
  h.update(policy_text);
  for (const auto& f : *files) {
    h.update(f.path);
    h.update("\n");
    h.update(f.oid);
    h.update("\n");
  }
  std::string cache_key = util::to_hex(h.finish());
  if (auto it = keyrings_.find(cache_key); it != keyrings_.end()) return it->second;

  auto ring = std::make_shared<keys::Keyring>();
  if (auto loaded = add_tree_keys(repo_, commit, *files, *ring); !loaded) return loaded.error();
  if (auto db = add_database_keys(*ring, policy); !db) return db.error();
  std::shared_ptr<const keys::Keyring> shared = ring;
  keyrings_.emplace(cache_key, shared);
  return shared;
}

Result<std::shared_ptr<const GoverningPolicy>> PolicyCache::at(const std::string& commit) {
  if (auto it = by_commit_.find(commit); it != by_commit_.end()) return it->second;
  auto text = repo_.read_file_at(commit, policy::kPolicyPath);
  if (!text) return text.error();
  if (!*text) {
    by_commit_.emplace(commit, nullptr);
    return std::shared_ptr<const GoverningPolicy>{};
  }
  auto gp = std::make_shared<GoverningPolicy>();
  gp->commit = commit;
  gp->source = commit.substr(0, 12) + ":" + policy::kPolicyPath;
  gp->blob_text = std::move(**text);
  auto parsed = policy::parse_policy(gp->blob_text, gp->source);
  if (!parsed) return parsed.error();
  gp->policy = std::move(*parsed);
  auto rules = compile_rules(gp->policy);
  if (!rules) return rules.error();
  gp->rules = std::move(*rules);
  auto ring = keyring_for(commit, gp->policy, gp->blob_text);
  if (!ring) return ring.error();
  gp->keyring = *ring;
  std::shared_ptr<const GoverningPolicy> shared = gp;
  by_commit_.emplace(commit, shared);
  return shared;
}

Result<std::shared_ptr<const GoverningPolicy>> PolicyCache::from_file(const std::string& path) {
  auto text = util::read_file(path);
  if (!text) return make_error(text.error().kind, "policy file: " + text.error().message);
  auto gp = std::make_shared<GoverningPolicy>();
  gp->source = path;
  gp->blob_text = std::move(*text);
  auto parsed = policy::parse_policy(gp->blob_text, path);
  if (!parsed) return parsed.error();
  gp->policy = std::move(*parsed);
  auto rules = compile_rules(gp->policy);
  if (!rules) return rules.error();
  gp->rules = std::move(*rules);  // points into gp->policy, which no longer moves
  // The keyring of a policy kept outside the repository comes from that
  // policy's own directory, never from the verified repository (whose
  // working tree a pull request controls, threat 37).
  auto ring = std::make_shared<keys::Keyring>();
  fs::path home = fs::absolute(fs::path(path)).parent_path();
  // FILE inside a trusted checkout (base/.vouch/policy.toml): its keyring
  // path is relative to that checkout's root, as in the repository.
  if (home.filename() == ".vouch") home = home.parent_path();
  fs::path dir = home / gp->policy.keyring;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    if (auto contained = check_links_stay_inside(home, dir); !contained) return contained.error();
    auto loaded = keys::Keyring::load_directory(dir.string());
    if (!loaded) return loaded.error();
    *ring = std::move(*loaded);
  }
  if (auto db = add_database_keys(*ring, gp->policy); !db) return db.error();
  gp->keyring = ring;
  return std::shared_ptr<const GoverningPolicy>(gp);
}

}  // namespace vouch::verify
