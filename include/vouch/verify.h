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
  /// "added" (not in the tree), "allowed" (a difference [release] explains),
  /// "changed", "missing" (in the tree, not in the archive), "unsafe" (a
  /// member no extractor should be trusted with).
  std::string kind;
  std::string path;    ///< relative to the release root; for "unsafe", the member's name as stored
  std::string detail;  ///< "content differs", "archive_may_add: configure", "path escapes the archive root", ...
  /// allowed: "added", "changed" or "omitted" (what [release] explained).
  std::string origin;
  /// allowed added/changed: the byte-identical file of the same name under
  /// a --known directory ("known"); empty: "unknown".
  std::string known_as;
  bool known() const { return !known_as.empty(); }
};

/// Every member of the archive with its class, for the JSON report.
struct ArchiveMemberClass {
  std::string path;   ///< as stored in the archive
  std::string klass;  ///< "matched", "allowed", "added", "changed", "unsafe", "directory"
};

/// [release] require: approvals of the archive itself (statements of type
/// `archive` on the tag object).
struct ArchiveApprovals {
  bool required = false;  ///< the policy sets [release] require and the archive differs from the tag
  std::string sha256;     ///< of the archive file, hex
  std::vector<RequirementResult> requirements;
  std::vector<ApprovalResult> approvals;  ///< every archive approval found on the tag object
  bool satisfied() const {
    for (const auto& r : requirements)
      if (r.have < r.need) return false;
    return true;
  }
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
  std::vector<std::string> known_dirs;      ///< --known, as given
  std::vector<std::string> export_ignored;  ///< tree files export-ignore leaves out (not expected)
  TagVerdict tag_verdict;
  size_t members = 0;  ///< archive entries of every kind, directories included
  size_t matched = 0;  ///< files and symbolic links identical to the tree's
  std::vector<ArchiveFinding> findings;  ///< sorted by path
  std::vector<ArchiveMemberClass> classes;  ///< every member, in archive order
  ArchiveApprovals approvals;
  bool pass = false;   ///< the tag passed, every finding is "allowed", approvals (if required) met
  std::vector<std::string> errors;  ///< the tag's errors, then one line per failing finding

  size_t count(const std::string& kind) const {
    size_t n = 0;
    for (const auto& f : findings) n += f.kind == kind ? 1 : 0;
    return n;
  }
  /// Allowed added/changed files with (true) or without (false) a --known match.
  size_t count_known(bool known) const {
    size_t n = 0;
    for (const auto& f : findings) n += f.kind == "allowed" && f.origin != "omitted" && f.known() == known ? 1 : 0;
    return n;
  }
};

}  // namespace vouch
