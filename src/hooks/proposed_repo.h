// The repository as it would be after a push: a throwaway git directory whose
// object database is the real one plus the push's quarantine directory (git
// keeps pushed objects there until every hook has accepted them, and libgit2
// 1.5 does not read GIT_QUARANTINE_PATH / GIT_OBJECT_DIRECTORY by itself),
// and whose refs are the real refs with the push's updates applied.
//
// Why a separate directory instead of adding an alternate to the real
// repository: a hook must not write refs into the real repository (they would
// point at quarantined objects that vanish when the push is refused), yet
// verify-tag looks a tag up by ref and approvals are read from
// refs/notes/vouch; pointing those refs at the pushed objects in a private
// copy lets the unchanged verifier see exactly what the push proposes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::hooks {

/// The object directories git hands a hook in its environment:
/// $GIT_QUARANTINE_PATH, $GIT_OBJECT_DIRECTORY and every entry of
/// $GIT_ALTERNATE_OBJECT_DIRECTORIES (':'-separated), made absolute against
/// the current directory, without duplicates. Empty outside a hook.
std::vector<std::string> object_dirs_from_env();

/// Whether `ref` is a full ref name git would accept under refs/ (no empty,
/// "." or ".." components, no control characters, no space ~^:?*[\ , no
/// "@{", not ending in "/" ".lock" or "."). Checked before a name is written.
bool valid_ref_name(const std::string& ref);

/// A temporary git directory (under $TMPDIR or /tmp), removed on destruction.
class ProposedRepository {
 public:
  /// Creates the directory: objects = `base_git_dir`/objects plus
  /// `object_dirs` as alternates; refs = `refs` (name -> 40-hex oid), which
  /// the caller builds from Repository::list_refs() with the push applied.
  /// Errors: bad_input for an invalid ref name or oid (naming it);
  /// environment when the directory cannot be written or opened.
  static Result<ProposedRepository> create(const std::string& base_git_dir,
                                           const std::map<std::string, std::string>& refs,
                                           const std::vector<std::string>& object_dirs);

  ~ProposedRepository();
  ProposedRepository(ProposedRepository&&) noexcept;
  ProposedRepository& operator=(ProposedRepository&&) noexcept;
  ProposedRepository(const ProposedRepository&) = delete;
  ProposedRepository& operator=(const ProposedRepository&) = delete;

  git::Repository& repo() { return *repo_; }
  const std::string& dir() const { return dir_; }

 private:
  ProposedRepository(std::string dir, git::Repository repo);
  void remove();
  std::string dir_;
  std::optional<git::Repository> repo_;
};

}  // namespace vouch::hooks
