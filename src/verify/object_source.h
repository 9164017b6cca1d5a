// What the verification engine reads from a repository (docs/ARCHITECTURE.md,
// "The engine's seam"): commits and tags as raw bytes, first-parent chains,
// files of a commit's tree, the changed paths of a commit, approvals in
// refs/notes/vouch and one config value. GitObjects reads them from a git
// repository through libgit2; tests give the engine an in-memory fake
// (tests/support/memory_objects.h) and need neither git nor processes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "git/tree_reader.h"
#include "vouch/result.h"

namespace vouch::verify {

class ObjectSource {
 public:
  virtual ~ObjectSource() = default;

  /// Shown in reports as the repository verified.
  virtual std::string path() const = 0;
  /// A revision to a full commit oid (tags peel); not_found when it names nothing.
  virtual Result<std::string> resolve_commit(std::string_view rev) = 0;
  /// Every commit of `specs` ("REV", "A..B"), newest first.
  virtual Result<std::vector<std::string>> list_commits(const std::vector<std::string>& specs) = 0;
  /// The first-parent chain from `tip` back to `stop` inclusive, tip first;
  /// an error when `stop` is not on it.
  virtual Result<std::vector<std::string>> first_parent_chain(std::string_view tip, std::string_view stop) = 0;
  /// The raw bytes of a commit or tag object.
  virtual Result<std::string> raw_object(std::string_view oid) = 0;
  virtual Result<git::Repository::Tag> tag(std::string_view name) = 0;
  /// A config value; not_found when unset.
  virtual Result<std::string> config_string(std::string_view key) = 0;
  /// A file of the commit's tree; nullopt when absent.
  virtual Result<std::optional<std::string>> read_file_at(std::string_view commit, std::string_view path) = 0;
  /// The entries under `dir` of the commit's tree (git::list_tree's rules).
  virtual Result<std::vector<git::TreeFile>> list_tree(std::string_view commit, std::string_view dir) = 0;
  virtual Result<std::string> read_blob(std::string_view blob_oid) = 0;
  virtual Result<std::string> tree_of(std::string_view commit) = 0;
  /// The object's note in refs/notes/vouch; nullopt when it has none.
  virtual Result<std::optional<std::string>> read_note(std::string_view object_oid) = 0;
  /// Paths the commit changes against its first parent (all paths for a root commit).
  virtual Result<std::vector<std::string>> changed_path_names(std::string_view commit) = 0;
};

/// The engine's reads served by a git repository.
class GitObjects final : public ObjectSource {
 public:
  explicit GitObjects(git::Repository& repo) : repo_(repo) {}

  std::string path() const override;
  Result<std::string> resolve_commit(std::string_view rev) override;
  Result<std::vector<std::string>> list_commits(const std::vector<std::string>& specs) override;
  Result<std::vector<std::string>> first_parent_chain(std::string_view tip, std::string_view stop) override;
  Result<std::string> raw_object(std::string_view oid) override;
  Result<git::Repository::Tag> tag(std::string_view name) override;
  Result<std::string> config_string(std::string_view key) override;
  Result<std::optional<std::string>> read_file_at(std::string_view commit, std::string_view path) override;
  Result<std::vector<git::TreeFile>> list_tree(std::string_view commit, std::string_view dir) override;
  Result<std::string> read_blob(std::string_view blob_oid) override;
  Result<std::string> tree_of(std::string_view commit) override;
  Result<std::optional<std::string>> read_note(std::string_view object_oid) override;
  Result<std::vector<std::string>> changed_path_names(std::string_view commit) override;

 private:
  git::Repository& repo_;
};

}  // namespace vouch::verify
