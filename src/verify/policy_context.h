// The policy in force at a commit: the parsed .vouch/policy.toml of that
// commit, its rules compiled, and the keyring its keys come from (the
// policy's keyring directory in the same commit, then the local trust
// database for keys not found there, with the database's revocations).
// Cached per commit, and keyrings per (policy, keyring directory) content, so
// a long chain under an unchanged policy builds one keyring.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "git/repository.h"
#include "keys/keyring.h"
#include "policy/policy.h"
#include "trustdb/store.h"
#include "verify/object_source.h"
#include "verify/rule_evaluator.h"
#include "vouch/result.h"

namespace vouch::verify {

struct GoverningPolicy {
  std::string commit;     ///< where it was read ("" for a --policy file)
  std::string source;     ///< "<oid12>:.vouch/policy.toml" or the file path
  std::string blob_text;  ///< the file's bytes
  policy::Policy policy;
  std::vector<CompiledRule> rules;
  std::shared_ptr<const keys::Keyring> keyring;
};

/// The one way a keyring directory is read from a commit's tree (the
/// policy's keyring, or .vouch/keys of a repository without a policy): every
/// regular file, executable or not, by name (keys::Keyring::add_file);
/// symbolic links and submodules are never key files. Errors name the commit
/// and file.
Result<std::shared_ptr<const keys::Keyring>> tree_keyring(ObjectSource& objects, const std::string& commit,
                                                          const std::string& dir);
Result<std::shared_ptr<const keys::Keyring>> tree_keyring(git::Repository& repo, const std::string& commit,
                                                         const std::string& dir);

class PolicyCache {
 public:
  /// `store` may be null: then only the repository's keyring directory is used.
  PolicyCache(ObjectSource& objects, trust::TrustStore* store) : repo_(objects), store_(store) {}
  /// Reads `repo` through a GitObjects of its own.
  PolicyCache(git::Repository& repo, trust::TrustStore* store)
      : owned_(std::make_unique<GitObjects>(repo)), repo_(*owned_), store_(store) {}

  /// The policy of `commit`; nullptr when the commit has no policy file.
  /// Errors: an unparseable or invalid policy (kind malformed, with
  /// file:line:column), unreadable objects, a bad keyring directory.
  Result<std::shared_ptr<const GoverningPolicy>> at(const std::string& commit);

  /// A shadow policy (--policy FILE) whose keyring directory is resolved
  /// relative to FILE's directory (to the directory above it when FILE sits
  /// in a `.vouch` directory of a trusted checkout, as in the repository)
  /// and read from there only (never from the
  /// verified repository); a symbolic link at or below it that leads out of
  /// FILE's directory is an error (bad_input) naming the link.
  Result<std::shared_ptr<const GoverningPolicy>> from_file(const std::string& path);

 private:
  Result<std::shared_ptr<const keys::Keyring>> keyring_for(const std::string& commit, const policy::Policy& policy,
                                                           const std::string& policy_text);
  Result<void> add_database_keys(keys::Keyring& ring, const policy::Policy& policy);

  std::unique_ptr<GitObjects> owned_;
  ObjectSource& repo_;
  trust::TrustStore* store_;
  std::map<std::string, std::shared_ptr<const GoverningPolicy>> by_commit_;
  std::map<std::string, std::shared_ptr<const keys::Keyring>> keyrings_;
};

}  // namespace vouch::verify
