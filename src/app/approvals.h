// The approval use cases (docs/policy.md "Approvals", docs/release-archives.md):
// sign an approval into refs/notes/vouch, list the approvals of an object
// with their status, and share them with a remote. Plain options in, result
// structs out; src/report renders them, src/cli only parses and calls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archive/archive_approvals.h"
#include "policy/approval_check.h"
#include "trustdb/store.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::app {

struct ApproveOptions {
  std::string repo = ".";
  std::string rev;           ///< a commit, or an annotated tag (approves the tag object)
  std::string archive, tag;  ///< --archive FILE --tag TAG instead of rev
  /// SSH key file or OpenPGP fingerprint; empty: git's user.signingkey and gpg.format.
  std::string key;
  std::optional<std::string> comment;
  bool withdraw = false;
  /// Empty: git config vouch.trustRoot; with neither, nothing is checked here.
  std::string trust_root;
};

struct ApproveResult {
  policy::ExpectedObject object;                  ///< the commit or tag object approved (or the archive's tag)
  std::optional<archive::ArchiveObject> archive;  ///< set for --archive
  KeyId signer;
  std::string line;  ///< the note line written
  bool withdrawn = false;
};

/// Signs and appends one approval line to the note of the object. Refuses
/// (bad_input) a commit that does not descend from the trust root through
/// first parents, a lightweight tag for --archive, and mixed arguments.
Result<ApproveResult> approve(const ApproveOptions& opts);

struct ListApprovalsOptions {
  std::string repo = ".";
  std::string rev;
  /// Keys to check with; empty: the governing policy's keyring at REV and the trust database.
  std::string keyring;
  /// REV is a tag: check its archive approvals against this file's SHA-256.
  std::string archive;
};

struct ListedApproval {
  policy::ApprovalStatus status;
  std::optional<std::string> person;  ///< the governing policy's person for the key
};

struct ApprovalList {
  policy::ExpectedObject object;
  std::vector<ListedApproval> approvals;
};

/// Every line of REV's note, checked. `store` completes the policy's keyring
/// (null: no trust database).
Result<ApprovalList> list_approvals(const ListApprovalsOptions& opts, trust::TrustStore* store);

struct SyncResult {
  std::string remote;
  bool fetched = false;  ///< the remote had approvals, merged (union) into ours
  bool pushed = false;   ///< ours (merged) went to the remote
};

/// Fetches REMOTE's refs/notes/vouch into a temporary ref, merges the lines
/// (cat_sort_uniq: the union of approvals) and pushes the result back.
Result<SyncResult> sync_approvals(const std::string& repo, const std::string& remote);

}  // namespace vouch::app
