// Test helper: a tree nested DEPTH directories deep (d/d/.../d/f), written
// straight into the object database through libgit2 (one process, a few ms
// per thousand levels), for the iterative-walk tests (threat 32).
#pragma once

#include <git2.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "git/handles.h"
#include "git/repository.h"

namespace vouch::test {

/// Writes blob "x\n" as `file`, wrapped in `depth` directories named `dir`;
/// returns the outermost tree's id (40 hex).
inline std::string write_deep_tree(git::Repository& repo, size_t depth, const std::string& dir = "d",
                                   const std::string& file = "f") {
  git_oid blob;
  if (git_blob_create_from_buffer(&blob, repo.handle(), "x\n", 2) != 0) throw std::runtime_error("blob");
  git_oid id = blob;
  git_filemode_t mode = GIT_FILEMODE_BLOB;
  std::string name = file;
  for (size_t level = 0; level <= depth; ++level) {
    git_treebuilder* tb = nullptr;
    if (git_treebuilder_new(&tb, repo.handle(), nullptr) != 0) throw std::runtime_error("treebuilder");
    git_oid tree;
    int rc = git_treebuilder_insert(nullptr, tb, name.c_str(), &id, mode);
    if (rc == 0) rc = git_treebuilder_write(&tree, tb);
    git_treebuilder_free(tb);
    if (rc != 0) throw std::runtime_error("tree");
    id = tree;
    mode = GIT_FILEMODE_TREE;
    name = dir;
  }
  return git::oid_hex(id);
}

/// A tree object with exactly these entries (mode, name, 40-hex id), in this
/// order, written without the name checks git and libgit2's tree builder
/// make: names with '/', "..", ".git" (the tree-name tests); returns its id.
inline std::string write_raw_tree(git::Repository& repo,
                                  const std::vector<std::tuple<std::string, std::string, std::string>>& entries) {
  std::string bytes;
  for (const auto& [mode, name, hex] : entries) {
    git_oid id;
    if (git_oid_fromstr(&id, hex.c_str()) != 0) throw std::runtime_error("oid " + hex);
    bytes.append(mode).append(" ").append(name).append(1, '\0');
    bytes.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
  }
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo.handle()) != 0) throw std::runtime_error("odb");
  git_oid out;
  int rc = git_odb_write(&out, odb, bytes.data(), bytes.size(), GIT_OBJECT_TREE);
  git_odb_free(odb);
  if (rc != 0) throw std::runtime_error("tree write");
  return git::oid_hex(out);
}

}  // namespace vouch::test
