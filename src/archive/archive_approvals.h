// Approvals of a release archive (docs/release-archives.md): statements
// of type `archive` whose object is the SHA-256 of the archive file and
// whose `tag` line names the tag object, stored as note lines on that tag
// object in refs/notes/vouch next to the tag's own approvals. When the
// archive differs from the tag at all (any allowed file), the governing
// policy's [release] require must be met by them; [release] self_approval
// decides whether the tag signer's own archive approval counts.
#pragma once

#include <cstdint>
#include <string>

#include "git/repository.h"
#include "keys/keyring.h"
#include "policy/approval_check.h"
#include "policy/approval_signer.h"
#include "policy/policy.h"
#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::archive {

/// What an archive approval must be for.
struct ArchiveObject {
  std::string sha256;                     ///< of the archive file (64 hex)
  std::string tag_oid;                    ///< the tag object (40 hex)
  std::optional<std::string> repository;  ///< the governing policy's `repository`, when set
};

/// check_approval_line (policy/approval_check.h) for an archive approval:
/// type archive, object the file's SHA-256, then its `tag` line, a
/// mismatch: "approval is for tag 1234abcd5678, not 5678abcd1234".
policy::ApprovalStatus check_archive_line(std::string_view line, const ArchiveObject& expected,
                                          const keys::Keyring& keyring, int64_t now);

/// Builds and signs the approval of `object` (signer, created = now,
/// optional comment) into one note line. Errors as make_approval_line
/// (policy/approval_signer.h).
Result<std::string> make_archive_approval_line(const ArchiveObject& object, const std::string& signing_key,
                                               const KeyId& signer, int64_t now,
                                               const std::optional<std::string>& comment,
                                               policy::Withdraw withdraw = policy::Withdraw::no);

struct ArchiveApprovalInputs {
  const policy::Policy* policy = nullptr;   ///< the governing policy ([release], people, groups)
  const keys::Keyring* keyring = nullptr;   ///< keys the approvals' signatures are checked with
  std::string tag_oid;                      ///< the tag object (40 hex); empty for a lightweight tag (no approvals)
  std::string sha256;                       ///< of the archive file (64 hex)
  std::string tag_signer;                   ///< the person who signed the tag, empty when none in the policy
  int64_t now = 0;
};

/// Every archive approval on the tag object (lines of other types, the
/// tag's own approvals, are left out), each with its status; with
/// `differs`, the [release] require requirements counted: a person counts
/// once per requirement, only with a good approval of this very file and
/// tag, only when in the policy, and the tag signer only when
/// release_self_approval. Errors: the note cannot be read.
Result<ArchiveApprovals> check_archive_approvals(git::Repository& repo, const ArchiveApprovalInputs& in, bool differs);

/// One line per unmet requirement: "[release] require needs 1 more of
/// maintainers (have 1: lasse)".
std::vector<std::string> approval_failures(const ArchiveApprovals& a);

}  // namespace vouch::archive
