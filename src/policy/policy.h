// The repository policy (.vouch/policy.toml, docs/policy.md) as values. The parser
// (policy_parser.h) produces it; the evaluator reads it. A Policy that exists
// has passed validation: every group named in a requirement exists and can
// meet it, every person has keys, no key belongs to two people.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vouch/types.h"

namespace vouch::policy {

/// Where something was written, for messages: "policy.toml:14:9".
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// "<N> of <group>" or "all of <group>".
struct Requirement {
  int count = 0;     ///< N; for `all`, filled with the group's size at validation
  bool all = false;
  std::string group;
  SourcePos pos;
  std::string text() const;  ///< as written: "2 of maintainers", "all of security"
};

struct Rule {
  std::string name;
  std::vector<std::string> paths;  ///< gitignore-style patterns (path_pattern.h)
  std::vector<Requirement> require;
  bool self_approval = true;  ///< false: the commit's own signer does not count for this rule
  bool notify = false;        ///< always listed in the report's notices
  bool implicit = false;      ///< the built-in "policy" rule protecting the policy and keyring
  SourcePos pos;
};

struct TagRule {
  std::vector<std::string> refs;  ///< glob patterns over full ref names ("refs/tags/v*")
  std::vector<Requirement> require;
  SourcePos pos;
};

struct PolicyPerson {
  std::string name;
  std::vector<KeyId> keys;
  SourcePos pos;
};

/// 2013-02-01 00:00 UTC: SHA-1 signatures made before it may count
/// (docs/signatures.md, the cut-off Sequoia's standard policy uses).
inline constexpr int64_t kDefaultSha1Cutoff = 1359676800;

struct Policy {
  int version = 1;
  int64_t serial = 0;
  std::optional<std::string> repository;  ///< bound into approvals when set
  std::string keyring = ".vouch/keys";    ///< directory of key material, relative to the repo root
  std::map<std::string, PolicyPerson> people;
  std::map<std::string, std::vector<std::string>> groups;  ///< group -> person names
  std::vector<Requirement> commit_require;                  ///< [commits] require
  std::vector<Rule> rules;  ///< [[rules]] in file order, then the implicit "policy" rule if no rule covers the policy
  std::vector<TagRule> tags;
  std::optional<int> min_amount;       ///< [trust] min_amount
  std::optional<int64_t> min_key_age;  ///< [trust] min_key_age, seconds
  std::vector<std::string> protected_refs;  ///< [refs] protected
  int64_t max_clock_skew = 86400;           ///< [refs] max_clock_skew, seconds (default 1d)
  /// [refs] unchecked: refs a push may update without verification (review
  /// areas); they never make a commit "known" to the server.
  std::vector<std::string> unchecked_refs;
  std::vector<std::string> archive_may_add;     ///< [release] archive_may_add
  std::vector<std::string> archive_may_change;  ///< [release] archive_may_change
  std::vector<std::string> archive_may_omit;    ///< [release] archive_may_omit
  std::vector<Requirement> release_require;     ///< [release] require: approvals of an archive that differs
  bool release_self_approval = true;            ///< [release] self_approval: the tag signer counts for `require`
  /// [signatures] allow_sha1_before: SHA-1 digests are accepted in signatures
  /// created before this time; INT64_MIN for "never". Default 2013-02-01.
  int64_t allow_sha1_before = kDefaultSha1Cutoff;
  bool require_user_presence = false;  ///< [signatures]: sk-* signatures need the user-presence flag

  /// The person owning `key`, or nullopt when the key is not in the policy.
  std::optional<std::string> person_of(const KeyId& key) const;
  /// Every key named in the policy.
  std::vector<KeyId> all_keys() const;
};

/// Path of the policy file inside a repository.
inline constexpr const char* kPolicyPath = ".vouch/policy.toml";

}  // namespace vouch::policy
