// Results of vouch's verifications, as values. The report layer renders them
// as text or JSON; the two renderings come from these same structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vouch/types.h"

namespace vouch {

/// A signed tag merged into a commit (`mergetag` header): reported, not
/// counted in place of the commit's own signature.
struct MergetagVerdict {
  std::string tag_name;
  SignatureResult signature;
};

/// One requirement of a rule ("2 of maintainers") as evaluated.
struct RequirementResult {
  std::string group;
  int need = 0;
  int have = 0;
  std::vector<std::string> counted;  ///< people who counted, sorted
};

/// One applicable rule ([commits], a [[rules]] entry, the implicit policy
/// rule, or a [[tags]] entry) as evaluated on one commit or tag.
struct RuleResult {
  std::string name;
  bool satisfied = false;
  std::vector<std::string> paths;  ///< changed paths it matched (empty for [commits] and tags)
  std::vector<RequirementResult> requirements;
};

/// One approval line found in refs/notes/vouch for the object.
struct ApprovalResult {
  std::string key;
  std::string person;  ///< empty when the key is not in the governing policy
  /// "good", a signature verdict, "mismatch", "malformed", "unrecognised",
  /// "stale" (hook mode: a new approval dated outside max_clock_skew), "not-in-policy"
  std::string status;
  std::string reason;
  bool counted = false;  ///< counted toward at least one requirement
};

struct CommitVerdict {
  std::string oid;
  std::string summary;  ///< first line of the message
  SignatureResult signature;
  std::string signer_person;  ///< policy mode: the person whose key signed, if in the policy
  std::string policy_from;    ///< policy mode: the commit whose policy governed this one
  std::vector<MergetagVerdict> mergetags;
  std::vector<RuleResult> rules;          ///< policy mode
  std::vector<ApprovalResult> approvals;  ///< policy mode
  std::vector<std::string> notices;       ///< `notify` rules that applied
  bool pass = false;
  std::vector<std::string> errors;  ///< one line each, for anything that failed
};

struct VerifyReport {
  std::string repository;
  std::string mode = "keyring";  ///< "keyring" (every commit signed by a key in a directory) or "policy"
  std::string trust_root;         ///< policy mode
  std::string trust_root_source;  ///< "flag" | "config" | "first-policy" | "range" (A..B: A's policy governs)
  std::vector<std::string> ranges;
  std::string tip;
  std::vector<CommitVerdict> commits;  ///< newest first
  std::vector<std::string> warnings;   ///< keyring notes (invalid keys ignored, ...)

  size_t passed() const;
  size_t failed() const { return commits.size() - passed(); }
  bool pass() const { return failed() == 0; }
};

struct TagVerdict {
  std::string name;     ///< as given
  std::string ref;      ///< refs/tags/...
  std::string tag_oid;  ///< empty for a lightweight tag
  std::string target;   ///< the tagged object
  bool annotated = false;
  std::string trust_root;         ///< policy mode: the root the tagged commit was verified from
  std::string trust_root_source;  ///< "flag" | "config"
  bool commit_verified = false;   ///< policy mode: the tagged commit verifies from the trust root
  SignatureResult signature;
  std::string signer_person;              ///< policy mode
  std::vector<RuleResult> rules;          ///< policy mode: matching [[tags]] entries
  std::vector<ApprovalResult> approvals;  ///< policy mode
  bool pass = false;
  std::vector<std::string> errors;
};

struct FileVerdict {
  std::string file;
  std::string signature_file;
  std::string ssh_namespace;
  SignatureResult signature;
  bool pass = false;
};

/// One difference between a release archive and its tag's tree.
struct ArchiveFinding {
  /// "added" (not in the tree), "allowed" (added, explained by [release]
  /// archive_may_add), "changed", "missing" (in the tree, not in the
  /// archive), "unsafe" (a member no extractor should be trusted with).
  std::string kind;
  std::string path;    ///< relative to the release root; for "unsafe", the member's name as stored
  std::string detail;  ///< "content differs", "archive_may_add: configure", "path escapes the archive root", ...
};

/// `vouch verify-archive ARCHIVE --tag TAG`: the tag's verdict and the
/// comparison of the archive's members with the tagged commit's tree.
struct ArchiveVerdict {
  std::string archive;  ///< as given
  std::string tag;      ///< as given
  std::string commit;   ///< the tagged commit whose tree was compared
  std::string format;   ///< libarchive's names: "gzip, POSIX pax interchange format"
  std::string prefix;   ///< top-level directory stripped from every member ("p-1.0/"), or empty
  std::vector<std::string> notes;  ///< e.g. "members do not share one top-level directory; compared as-is"
  TagVerdict tag_verdict;
  size_t members = 0;  ///< archive entries of every kind, directories included
  size_t matched = 0;  ///< files and symbolic links identical to the tree's
  std::vector<ArchiveFinding> findings;  ///< sorted by path
  bool pass = false;   ///< the tag passed and every finding is "allowed"
  std::vector<std::string> errors;  ///< the tag's errors, then one line per failing finding

  size_t count(const std::string& kind) const {
    size_t n = 0;
    for (const auto& f : findings) n += f.kind == kind ? 1 : 0;
    return n;
  }
};

}  // namespace vouch
