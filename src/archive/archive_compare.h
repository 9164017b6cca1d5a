// Comparing a release archive's members with the tag's tree, by content:
// pure over the two lists (no I/O), so every rule is unit-tested directly.
//
// Rules (the decisions behind `vouch verify-archive`):
// - Names are compared byte-wise, after removing leading "./" and a common
//   top-level directory (`git archive --prefix=p-1.0/`). The directory is
//   stripped when every safe member lies below one top-level directory and
//   stripping matches at least as many tree paths as not stripping (so a
//   repository that itself lives in one directory still compares as-is).
//   Directories are not compared (git has none): an empty directory is fine.
// - A file is identical when its git blob id equals the tree entry's oid and
//   its executable bit (owner x) equals the tree's (100755 vs 100644).
//   A symbolic link is compared as git stores it: a blob holding the target,
//   mode 120000. A file/link kind swap, a different target, content or
//   executable bit is "changed".
// - "added": in the archive, not in the tree. A regular file whose path
//   matches a [release] archive_may_add pattern is "allowed" instead (and
//   does not fail); a pattern never excuses an added symbolic link.
// - "changed": a regular file in both whose content or executable bit
//   differs is "allowed" when archive_may_change matches it; a kind swap or
//   a symbolic link target never is.
// - "missing": in the tree, not in the archive; "allowed" when
//   archive_may_omit matches. Files that export-ignore leaves out of `git
//   archive` (ReleaseRules::not_expected) and submodules are not expected.
// - "unsafe" (always fails, never compared): absolute names (also "\x" and
//   drive letters), ".." components read with '/' or '\' as separators (or
//   both), empty or "." components, names libarchive cannot decode, symbolic
//   links whose target is absolute or climbs out of the release root (read
//   either way), hard links, devices, fifos, sockets, unknown types, names
//   present more than once, names that collide with another member's or a
//   tracked file's (or one of their directories) case-insensitively, after
//   Unicode NFC normalisation or as Windows reads '\' (name_key.h), and
//   members the raw headers name ambiguously (raw_names.h).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "archive/archive_reader.h"
#include "archive/raw_names.h"
#include "git/tree_reader.h"
#include "policy/path_pattern.h"
#include "vouch/verify.h"

namespace vouch::archive {

/// What [release] (and the tag's .gitattributes) explain.
struct ReleaseRules {
  std::vector<policy::PathPattern> may_add;
  std::vector<policy::PathPattern> may_change;
  std::vector<policy::PathPattern> may_omit;
  std::set<std::string> not_expected;  ///< tree paths with export-ignore
};

struct Comparison {
  std::string prefix;               ///< stripped top-level directory with its '/', or empty
  std::vector<std::string> notes;   ///< why nothing was stripped, when that is notable
  size_t members = 0;               ///< every member, directories included
  size_t matched = 0;               ///< identical files and symbolic links
  std::vector<ArchiveFinding> findings;  ///< sorted by path, then kind
  std::vector<ArchiveMemberClass> classes;  ///< one per member, in archive order (raw names)
  std::vector<std::string> export_ignored;  ///< not_expected files the archive left out, sorted
};

/// Compares `members` (as scan_archive lists them) with `tree` (list_tree of
/// the tagged commit) under `rules`; `raw_issues` (raw_names.h) make the
/// members they name unsafe, and stand as unsafe findings of their own when
/// they name none.
Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const ReleaseRules& rules, const std::vector<NameIssue>& raw_issues = {});

/// The same with archive_may_add patterns only.
Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const std::vector<policy::PathPattern>& may_add);

}  // namespace vouch::archive
