// `vouch verify-archive`: a release archive checked against its signed tag.
// The tag is verified first (policy or keyring mode, as verify-tag), then
// the archive's members are compared by content with the tagged commit's
// tree (archive_compare.h has the rules), with the [release] archive_may_add
// patterns of the tagged commit's policy explaining expected additions.
#pragma once

#include <string>

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
};

/// Verifies `tag` and compares `archive_path` with its tree. Expected failures
/// (a bad tag signature, differences, unsafe members) are in the verdict.
/// Errors: an unknown tag (not_found), a tag that does not lead to a commit,
/// an invalid policy or archive_may_add pattern (malformed), an unreadable or
/// corrupt archive or one over the limits (bad_input/malformed, naming the
/// archive and libarchive's message).
Result<ArchiveVerdict> verify_archive(git::Repository& repo, const std::string& archive_path, const std::string& tag,
                                      const ArchiveVerifyOptions& opts);

}  // namespace vouch::archive
