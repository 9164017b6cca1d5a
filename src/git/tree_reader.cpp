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

namespace {

constexpr uint32_t kSymlink = 0120000;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != b[i]) return false;
  return true;
}

/// NTFS drops trailing spaces and dots and reads "name:stream" as name.
bool only_spaces_and_dots_then_end(std::string_view rest) {
  for (char c : rest) {
    if (c == ':') return true;
    if (c != ' ' && c != '.') return false;
  }
  return true;
}

/// What NTFS opens as ".NAME" (`name` lower case, ASCII): ".name" with
/// trailing spaces, dots or a ":stream", or its 8.3 short names (the first
/// six letters of "name" and ~1..~4, or `short_prefix` and ~N).
bool ntfs_alias(std::string_view entry, std::string_view name, std::string_view short_prefix) {
  if (entry.size() > name.size() && entry[0] == '.' && iequals(entry.substr(1, name.size()), name))
    return only_spaces_and_dots_then_end(entry.substr(1 + name.size()));
  if (entry.size() >= 8 && iequals(entry.substr(0, 6), name.substr(0, 6)) && entry[6] == '~' && entry[7] >= '1' &&
      entry[7] <= '4')
    return only_spaces_and_dots_then_end(entry.substr(8));
  // The fall-back short names: up to six letters of the prefix, '~', digits; eight bytes in all.
  bool saw_tilde = false;
  for (size_t i = 0; i < 8; ++i) {
    if (i >= entry.size()) return false;
    const char c = entry[i];
    if (saw_tilde) {
      if (c < '0' || c > '9') return false;
    } else if (c == '~') {
      if (++i >= entry.size() || entry[i] < '1' || entry[i] > '9') return false;
      saw_tilde = true;
    } else if (i >= 6 || (static_cast<unsigned char>(c) & 0x80) != 0 || lower(c) != short_prefix[i]) {
      return false;
    }
  }
  return only_spaces_and_dots_then_end(entry.substr(8));
}

/// ".git" as NTFS opens it: the long name or the short name "git~1".
bool ntfs_dotgit(std::string_view entry) {
  if (entry.size() >= 4 && entry[0] == '.' && iequals(entry.substr(1, 3), "git"))
    return only_spaces_and_dots_then_end(entry.substr(4));
  if (entry.size() >= 5 && iequals(entry.substr(0, 5), "git~1")) return only_spaces_and_dots_then_end(entry.substr(5));
  return false;
}

/// The next code point of `s` with the ones HFS+ ignores skipped; 0 at
/// the end or on bytes that are not UTF-8 as git reads it (which cannot
/// spell ".git", and which git takes as the end of the name after it).
uint32_t next_hfs_char(std::string_view& s) {
  while (!s.empty()) {
    const auto b0 = static_cast<unsigned char>(s[0]);
    size_t len = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > s.size()) return 0;
    uint32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
    for (size_t i = 1; i < len; ++i) {
      const auto b = static_cast<unsigned char>(s[i]);
      if ((b & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (b & 0x3F);
    }
    // What git's UTF-8 reader refuses: overlong forms, surrogates, U+FFFE,
    // U+FFFF and anything above U+10FFFF.
    const uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : len == 4 ? 0x10000 : 0;
    if (cp < least || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF) return 0;
    s.remove_prefix(len);
    const bool ignorable = (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
                           (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF;
    if (!ignorable) return cp;
  }
  return 0;
}

/// ".NAME" as HFS+ opens it: any case, with ignorable code points anywhere.
bool hfs_alias(std::string_view entry, std::string_view name) {
  if (next_hfs_char(entry) != '.') return false;
  for (char want : name) {
    const uint32_t c = next_hfs_char(entry);
    if (c > 127 || lower(static_cast<char>(c)) != want) return false;
  }
  return next_hfs_char(entry) == 0;  // the end, or bytes that are not UTF-8 (git refuses both)
}

/// Whether git refuses an entry of this name and mode in a tree (git's
/// verify_path with core.protectNTFS and core.protectHFS, as git fsck):
/// the name would reach the checkout's .git, or a symbolic link would be
/// read as .gitmodules, on some file system the repository is cloned to.
bool git_refuses(std::string_view name, uint32_t mode) {
  if (name.empty() || name == "." || name == ".." || name.find_first_of(std::string_view("/\0", 2)) != name.npos)
    return true;
  const bool link = mode == kSymlink;
  if (hfs_alias(name, "git") || (link && hfs_alias(name, "gitmodules"))) return true;
  // NTFS also splits at backslashes.
  for (size_t start = 0; start <= name.size();) {
    const size_t end = std::min(name.find('\\', start), name.size());
    const std::string_view segment = name.substr(start, end - start);
    if (ntfs_dotgit(segment) || (link && ntfs_alias(segment, "gitmodules", "gi7eba"))) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<void> check_entry_name(std::string_view name, uint32_t mode, std::string_view dir, std::string_view commit_oid) {
  if (!git_refuses(name, mode)) return {};
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
                    "tree of commit " + short_id(commit_oid) + " has " +
                        (mode == kSymlink ? "a symbolic link" : "an entry") + " named \"" + shown + "\" in " +
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
    if (auto named = check_entry_name(git_tree_entry_name(entry), git_tree_entry_filemode_raw(entry), path, commit_oid);
        !named)
      return named.error();
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
