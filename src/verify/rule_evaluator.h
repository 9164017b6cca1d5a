// Rule evaluation for one commit or tag (docs/policy.md "Which commits are checked", "Who
// counts"): pure, no git, no crypto. Given the governing policy, the changed
// paths and who signed or approved, it says which rules apply, whether each
// requirement is met and, when not, exactly what is missing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/path_pattern.h"
#include "policy/policy.h"
#include "vouch/verify.h"

namespace vouch::verify {

/// A policy's [[rules]] with their patterns compiled once.
struct CompiledRule {
  const policy::Rule* rule = nullptr;
  std::vector<policy::PathPattern> patterns;
};
Result<std::vector<CompiledRule>> compile_rules(const policy::Policy& policy);

/// Someone who signed or approved, with what they may count for.
struct Participant {
  std::string person;
  bool is_signer = false;
  /// [trust]: the key meets min_amount (for [commits] and [[tags]]) ...
  bool trusted_for_commits = true;
  /// ... and min_amount with only endorsements older than min_key_age (for [[rules]]).
  bool trusted_for_rules = true;
};

struct RuleEvaluation {
  std::vector<RuleResult> rules;
  std::vector<std::string> notices;
  /// One line per unmet requirement, without the "commit X: " prefix:
  /// `rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4`.
  std::vector<std::string> failures;
  bool pass() const { return failures.empty(); }
};

/// Evaluates [commits], every [[rules]] entry matching a changed path, and
/// the implicit policy rule. A person counts once per requirement however
/// many of their keys signed; with self_approval = false the signer counts
/// for nothing in that rule.
RuleEvaluation evaluate_commit_rules(const policy::Policy& policy, const std::vector<CompiledRule>& rules,
                                     const std::vector<std::string>& changed_paths,
                                     const std::vector<Participant>& participants);

/// Evaluates the [[tags]] entries whose refs match `ref` ("refs/tags/v1.0").
/// `matched` is set when at least one entry matched.
RuleEvaluation evaluate_tag_rules(const policy::Policy& policy, const std::string& ref,
                                  const std::vector<Participant>& participants, bool& matched);

/// Glob over ref names as git's refspecs glob: `*` (and `**`) matches any
/// run of characters including '/', so "refs/tags/*" also covers
/// "refs/tags/release/1.0" (more matches can only mean more checks); `?` is
/// one character. No case folding: ref names are case-sensitive in git.
bool ref_matches(std::string_view pattern, std::string_view ref);

}  // namespace vouch::verify
