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
//   does not fail); a pattern never excuses a change to a file the tree
//   has, nor an added symbolic link.
// - "missing": in the tree, not in the archive. Strict on purpose: an
//   archive that drops a file (export-ignore included) fails too; only
//   submodules (which git archive never includes) are not expected.
// - "unsafe" (always fails, never compared): absolute names, ".." components
//   (also "\"-separated ones, for Windows extractors), empty or "."
//   components, names libarchive cannot decode, symbolic links whose target is absolute or climbs out of the
//   release root, hard links, devices, fifos, sockets, unknown types, and
//   names present more than once.
#pragma once

#include <string>
#include <vector>

#include "archive/archive_reader.h"
#include "git/tree_reader.h"
#include "policy/path_pattern.h"
#include "vouch/verify.h"

namespace vouch::archive {

struct Comparison {
  std::string prefix;               ///< stripped top-level directory with its '/', or empty
  std::vector<std::string> notes;   ///< why nothing was stripped, when that is notable
  size_t members = 0;               ///< every member, directories included
  size_t matched = 0;               ///< identical files and symbolic links
  std::vector<ArchiveFinding> findings;  ///< sorted by path, then kind
};

/// Compares `members` (as scan_archive lists them) with `tree` (list_tree of
/// the tagged commit); `may_add` are the compiled archive_may_add patterns.
Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const std::vector<policy::PathPattern>& may_add);

}  // namespace vouch::archive
