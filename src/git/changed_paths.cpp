#include "git/changed_paths.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "git/handles.h"
#include "git/tree_reader.h"

namespace vouch::git {

namespace {

// Similarity-based rename detection reads and hashes every added and deleted
// blob, and compares each target with up to `rename_limit` sources; on a
// commit that adds and deletes tens of thousands of files that is seconds of
// work spent on a label. Above this many added + deleted entries only exact
// (same blob) renames are paired, by pair_exact_renames. Either way both
// paths of a rename are reported, so the choice changes the report's
// wording, never the path set.
constexpr size_t kSimilarityRenameMaxCandidates = 1000;

/// A directory that differs between the two trees, to look into.
struct DepthFrame {
  TreeHandle old_tree;  // empty: the directory is new
  TreeHandle new_tree;  // empty: the directory was deleted
  size_t level = 0;     // the root is level 0
  size_t node = 0;      // index into `names`, for the path in a message
};

Result<TreeHandle> subtree(Repository& repo, const git_tree_entry* e, std::string_view commit_oid) {
  TreeHandle t;
  if (e == nullptr || git_tree_entry_type(e) != GIT_OBJECT_TREE) return t;
  if (git_tree_lookup(t.out(), repo.handle(), git_tree_entry_id(e)) != 0)
    return make_error(ErrorKind::environment, "cannot read a tree of commit " + std::string(commit_oid) + ": " +
                                                  last_error());
  return t;
}

// libgit2's diff walks every directory that differs between the two trees,
// down to its files; a directory nested 100,000 levels deep would cost it
// quadratic time in path building. This walks exactly those directories first
// (iteratively; unchanged subtrees, equal by id, are never opened) and fails
// as malformed beyond kMaxTreeDepth, so the diff only ever sees bounded trees.
Result<void> check_diff_depth(Repository& repo, const TreeHandle& old_root, const TreeHandle& new_root,
                              std::string_view commit_oid) {
  struct Node {
    size_t parent;
    std::string name;
  };
  std::vector<Node> names = {{0, ""}};
  auto path_of = [&](size_t node) {
    std::vector<const std::string*> parts;
    for (size_t n = node; n != 0; n = names[n].parent) parts.push_back(&names[n].name);
    std::string p;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) p += (p.empty() ? "" : "/") + **it;
    return p;
  };
  auto lookup_root = [&](const TreeHandle& t) -> Result<TreeHandle> {
    TreeHandle copy;
    if (t && git_tree_dup(copy.out(), t.get()) != 0)
      return make_error(ErrorKind::environment, "cannot read a tree of commit " + std::string(commit_oid));
    return copy;
  };
  auto o = lookup_root(old_root);
  if (!o) return o.error();
  auto n = lookup_root(new_root);
  if (!n) return n.error();
  std::vector<DepthFrame> stack;
  stack.push_back({std::move(*o), std::move(*n), 0, 0});
  while (!stack.empty()) {
    DepthFrame f = std::move(stack.back());
    stack.pop_back();
    // Every subdirectory that is new, deleted or changed, named once.
    auto visit = [&](const git_tree_entry* mine, const git_tree* other_tree, bool mine_is_new) -> Result<void> {
      if (git_tree_entry_type(mine) != GIT_OBJECT_TREE) return {};
      const git_tree_entry* other =
          other_tree != nullptr ? git_tree_entry_byname(other_tree, git_tree_entry_name(mine)) : nullptr;
      bool other_is_tree = other != nullptr && git_tree_entry_type(other) == GIT_OBJECT_TREE;
      if (other_is_tree && git_oid_equal(git_tree_entry_id(mine), git_tree_entry_id(other))) return {};
      if (other_is_tree && !mine_is_new) return {};  // a changed directory is pushed from the new side
      names.push_back({f.node, git_tree_entry_name(mine)});
      if (f.level + 1 > kMaxTreeDepth) return too_deep(path_of(names.size() - 1), commit_oid);
      auto a = subtree(repo, mine, commit_oid);
      if (!a) return a.error();
      auto b = subtree(repo, other_is_tree ? other : nullptr, commit_oid);
      if (!b) return b.error();
      if (mine_is_new) stack.push_back({std::move(*b), std::move(*a), f.level + 1, names.size() - 1});
      else stack.push_back({std::move(*a), std::move(*b), f.level + 1, names.size() - 1});
      return {};
    };
    if (f.new_tree) {
      // Every name in a directory this commit changed: a name git refuses
      // ("a/b", "..") would make a changed path differ from the checkout's.
      for (size_t i = 0; i < git_tree_entrycount(f.new_tree.get()); ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(f.new_tree.get(), i);
        if (auto r = check_entry_name(git_tree_entry_name(entry), git_tree_entry_filemode_raw(entry),
                                      f.node == 0 ? "" : path_of(f.node) + "/", commit_oid);
            !r)
          return r;
        if (auto r = visit(entry, f.old_tree.get(), true); !r) return r;
      }
    }
    if (f.old_tree) {
      for (size_t i = 0; i < git_tree_entrycount(f.old_tree.get()); ++i)
        if (auto r = visit(git_tree_entry_byindex(f.old_tree.get(), i), f.new_tree.get(), false); !r) return r;
    }
  }
  return {};
}

// The first parent's tree diffed against the commit's tree. No rename
// detection here: a rename is a delete plus an add, both paths present.
Result<DiffHandle> first_parent_diff(Repository& repo, std::string_view commit_oid) {
  auto commit = lookup_commit(repo, commit_oid);
  if (!commit) return commit.error();
  auto tree = commit_tree(*commit);
  if (!tree) return tree.error();

  TreeHandle parent_tree;  // stays empty for a root commit: everything is added
  if (git_commit_parentcount(commit->get()) > 0) {
    CommitHandle parent;
    if (git_commit_parent(parent.out(), commit->get(), 0) != 0) {
      return make_error(ErrorKind::environment,
                        "cannot read the first parent of commit " + std::string(commit_oid) +
                            " (shallow clone?): " + last_error());
    }
    auto pt = commit_tree(parent);
    if (!pt) return pt.error();
    parent_tree = std::move(*pt);
  }

  if (auto deep = check_diff_depth(repo, parent_tree, *tree, commit_oid); !deep) return deep.error();

  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  // TYPECHANGE: file <-> symlink <-> submodule is one 'T' delta rather than a
  // D + A pair. Case-sensitive (no IGNORE_CASE), file modes trusted for trees
  // whatever core.fileMode says, gitlinks compared by oid and never recursed.
  opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_SKIP_BINARY_CHECK;
  opts.ignore_submodules = GIT_SUBMODULE_IGNORE_NONE;
  DiffHandle diff;
  if (git_diff_tree_to_tree(diff.out(), repo.handle(), parent_tree.get(), tree->get(), &opts) !=
      0) {
    return make_error(ErrorKind::environment,
                      "cannot diff commit " + std::string(commit_oid) + ": " + last_error());
  }
  return diff;
}

// Large diffs: pairs each added entry with a deleted entry of the same blob
// and file kind ('A' becomes 'R' with old_path, the 'D' is dropped), in path
// order, with a hash map: O(n), where libgit2's exact-match pass compares
// every target with up to rename_limit sources (seconds at 50,000 renames).
// Empty blobs are not paired: "renaming" one empty file to another is noise.
void pair_exact_renames(const DiffHandle& diff, std::vector<ChangedPath>& changes) {
  static const std::string kEmptyBlob = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
  std::unordered_map<std::string, std::deque<size_t>> deleted;  // oid+kind -> indexes
  auto key = [](const git_diff_file& f) {
    return oid_hex(f.id) + ":" + std::to_string(f.mode & 0170000);
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (changes[i].status == 'D' && d->old_file.mode != GIT_FILEMODE_COMMIT &&
        oid_hex(d->old_file.id) != kEmptyBlob) {
      deleted[key(d->old_file)].push_back(i);
    }
  }
  if (deleted.empty()) return;
  std::vector<bool> drop(changes.size(), false);
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].status != 'A') continue;
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    auto it = deleted.find(key(d->new_file));
    if (it == deleted.end() || it->second.empty()) continue;
    size_t from = it->second.front();
    it->second.pop_front();
    changes[i].status = 'R';
    changes[i].old_path = changes[from].path;
    drop[from] = true;
  }
  size_t w = 0;
  for (size_t i = 0; i < changes.size(); ++i) {
    if (drop[i]) continue;
    if (w != i) changes[w] = std::move(changes[i]);  // never self-move: it empties strings
    ++w;
  }
  changes.resize(w);
}

Error unexpected_delta(std::string_view commit_oid, const git_diff_delta& d) {
  return make_error(ErrorKind::internal, "cannot diff commit " + std::string(commit_oid) +
                                             ": unexpected change of kind " +
                                             std::to_string(static_cast<int>(d.status)) +
                                             " for " + std::string(d.new_file.path));
}

}  // namespace

Result<std::vector<ChangedPath>> changed_paths(Repository& repo, std::string_view commit_oid) {
  auto diff = first_parent_diff(repo, commit_oid);
  if (!diff) return diff.error();

  size_t n = git_diff_num_deltas(diff->get());
  size_t candidates = 0;
  for (size_t i = 0; i < n; ++i) {
    git_delta_t s = git_diff_get_delta(diff->get(), i)->status;
    if (s == GIT_DELTA_ADDED || s == GIT_DELTA_DELETED) ++candidates;
  }
  bool similarity = candidates <= kSimilarityRenameMaxCandidates;
  if (similarity) {
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    // Renames only: copies would name an unchanged source path as "changed".
    find.flags = GIT_DIFF_FIND_RENAMES;
    find.rename_limit = kSimilarityRenameMaxCandidates;
    if (git_diff_find_similar(diff->get(), &find) != 0) {
      return make_error(ErrorKind::environment, "cannot detect renames in commit " +
                                                    std::string(commit_oid) + ": " +
                                                    last_error());
    }
    n = git_diff_num_deltas(diff->get());
  }

  std::vector<ChangedPath> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff->get(), i);
    ChangedPath c;
    c.path = d->new_file.path;
    switch (d->status) {
      case GIT_DELTA_ADDED: c.status = 'A'; break;
      case GIT_DELTA_DELETED:
        c.status = 'D';
        c.path = d->old_file.path;
        break;
      case GIT_DELTA_MODIFIED: c.status = 'M'; break;
      case GIT_DELTA_TYPECHANGE: c.status = 'T'; break;
      case GIT_DELTA_RENAMED:
        c.status = 'R';
        c.old_path = d->old_file.path;
        break;
      default: return unexpected_delta(commit_oid, *d);
    }
    out.push_back(std::move(c));
  }
  if (!similarity) pair_exact_renames(*diff, out);
  return out;
}

Result<std::vector<std::string>> changed_path_names(Repository& repo,
                                                    std::string_view commit_oid) {
  auto diff = first_parent_diff(repo, commit_oid);
  if (!diff) return diff.error();
  size_t n = git_diff_num_deltas(diff->get());
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff->get(), i);
    switch (d->status) {
      case GIT_DELTA_ADDED:
      case GIT_DELTA_MODIFIED:
      case GIT_DELTA_TYPECHANGE: out.emplace_back(d->new_file.path); break;
      case GIT_DELTA_DELETED: out.emplace_back(d->old_file.path); break;
      default: return unexpected_delta(commit_oid, *d);
    }
    // Old and new path are the same for every kind above; a mismatch would
    // mean libgit2 paired entries, which this diff never asks it to do.
    if (std::string_view(d->old_file.path) != d->new_file.path) {
      out.emplace_back(d->old_file.path);
    }
  }
  // std::string compares bytes as unsigned char: a stable byte order.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vouch::git
