// Keyring mode ("--keyring DIR"): every commit in the given ranges, and every
// tag or file asked about, needs a good signature by a key in the keyring.
// No policy, no approvals: the foundation the policy mode builds on.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "git/repository.h"
#include "keys/keyring.h"
#include "verify/object_source.h"
#include "vouch/result.h"
#include "vouch/verify.h"

namespace vouch::verify {

/// Called now and then with (commits checked, commits in all); from one thread.
using ProgressFn = std::function<void(size_t done, size_t total)>;

struct VerifyOptions {
  unsigned jobs = 0;  ///< parallel signature checks; 0 = number of cores
  int64_t now = 0;    ///< reference time (--at); 0 = the current time
  ProgressFn progress;  ///< optional
  /// SHA-1 cut-off and user presence (signature_rules.h: the defaults, or
  /// --allow-sha1-before), for commits, mergetags, tags and files alike.
  SignatureRules rules = {};
};

/// Verifies every commit of `ranges` ("REV" or "A..B", as git log lists them;
/// empty = HEAD). Errors only for bad input (unknown revision) or I/O; each
/// commit's failure is a verdict in the report.
Result<VerifyReport> verify_commits(ObjectSource& objects, const keys::Keyring& keyring,
                                    const std::vector<std::string>& ranges, const VerifyOptions& opts);
Result<VerifyReport> verify_commits(git::Repository& repo, const keys::Keyring& keyring,
                                    const std::vector<std::string>& ranges, const VerifyOptions& opts);

/// Verifies one tag: it must be annotated and carry a good signature
/// (SSH namespace "git", SSH time = the tagger time).
Result<TagVerdict> verify_tag(ObjectSource& objects, const keys::Keyring& keyring, const std::string& name,
                              const VerifyOptions& opts);
Result<TagVerdict> verify_tag(git::Repository& repo, const keys::Keyring& keyring, const std::string& name,
                              const VerifyOptions& opts);

/// Verifies a detached signature (contents of `signature`) over `data`.
FileVerdict verify_file(const keys::Keyring& keyring, const std::string& file, std::string_view data,
                        const std::string& signature_file, std::string_view signature,
                        const std::string& ssh_namespace, const VerifyOptions& opts);

}  // namespace vouch::verify
