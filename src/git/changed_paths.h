// The changed paths of a commit (spec docs/policy.md "Which commits are checked"): what
// the path rules of the policy are matched against.
//
// A commit's changes are measured against its FIRST parent only: the policy
// governs the first-parent line, so a merge "changes" everything it brings
// into that line (the side branch's work plus any edit made in the merge
// itself), whatever the second parent already had. A root commit changes
// every path in its tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::git {

struct ChangedPath {
  std::string path;      ///< the path after the change (for 'D': the deleted path)
  char status = 'M';     ///< 'A' added, 'D' deleted, 'M' content or mode changed,
                         ///< 'T' type changed (file <-> symlink <-> submodule), 'R' renamed
  std::string old_path;  ///< for 'R': the path before; empty otherwise
};

/// Every entry that differs between the first parent's tree and the commit's
/// tree, in git's path order: added, deleted, modified, mode changed (chmod
/// +x), type changed, submodule moved (gitlink oid changed; submodules are
/// never recursed into). Renames are reported as 'R' with both paths: found
/// by content similarity (git's default 50 %) when at most 1,000 entries were
/// added or deleted, by identical blob otherwise (linear time, so a 50,000
/// path commit stays fast); an undetected rename stays a 'D' plus an 'A'.
/// Errors: commit errors as lookup_commit (tree_reader.h); "cannot diff
/// commit C: ..." (environment); a changed directory nested deeper than
/// kMaxTreeDepth: "tree nested deeper than 4096 levels at PATH in commit C"
/// (malformed), found by an iterative walk of only the directories that
/// differ, before any diff is made.
Result<std::vector<ChangedPath>> changed_paths(Repository& repo, std::string_view commit_oid);

/// The changed paths as a sorted (byte order), de-duplicated list of names; a
/// rename contributes its old and its new path. This is what the policy
/// matches against. It does no rename detection at all, so no similarity
/// threshold or rename limit can hide a path. Errors as changed_paths.
Result<std::vector<std::string>> changed_path_names(Repository& repo,
                                                    std::string_view commit_oid);

}  // namespace vouch::git
