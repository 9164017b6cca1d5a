#include "verify/object_source.h"

#include "git/changed_paths.h"
#include "git/notes.h"

namespace vouch::verify {

std::string GitObjects::path() const { return repo_.path(); }

Result<std::string> GitObjects::resolve_commit(std::string_view rev) { return repo_.resolve_commit(rev); }

Result<std::vector<std::string>> GitObjects::list_commits(const std::vector<std::string>& specs) {
  return repo_.list_commits(specs);
}

Result<std::vector<std::string>> GitObjects::first_parent_chain(std::string_view tip, std::string_view stop) {
  return repo_.first_parent_chain(tip, stop);
}

Result<std::string> GitObjects::raw_object(std::string_view oid) { return repo_.raw_object(oid); }

Result<git::Repository::Tag> GitObjects::tag(std::string_view name) { return repo_.tag(name); }

Result<std::string> GitObjects::config_string(std::string_view key) { return repo_.config_string(key); }

Result<std::optional<std::string>> GitObjects::read_file_at(std::string_view commit, std::string_view path) {
  return git::read_file_at(repo_, commit, path);
}

Result<std::vector<git::TreeFile>> GitObjects::list_tree(std::string_view commit, std::string_view dir) {
  return git::list_tree(repo_, commit, dir);
}

Result<std::string> GitObjects::read_blob(std::string_view blob_oid) { return git::read_blob(repo_, blob_oid); }

Result<std::string> GitObjects::tree_of(std::string_view commit) { return git::tree_of(repo_, commit); }

Result<std::optional<std::string>> GitObjects::read_note(std::string_view object_oid) {
  return git::read_note(repo_, object_oid);
}

Result<std::vector<std::string>> GitObjects::changed_path_names(std::string_view commit) {
  return git::changed_path_names(repo_, commit);
}

}  // namespace vouch::verify
