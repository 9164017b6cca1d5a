// The files `git archive` leaves out of a tag's archive: those whose
// `export-ignore` attribute is set by the .gitattributes files of the tagged
// tree (docs/release-archives.md). A release archive is not expected to hold
// them, so their absence is no difference.
//
// Read as git reads attributes for `git archive` (without
// --worktree-attributes): every .gitattributes in the tree applies to the
// paths below its directory; a pattern without '/' matches a name at any
// depth, one with '/' is relative to the file's directory; for each path the
// last matching line wins, deeper files after shallower ones; `export-ignore`
// sets, `-export-ignore` unsets, `!export-ignore` unspecifies. Set on a
// directory, it covers everything below (as git archive skips the whole
// directory). Matching uses vouch's path patterns (docs/policy.md "Path
// patterns"), so it folds ASCII case: that can only expect fewer files.
// Macro lines ("[attr]...") and quoted patterns are ignored.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "git/tree_reader.h"
#include "vouch/result.h"

namespace vouch::archive {

/// One .gitattributes file: its directory ("" or "sub/") and its text.
struct AttributesFile {
  std::string dir;
  std::string text;
};

/// The paths of `tree` that export-ignore leaves out. Pure.
std::set<std::string> export_ignored(const std::vector<git::TreeFile>& tree, const std::vector<AttributesFile>& files);

/// Reads every regular .gitattributes blob of `tree` (list_tree of the
/// commit) and applies export_ignored. Errors: blob reads (read_blob).
Result<std::set<std::string>> export_ignored(git::Repository& repo, const std::vector<git::TreeFile>& tree);

}  // namespace vouch::archive
