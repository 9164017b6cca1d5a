// Policy mode (policy.md): every commit on the first-parent chain is
// evaluated under the policy of its first parent — the parent governs the
// child, so no commit can weaken the rules it is judged by. Signatures,
// approvals from refs/notes/vouch, path rules, the implicit policy rule, the
// serial (rollback) check and the [trust] link to the local trust database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "git/repository.h"
#include "trust/store.h"
#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::verify {

struct PolicyVerifyOptions {
  std::string trust_root;   ///< --trust-root REV; empty: git config vouch.trustRoot, then the first policy
  std::string policy_file;  ///< --policy FILE: evaluate every commit under this file instead
  bool all_commits = false;  ///< also evaluate commits reached only through merges
  bool fail_fast = false;    ///< stop at the first failing commit
  int64_t now = 0;           ///< reference time; 0 = the clock
  /// --allow-sha1-before: overrides the governing policy's [signatures]
  /// allow_sha1_before (unix seconds; INT64_MIN for "never").
  std::optional<int64_t> allow_sha1_before;
  /// Hook mode: newly pushed commits whose signature time is further than the
  /// policy's max_clock_skew from `now` fail (threat 21).
  bool check_clock_skew = false;
  trust::TrustStore* store = nullptr;  ///< the local trust database, if any
  /// Called after each commit with (commits evaluated, commits on the chain).
  std::function<void(size_t done, size_t total)> progress;
};

/// Verifies `ranges` ("REV": the first-parent chain from REV back to the
/// trust root; "A..B": the chain from B back to A, A's policy governing the
/// first commit after it). Errors only for bad input and the environment.
Result<VerifyReport> verify_policy(git::Repository& repo, const std::vector<std::string>& ranges,
                                   const PolicyVerifyOptions& opts);

/// Verifies a tag under the [[tags]] rules of the tagged commit's policy.
Result<TagVerdict> verify_tag_policy(git::Repository& repo, const std::string& name, const PolicyVerifyOptions& opts);

}  // namespace vouch::verify
