#include "git/tree_reader.h"

#include <cctype>

namespace vouch::git {

namespace {

std::string short_id(std::string_view oid) { return std::string(oid.substr(0, 12)); }

// A path as git stores it: non-empty '/'-separated components, none empty.
// "." and ".." are refused too: git never stores them, and accepting them here
// would only invite confusion about what was read.
bool valid_tree_path(std::string_view path) {
  if (path.empty()) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    size_t end = slash == std::string_view::npos ? path.size() : slash;
    std::string_view comp = path.substr(start, end - start);
    if (comp.empty() || comp == "." || comp == ".." ||
        comp.find('\0') != std::string_view::npos) {
      return false;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

Error invalid_path(std::string_view path) {
  return make_error(ErrorKind::bad_input, "invalid path '" + std::string(path) + "'");
}

// The entry at `path` in `tree`; an empty handle when absent.
Result<TreeEntryHandle> entry_at(const TreeHandle& tree, std::string_view commit_oid,
                                 const std::string& path) {
  TreeEntryHandle entry;
  int rc = git_tree_entry_bypath(entry.out(), tree.get(), path.c_str());
  if (rc == GIT_ENOTFOUND) return TreeEntryHandle();
  if (rc != 0) {
    return make_error(ErrorKind::environment, "cannot read " + path + " in commit " +
                                                  short_id(commit_oid) + ": " + last_error());
  }
  return entry;
}

struct WalkState {
  std::string prefix;  // "dir/" or ""
  std::vector<TreeFile>* out = nullptr;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) return 0;  // descend
  TreeFile f;
  f.path = state->prefix;
  f.path += root;
  f.path += git_tree_entry_name(entry);
  f.oid = oid_hex(*git_tree_entry_id(entry));
  f.mode = static_cast<uint32_t>(git_tree_entry_filemode_raw(entry));
  state->out->push_back(std::move(f));
  return 0;
}

}  // namespace

Result<git_oid> parse_object_id(std::string_view hex) {
  git_oid oid;
  bool ok = hex.size() == GIT_OID_HEXSZ;
  for (char c : hex) ok = ok && std::isxdigit(static_cast<unsigned char>(c)) != 0;
  if (!ok || git_oid_fromstrn(&oid, hex.data(), hex.size()) != 0) {
    return make_error(ErrorKind::bad_input, "invalid object id '" + std::string(hex) + "'");
  }
  return oid;
}

Result<CommitHandle> lookup_commit(Repository& repo, std::string_view commit_oid) {
  auto oid = parse_object_id(commit_oid);
  if (!oid) return oid.error();
  ObjectHandle obj;
  int rc = git_object_lookup(obj.out(), repo.handle(), &*oid, GIT_OBJECT_ANY);
  if (rc == GIT_ENOTFOUND) {
    return make_error(ErrorKind::not_found, "no object " + std::string(commit_oid));
  }
  if (rc != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read object " + std::string(commit_oid) + ": " + last_error());
  }
  if (git_object_type(obj.get()) != GIT_OBJECT_COMMIT) {
    return make_error(ErrorKind::bad_input,
                      "object " + std::string(commit_oid) + " is a " +
                          git_object_type2string(git_object_type(obj.get())) + ", not a commit");
  }
  CommitHandle commit;
  if (git_commit_lookup(commit.out(), repo.handle(), &*oid) != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read commit " + std::string(commit_oid) + ": " + last_error());
  }
  return commit;
}

Result<TreeHandle> commit_tree(const CommitHandle& commit) {
  TreeHandle tree;
  if (git_commit_tree(tree.out(), commit.get()) != 0) {
    return make_error(ErrorKind::environment, "cannot read the tree of commit " +
                                                  oid_hex(*git_commit_id(commit.get())) + ": " +
                                                  last_error());
  }
  return tree;
}

Result<std::string> tree_of(Repository& repo, std::string_view commit_oid) {
  auto commit = lookup_commit(repo, commit_oid);
  if (!commit) return commit.error();
  return oid_hex(*git_commit_tree_id(commit->get()));
}

Result<std::string> read_blob(Repository& repo, std::string_view blob_oid) {
  auto oid = parse_object_id(blob_oid);
  if (!oid) return oid.error();
  ObjectHandle obj;
  int rc = git_object_lookup(obj.out(), repo.handle(), &*oid, GIT_OBJECT_ANY);
  if (rc == GIT_ENOTFOUND) {
    return make_error(ErrorKind::not_found, "no object " + std::string(blob_oid));
  }
  if (rc != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read object " + std::string(blob_oid) + ": " + last_error());
  }
  if (git_object_type(obj.get()) != GIT_OBJECT_BLOB) {
    return make_error(ErrorKind::bad_input,
                      "object " + std::string(blob_oid) + " is a " +
                          git_object_type2string(git_object_type(obj.get())) + ", not a blob");
  }
  BlobHandle blob;  // from libgit2's object cache: the lookup above loaded it
  if (git_blob_lookup(blob.out(), repo.handle(), &*oid) != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read blob " + std::string(blob_oid) + ": " + last_error());
  }
  const void* data = git_blob_rawcontent(blob.get());
  auto size = static_cast<size_t>(git_blob_rawsize(blob.get()));
  return std::string(static_cast<const char*>(data), size);
}

Result<std::optional<std::string>> read_file_at(Repository& repo, std::string_view commit_oid,
                                                std::string_view path) {
  if (!valid_tree_path(path)) return invalid_path(path);
  auto commit = lookup_commit(repo, commit_oid);
  if (!commit) return commit.error();
  auto tree = commit_tree(*commit);
  if (!tree) return tree.error();
  std::string p(path);
  auto entry = entry_at(*tree, commit_oid, p);
  if (!entry) return entry.error();
  if (!*entry) return std::optional<std::string>();

  std::string where = " in commit " + short_id(commit_oid);
  switch (git_tree_entry_filemode_raw(entry->get())) {
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE: break;
    case GIT_FILEMODE_TREE:
      return make_error(ErrorKind::bad_input, p + " is a directory" + where);
    case GIT_FILEMODE_COMMIT:
      return make_error(ErrorKind::bad_input, p + " is a submodule" + where);
    case GIT_FILEMODE_LINK:
      return make_error(ErrorKind::bad_input, p + " is a symbolic link" + where);
    default:
      return make_error(ErrorKind::malformed, p + " has an unknown file mode" + where);
  }
  auto blob = read_blob(repo, oid_hex(*git_tree_entry_id(entry->get())));
  if (!blob) return blob.error();
  return std::optional<std::string>(std::move(*blob));
}

Result<std::vector<TreeFile>> list_tree(Repository& repo, std::string_view commit_oid,
                                        std::string_view dir) {
  while (!dir.empty() && dir.back() == '/') dir.remove_suffix(1);
  if (!dir.empty() && !valid_tree_path(dir)) return invalid_path(dir);
  auto commit = lookup_commit(repo, commit_oid);
  if (!commit) return commit.error();
  auto root = commit_tree(*commit);
  if (!root) return root.error();

  std::vector<TreeFile> out;
  TreeHandle sub;
  const git_tree* walk_from = root->get();
  WalkState state{"", &out};
  if (!dir.empty()) {
    std::string d(dir);
    auto entry = entry_at(*root, commit_oid, d);
    if (!entry) return entry.error();
    if (!*entry) return out;
    if (git_tree_entry_type(entry->get()) != GIT_OBJECT_TREE) {
      return make_error(ErrorKind::bad_input,
                        d + " is not a directory in commit " + short_id(commit_oid));
    }
    if (git_tree_lookup(sub.out(), repo.handle(), git_tree_entry_id(entry->get())) != 0) {
      return make_error(ErrorKind::environment, "cannot read directory " + d + " in commit " +
                                                    short_id(commit_oid) + ": " + last_error());
    }
    walk_from = sub.get();
    state.prefix = d + "/";
  }
  if (git_tree_walk(walk_from, GIT_TREEWALK_PRE, collect, &state) != 0) {
    return make_error(ErrorKind::environment, "cannot list the tree of commit " +
                                                  short_id(commit_oid) + ": " + last_error());
  }
  return out;
}

}  // namespace vouch::git
