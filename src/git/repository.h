// A git repository opened through libgit2 1.5: revisions, commit walks, raw
// object bytes, tags and config. Signature splitting is in signed_object.h and
// works on the bytes raw_object() returns.
//
// A Repository is move-only and not shared across threads (libgit2 handles are
// not); the verify engine reads objects from one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

// libgit2's handle type, declared here so this header does not pull in git2.h.
struct git_repository;

namespace vouch::git {

class Repository {
 public:
  /// Opens the repository containing `path`, searching upwards like git.
  /// Errors: "not a git repository: PATH" (bad_input); a SHA-256
  /// object-format repository: "SHA-256 object format repositories are not
  /// supported (libgit2 1.5)" (unsupported).
  static Result<Repository> open(const std::string& path);

  ~Repository();
  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  /// Work tree root, or the git dir for a bare repository; no trailing '/'.
  std::string path() const;
  /// The git dir (".git" or the bare repository itself); no trailing '/'.
  std::string git_dir() const;

  /// The commit (40 hex) any revspec peels to ("HEAD~2", "v1.0", an oid).
  /// Errors (bad_input): "unknown revision 'X'", "revision 'X' is not a commit".
  Result<std::string> resolve_commit(std::string_view rev);

  /// Keyring-mode ranges: each spec is "REV" (everything reachable from REV),
  /// "A..B" (reachable from B, not from A; an empty side means HEAD) or "^REV"
  /// (exclude). Several specs combine like `git rev-list`: reachable from any
  /// positive revision and from no excluded one. Each commit once, newest
  /// first, never a parent before its children (git log --date-order).
  /// Errors (bad_input) name the revision: "unknown revision 'X'",
  /// "symmetric difference 'A...B' is not supported", "no revisions given".
  Result<std::vector<std::string>> list_commits(const std::vector<std::string>& specs);

  /// Policy-mode chain: `tip`, its first parent, its first parent... until
  /// `stop` (exclusive), tip first. Empty `stop`: down to the root commit.
  /// Why first parents: the mainline is what was merged under the policy in
  /// force; side branches are judged by the merge that brought them in.
  /// Errors (bad_input): revision errors as resolve_commit, and
  /// "STOP is not a first-parent ancestor of TIP" (the revisions as given).
  Result<std::vector<std::string>> first_parent_chain(std::string_view tip, std::string_view stop);

  /// The bytes of object `oid` (full 40-hex id), as `git cat-file TYPE OID`
  /// prints them. Errors: "invalid object id 'X'" (bad_input), "no object X"
  /// (not_found).
  Result<std::string> raw_object(std::string_view oid);

  struct Tag {
    std::string ref;          ///< "refs/tags/v1.0"
    std::string name;         ///< "v1.0"
    bool annotated = false;   ///< false: a lightweight tag (ref points at the target)
    std::string tag_oid;      ///< the tag object (empty for lightweight tags)
    std::string target_oid;   ///< what the tag points at (the tag's "object" line)
    std::string target_type;  ///< "commit", "tree", "blob" or "tag"
    std::string raw;          ///< raw tag object bytes (empty for lightweight tags)
  };
  /// Looks up "v1.0" or "refs/tags/v1.0". Errors: "no tag 'X'" (not_found).
  Result<Tag> tag(std::string_view name);

  /// A config value as git would read it for this repository (e.g.
  /// "vouch.trustRoot"). Errors: "config key 'K' is not set" (not_found),
  /// "invalid config key 'K'" (bad_input).
  Result<std::string> config_string(std::string_view key);

  /// Every ref resolved to the object it points at (symbolic refs followed,
  /// dangling ones left out): full ref name -> 40 hex. Errors (environment):
  /// "cannot list the refs of DIR: ...".
  Result<std::map<std::string, std::string>> list_refs();

  /// Sets `key` in the repository's own config file (.git/config, or
  /// config of a bare repository), as `git config KEY VALUE` does.
  /// Errors: "invalid config key 'K'" (bad_input); I/O (environment).
  Result<void> set_config_string(std::string_view key, std::string_view value);

  /// The underlying libgit2 repository, for the git/ modules that need more
  /// than this class offers (tree_reader, changed_paths, notes). Owned by this
  /// Repository; valid while it lives. Not for use outside src/git/.
  git_repository* handle() const;

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Why an object can be missing from `repo`, for error messages: " (shallow
/// clone: ...)" or " (partial clone: ...)" with what to do, or "" when the
/// repository is neither (docs/user-guide.md, troubleshooting). For src/git/.
std::string missing_object_hint(git_repository* repo);

}  // namespace vouch::git
