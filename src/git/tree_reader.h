// Reading a commit's tree: one file, a directory listed recursively, a blob by
// id, the tree id. Used by the policy layer to load `.vouch/policy.toml` and
// the keyring directory as they are at a given commit (never the work tree).
//
// Paths are byte strings relative to the repository root, '/'-separated,
// exactly as stored in the tree (any bytes but NUL and '/', case preserved).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/handles.h"
#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::git {

/// The blob at `path` in commit `commit_oid` (40 hex), byte for byte.
/// nullopt when the path does not exist (also when a leading component is a
/// file). Errors (bad_input): an empty path, "PATH is a directory in commit
/// C", "PATH is a submodule in commit C", "PATH is a symbolic link in commit C"
/// (a link's target is not the file's content, so it is refused rather than
/// followed); commit errors as lookup_commit.
Result<std::optional<std::string>> read_file_at(Repository& repo, std::string_view commit_oid,
                                                std::string_view path);

struct TreeFile {
  std::string path;   ///< relative to the repository root, e.g. ".vouch/keys/a.pub"
  std::string oid;    ///< blob id, or the commit id for a submodule (40 hex)
  uint32_t mode = 0;  ///< 0100644, 0100755, 0120000 (symlink), 0160000 (submodule)
};

/// Deepest directory nesting a tree walk accepts (docs/threat-model.md #32):
/// a tree at level 4,097 (the root's entries are level 1) makes the walk fail
/// as malformed instead of exhausting the stack or the clock.
inline constexpr size_t kMaxTreeDepth = 4096;
/// Most entries (files and directories) one listing visits: a "git bomb"
/// (trees that reuse one subtree many times) is small in objects and huge
/// when listed.
inline constexpr size_t kMaxTreeEntries = 10'000'000;

/// Every non-directory entry below `dir` in commit `commit_oid`, in git's
/// tree order (byte order with directories as "name/"), walked iteratively
/// (an explicit stack, never recursion). `dir` "" is the whole tree; a
/// trailing '/' is ignored. Symlinks and submodules are listed with their
/// mode, never followed. A `dir` that does not exist yields an empty list.
/// Errors (bad_input): "DIR is not a directory in commit C"; (malformed)
/// "tree nested deeper than 4096 levels at PATH in commit C" (PATH cut to
/// 120 bytes + "..."), "tree of commit C has more than 10000000 entries";
/// commit errors as lookup_commit.
Result<std::vector<TreeFile>> list_tree(Repository& repo, std::string_view commit_oid,
                                        std::string_view dir = "");

/// The message of a walk that went deeper than kMaxTreeDepth at `path`
/// (cut to 120 bytes): "tree nested deeper than 4096 levels at PATH in
/// commit C" (malformed). Shared by every tree walk.
Error too_deep(std::string_view path, std::string_view commit_oid);

/// Refuses a tree entry name git itself refuses (git fsck, checkout with
/// core.protectNTFS and core.protectHFS): empty, holding '/' or NUL, ".",
/// "..", ".git" in any case or as NTFS or HFS+ open it (".git.", "git~1",
/// ".g\u200cit", a backslash segment "x\.git"), and a symbolic link that
/// NTFS or HFS+ would open as ".gitmodules". Such a name would make vouch's
/// path ("a/b", "/x") differ from what a checkout writes, or write into the
/// checkout's .git. `mode` is the entry's raw file mode; `dir` the directory
/// path so far ("" or "a/b/"). Errors (malformed): "tree of commit C has an
/// entry named \"NAME\" in DIR (git refuses such names)" ("a symbolic link
/// named" for a link), with control bytes shown as \xHH.
Result<void> check_entry_name(std::string_view name, uint32_t mode, std::string_view dir, std::string_view commit_oid);

/// The contents of blob `blob_oid`. Errors: "invalid object id 'X'"
/// (bad_input), "no object X" (not_found), "object X is a TYPE, not a blob"
/// (bad_input).
Result<std::string> read_blob(Repository& repo, std::string_view blob_oid);

/// The tree id (40 hex) of commit `commit_oid`. Errors as lookup_commit.
Result<std::string> tree_of(Repository& repo, std::string_view commit_oid);

// --- for the other src/git modules ---------------------------------------

/// Parses a full 40-hex object id. Errors (bad_input): "invalid object id 'X'".
Result<git_oid> parse_object_id(std::string_view hex);

/// Looks up commit `commit_oid`. Errors: "invalid object id 'X'" (bad_input),
/// "no object X" (not_found), "object X is a TYPE, not a commit" (bad_input).
Result<CommitHandle> lookup_commit(Repository& repo, std::string_view commit_oid);

/// The tree of `commit`. Errors (environment): "cannot read the tree of commit C: ...".
Result<TreeHandle> commit_tree(const CommitHandle& commit);

}  // namespace vouch::git
