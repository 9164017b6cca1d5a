// `vouch policy explain REV`: which rules apply to a commit and why — which
// changed path matched which pattern — and who can satisfy each requirement.
// Read-only; no signatures are checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::verify {

struct PatternMatch {
  std::string pattern;
  std::vector<std::string> paths;
};

struct ExplainedRequirement {
  std::string text;                     ///< "2 of maintainers"
  int need = 0;
  std::vector<std::string> candidates;  ///< people of the group who could satisfy it
};

struct ExplainedRule {
  std::string name;
  bool implicit = false;
  bool self_approval = true;
  bool notify = false;
  std::vector<PatternMatch> matches;  ///< empty for [commits]
  std::vector<ExplainedRequirement> requirements;
};

struct Explanation {
  std::string commit;
  std::string governed_by;  ///< the commit whose policy applies (the first parent; the commit itself for a root)
  int64_t serial = 0;
  std::vector<std::string> changed_paths;
  std::vector<ExplainedRule> rules;  ///< applicable ones only, [commits] first
  std::vector<std::string> notes;    ///< [trust] settings, policy changes, trust root
  /// With a trust root: whether the governing commit descends from it through
  /// first parents (if not, this policy is one the history chose itself and
  /// is in force nowhere). Unset without a trust root.
  std::optional<bool> rooted;
  std::string trust_root;  ///< the trust root consulted, if any
};

/// `trust_root`: --trust-root REV, else git config vouch.trustRoot, else none.
Result<Explanation> explain_commit(git::Repository& repo, const std::string& rev, const std::string& trust_root = "");

}  // namespace vouch::verify
