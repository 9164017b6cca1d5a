#include "git/tree_reader.h"

#include <algorithm>
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

/// "PATH" for a message: at most 120 bytes of it.
std::string cut_path(std::string_view path) {
  constexpr size_t kShown = 120;
  if (path.size() <= kShown) return std::string(path);
  return std::string(path.substr(0, kShown)) + "...";
}

/// One directory being listed: its tree, the next entry to look at, and the
/// length of the shared path string up to and including its "name/".
struct Frame {
  TreeHandle tree;
  size_t next = 0;
  size_t path_len = 0;
};

}  // namespace

Error too_deep(std::string_view path, std::string_view commit_oid) {
  return make_error(ErrorKind::malformed, "tree nested deeper than " + std::to_string(kMaxTreeDepth) + " levels at " +
                                              cut_path(path) + " in commit " + short_id(commit_oid));
}

Result<void> check_entry_name(std::string_view name, std::string_view dir, std::string_view commit_oid) {
  auto folded_git = [](std::string_view n) {
    return n.size() == 4 && n[0] == '.' && (n[1] | 0x20) == 'g' && (n[2] | 0x20) == 'i' && (n[3] | 0x20) == 't';
  };
  if (!name.empty() && name != "." && name != ".." && !folded_git(name) &&
      name.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos)
    return {};
  std::string shown;
  for (char c : cut_path(name)) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b != 0x7f) {
      shown += c;
      continue;
    }
    constexpr char kHex[] = "0123456789abcdef";
    shown += {'\\', 'x', kHex[b >> 4], kHex[b & 15]};
  }
  return make_error(ErrorKind::malformed,
                    "tree of commit " + short_id(commit_oid) + " has an entry named \"" + shown + "\" in " +
                        (dir.empty() ? std::string("the top directory") : cut_path(dir)) + " (git refuses such names)");
}

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
    if (auto hint = missing_object_hint(repo.handle()); !hint.empty())
      return make_error(ErrorKind::environment, "commit " + std::string(commit_oid) + " is missing" + hint);
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
    const std::string why = last_error();
    return make_error(ErrorKind::environment, "cannot read the tree of commit " +
                                                  oid_hex(*git_commit_id(commit.get())) + ": " + why +
                                                  missing_object_hint(git_commit_owner(commit.get())));
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
    if (auto hint = missing_object_hint(repo.handle()); !hint.empty())
      return make_error(ErrorKind::environment, "object " + std::string(blob_oid) + " is missing" + hint);
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
  TreeHandle start;
  std::string path;  // the current directory, "a/b/"; entries append their name
  if (!dir.empty()) {
    std::string d(dir);
    auto entry = entry_at(*root, commit_oid, d);
    if (!entry) return entry.error();
    if (!*entry) return out;
    if (git_tree_entry_type(entry->get()) != GIT_OBJECT_TREE) {
      return make_error(ErrorKind::bad_input,
                        d + " is not a directory in commit " + short_id(commit_oid));
    }
    if (git_tree_lookup(start.out(), repo.handle(), git_tree_entry_id(entry->get())) != 0) {
      return make_error(ErrorKind::environment, "cannot read directory " + d + " in commit " +
                                                    short_id(commit_oid) + ": " + last_error());
    }
    path = d + "/";
  } else {
    start = std::move(*root);
  }

  // Depth-first with an explicit stack (docs/signatures.md: never recursion), so a
  // tree nested 100,000 levels costs 4,097 frames and an error, not a crash.
  size_t base_depth = dir.empty() ? 0 : static_cast<size_t>(std::count(dir.begin(), dir.end(), '/')) + 1;
  std::vector<Frame> stack;
  stack.push_back({std::move(start), 0, path.size()});
  size_t visited = 0;
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next >= git_tree_entrycount(top.tree.get())) {
      stack.pop_back();
      if (!stack.empty()) path.resize(stack.back().path_len);
      continue;
    }
    const git_tree_entry* entry = git_tree_entry_byindex(top.tree.get(), top.next++);
    if (++visited > kMaxTreeEntries) {
      return make_error(ErrorKind::malformed, "tree of commit " + short_id(commit_oid) + " has more than " +
                                                  std::to_string(kMaxTreeEntries) + " entries");
    }
    path.resize(top.path_len);
    if (auto named = check_entry_name(git_tree_entry_name(entry), path, commit_oid); !named) return named.error();
    path += git_tree_entry_name(entry);
    if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
      out.push_back({path, oid_hex(*git_tree_entry_id(entry)),
                     static_cast<uint32_t>(git_tree_entry_filemode_raw(entry))});
      continue;
    }
    if (base_depth + stack.size() > kMaxTreeDepth) return too_deep(path, commit_oid);
    TreeHandle sub;
    if (git_tree_lookup(sub.out(), repo.handle(), git_tree_entry_id(entry)) != 0) {
      return make_error(ErrorKind::environment, "cannot read directory " + cut_path(path) + " in commit " +
                                                    short_id(commit_oid) + ": " + last_error());
    }
    path += '/';
    stack.push_back({std::move(sub), 0, path.size()});
  }
  return out;
}

}  // namespace vouch::git
