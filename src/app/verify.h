// The verification use cases (docs/user-guide.md, docs/ci.md): commits, tags
// and detached file signatures, in keyring mode (`keyring` set: a good
// signature by a key in that directory) or policy mode (the repository's
// policy from the trust root, completed from the trust database).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::app {

/// What every verification shares.
struct VerifyCommon {
  std::string repo = ".";
  std::string keyring;  ///< keyring mode when set
  std::string db;       ///< --db (policy mode); empty: the default database
  std::string trust_root, policy;
  int64_t at = 0;  ///< reference time; 0: now
  /// --allow-sha1-before (unix seconds, INT64_MIN for never); unset: the policy's or the default.
  std::optional<int64_t> allow_sha1_before;
};

struct VerifyCommitsOptions {
  VerifyCommon common;
  std::vector<std::string> revs;
  /// Trust on first use: only by hand, never in CI or hooks (docs/ci.md).
  bool allow_first_use = false;
  bool all_commits = false, fail_fast = false;
  unsigned jobs = 0;
  std::function<void(size_t done, size_t total)> progress;
};

Result<VerifyReport> verify_commits(const VerifyCommitsOptions& opts);

/// Every tag, in order; the first error (unknown tag, no trust root, ...) stops.
Result<std::vector<TagVerdict>> verify_tags(const VerifyCommon& common, const std::vector<std::string>& tags);

struct VerifyFileOptions {
  std::string file, signature, ns = "file", keyring;
  int64_t at = 0;
  std::optional<int64_t> allow_sha1_before;
};

/// Errors: --keyring missing, unreadable files or keyring.
Result<FileVerdict> verify_file(const VerifyFileOptions& opts);

}  // namespace vouch::app
