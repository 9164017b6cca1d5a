// `vouch verify-archive`: a release archive checked against its signed tag.
// The tag is verified first (policy or keyring mode, as verify-tag), then
// the archive's members are compared by content with the tagged commit's
// tree (archive_compare.h has the rules), with the tagged commit's policy's
// [release] archive_may_add / archive_may_change / archive_may_omit and the
// tag's export-ignore attributes explaining expected differences, the raw
// headers checked for names extractors read differently (raw_names.h),
// allowed files sorted into known and unknown (--known, known_files.h), and,
// when the archive differs at all, [release] require counted over the
// archive's own approvals (archive_approvals.h).
#pragma once

#include <string>
#include <vector>

#include "archive/archive_reader.h"
#include "git/repository.h"
#include "keys/keyring.h"
#include "verify/policy_verifier.h"
#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::archive {

struct ArchiveVerifyOptions {
  /// Keyring mode when set: the tag needs a good signature by a key in it, and
  /// archive_may_add comes from the tagged commit's .vouch/policy.toml if it
  /// has one. Null: policy mode, with `policy` (its policy_file, now, store).
  const keys::Keyring* keyring = nullptr;
  verify::PolicyVerifyOptions policy;
  int64_t now = 0;  ///< keyring mode: reference time; 0 = now
  ReaderLimits limits;
  std::vector<std::string> known_dirs;  ///< --known DIR...
};

/// Verifies `tag` and compares `archive_path` with its tree. Expected failures
/// (a bad tag signature, differences, unsafe members) are in the verdict.
/// Errors: an unknown tag (not_found), a tag that does not lead to a commit,
/// an invalid policy or [release] pattern (malformed), a tree nested deeper
/// than 4096 levels (malformed), an unreadable or corrupt archive or one over
/// the limits (bad_input/malformed, naming the archive and libarchive's
/// message), a --known directory that cannot be read (bad_input).
Result<ArchiveVerdict> verify_archive(git::Repository& repo, const std::string& archive_path, const std::string& tag,
                                      const ArchiveVerifyOptions& opts);

}  // namespace vouch::archive
