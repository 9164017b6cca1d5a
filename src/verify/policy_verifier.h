// Policy mode (docs/policy.md): every commit on the first-parent chain is
// evaluated under the policy of its first parent — the parent governs the
// child, so no commit can weaken the rules it is judged by. Signatures,
// approvals from refs/notes/vouch, path rules, the implicit policy rule, the
// serial (rollback) check and the [trust] link to the local trust database.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "trustdb/store.h"
#include "verify/object_source.h"
#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::verify {

/// Hook mode (docs/hooks.md): what is new to the receiving side. New
/// commits, tags and approvals must be dated within the governing policy's
/// max_clock_skew of now, so nothing can be back-dated past a key's expiry
/// or retirement at push time (threats 21, 27).
struct Freshness {
  /// Whether `commit` is reachable from no verified branch or tag the
  /// receiving side already has.
  std::function<bool(const std::string& commit)> is_new_commit;
  /// Whether the note line `line` on `object` is not already in the
  /// receiving side's refs/notes/vouch.
  std::function<bool(const std::string& object, std::string_view line)> is_new_approval;
};

struct PolicyVerifyOptions {
  std::string trust_root;   ///< --trust-root REV; empty: git config vouch.trustRoot
  std::string policy_file;  ///< --policy FILE: evaluate every commit under this file instead
  /// Trust on first use: with no --trust-root and no vouch.trustRoot, take
  /// the oldest first-parent commit with a policy as the root. Only `vouch
  /// verify` run by hand sets it (never hooks, verify-tag, verify-archive,
  /// or anything run with CI set); otherwise a missing trust root is an error.
  bool allow_first_use = false;
  bool all_commits = false;  ///< also evaluate commits reached only through merges
  bool fail_fast = false;    ///< stop at the first failing commit
  int64_t now = 0;           ///< reference time; 0 = the clock
  /// --allow-sha1-before: overrides the governing policy's [signatures]
  /// allow_sha1_before (unix seconds; INT64_MIN for "never").
  std::optional<int64_t> allow_sha1_before;
  /// Hook mode: freshness of new commits, tags and approvals (unset outside hooks).
  std::optional<Freshness> freshness;
  /// Tags, hook mode: a commit whose policy is the one in force now (the tip
  /// of the first protected branch). A newly pushed tag must satisfy its
  /// [[tags]] rules and people too, so a key removed from the policy cannot
  /// tag old commits whose old policy still lists it (threat 34).
  std::string policy_in_force;
  trust::TrustStore* store = nullptr;  ///< the local trust database, if any
  /// Called after each commit with (commits evaluated, commits on the chain).
  std::function<void(size_t done, size_t total)> progress;
};

/// The message for a missing trust root, naming both ways to set one.
std::string no_trust_root_message(const std::string& what);

/// Verifies `ranges` ("REV": the first-parent chain from REV back to the
/// trust root; "A..B": the chain from B back to A, A's policy governing the
/// first commit after it). Errors only for bad input and the environment.
Result<VerifyReport> verify_policy(ObjectSource& objects, const std::vector<std::string>& ranges,
                                   const PolicyVerifyOptions& opts);
Result<VerifyReport> verify_policy(git::Repository& repo, const std::vector<std::string>& ranges,
                                   const PolicyVerifyOptions& opts);

/// Verifies a tag (docs/policy.md "Tags"): its `tag` header must equal its name
/// ("tag name mismatch"); the tagged commit must verify from the trust root
/// ("tagged commit not verified"), whatever policy it carries; then the
/// [[tags]] rules of the tagged commit's policy (and, in hook mode, of the
/// policy in force) apply to the tag's signer and approvers. Errors (exit 2):
/// no trust root, unknown tag, unreadable objects, an invalid policy.
Result<TagVerdict> verify_tag_policy(ObjectSource& objects, const std::string& name, const PolicyVerifyOptions& opts);
Result<TagVerdict> verify_tag_policy(git::Repository& repo, const std::string& name, const PolicyVerifyOptions& opts);

}  // namespace vouch::verify
