// Checking approvals found in a note against the object being evaluated
// (docs/policy.md "Approvals", docs/threat-model.md, threat 13). One note line in, one status out:
// an approval counts only if its signature is good under the namespace
// `vouch-approval`, its signer line names the key that actually signed, and it
// approves exactly this object: same oid, type, tree, and repository id.
//
// Whether the signer belongs to the governing policy and which rule it counts
// toward is the policy evaluator's business, not this module's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/keyring.h"
#include "policy/approval.h"
#include "vouch/types.h"

namespace vouch::policy {

/// How far in the future an approval's `created` may lie (clock skew between
/// the approver's machine and the verifier), in seconds.
inline constexpr int64_t kApprovalClockSkew = 300;

/// The object an approval must be for.
struct ExpectedObject {
  std::string oid;                        ///< full hex oid of the commit or tag object
  std::string type;                       ///< "commit" | "tag"
  std::optional<std::string> tree;        ///< commits: the commit's tree
  std::optional<std::string> repository;  ///< the governing policy's `repository`, when set
  /// The object's own time (committer time; tagger time): an approval cannot
  /// predate what it approves, so a retired or expired key cannot approve
  /// new work by writing an old `created` (threat 27). 0 when the object has none.
  int64_t time = 0;
};

/// The verdict on one note line.
struct ApprovalStatus {
  std::string line;                  ///< the note line as found
  std::optional<Approval> approval;  ///< set when the statement parsed
  SignatureResult signature;         ///< the signature verdict, when it was checked
  bool counts = false;               ///< true only when status == "good"
  /// "good"; a signature verdict ("bad", "unknown-key", "expired-key", ...);
  /// "mismatch" (a good signature over a statement for something else, or a
  /// signer line naming another key, or a created time in the future);
  /// "malformed" (a vouch-approval v1 line that does not parse);
  /// "unrecognised" (a line that is not a vouch-approval v1 line);
  /// "withdrawal" (a good retraction) and "withdrawn" (an approval it voids).
  std::string status;
  std::string reason;  ///< empty for good; otherwise one line saying what is wrong
  KeyId key;           ///< the key that signed when known, else the signer line's key (empty id: unknown)
};

/// Checks one note line (without its newline). `now` is the verifier's time;
/// SSH signatures are taken as made at the statement's `created`. Reasons for
/// a mismatch, checked in this order:
///   "signer line names X but Y signed"
///   "approval is of type tag, not commit"
///   "approval is for commit 1234abcd5678, not 5678abcd1234" (12 digits, or
///     full oids when the 12-digit prefixes are equal)
///   "approval is for tree T1, not T2"
///   "approval is for repository other/x, not example/xz" /
///   "approval names no repository, not example/xz" /
///   "approval is for repository other/x, but the policy sets no repository"
///   "approval created at C, before the commit's own time T" (T: committer
///     or tagger time)
///   "approval created at C, after now N"
/// `rules`: the governing policy's signature rules (SHA-1 cut-off, user presence).
ApprovalStatus check_approval_line(std::string_view line, const ExpectedObject& expected,
                                   const keys::Keyring& keyring, int64_t now, const SignatureRules& rules = {});

/// Applies retractions (`withdrawn yes`) among `statuses`: a good retraction
/// becomes status "withdrawal" (it counts for nothing), and every good
/// approval by the same key created at or before it becomes "withdrawn"
/// ("withdrawn by the same key at T"). A later approval stands again.
void apply_withdrawals(std::vector<ApprovalStatus>& statuses);

/// Checks every non-empty line of a note (LF-separated), in order, then
/// applies retractions (apply_withdrawals).
std::vector<ApprovalStatus> check_note(std::string_view note_text, const ExpectedObject& expected,
                                       const keys::Keyring& keyring, int64_t now, const SignatureRules& rules = {});

}  // namespace vouch::policy
