#include "archive/archive_compare.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "archive/name_key.h"

namespace vouch::archive {
namespace {

constexpr uint32_t kTypeMask = 0170000;
constexpr uint32_t kRegular = 0100000;
constexpr uint32_t kSymlink = 0120000;
constexpr uint32_t kSubmodule = 0160000;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

/// Components when both '/' and '\\' separate them (as Windows extractors read names).
std::vector<std::string_view> split_any(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/' || s[i] == '\\') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

/// A member as compared: its name normalised, or why it is unsafe.
struct Entry {
  const ArchiveMember* member = nullptr;
  std::string path;    ///< without "./", without a directory's trailing '/'
  std::string unsafe;  ///< non-empty: the finding's detail
};

std::string path_problem(std::string_view path) {
  if (path.empty()) return "empty name";
  if (path.front() == '/') return "absolute path";
  if (path.front() == '\\') return "absolute path (\\-separated, as Windows reads it)";
  for (auto c : split(path, '/'))
    if (c == "..") return "path escapes the archive root";
  for (auto c : split_any(path))
    if (c == "..") return "path escapes the archive root (\\-separated, as Windows reads it)";
  if (path.size() >= 2 && path[1] == ':' && std::isalpha(static_cast<unsigned char>(path[0])) != 0)
    return "absolute path (drive letter)";
  for (auto c : split(path, '/'))
    if (c.empty() || c == ".") return "non-canonical path (empty or '.' component)";
  return "";
}

Entry normalise(const ArchiveMember& m) {
  Entry e{&m, m.path, ""};
  if (!m.name_problem.empty()) {
    e.unsafe = "name cannot be decoded: " + m.name_problem;
    return e;
  }
  std::string_view p = e.path;
  while (p.starts_with("./")) p.remove_prefix(2);
  if (m.kind == MemberKind::directory)
    while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  e.path = std::string(p);
  if (m.kind == MemberKind::directory && (e.path.empty() || e.path == ".")) {
    e.path.clear();  // the root itself ("./")
    return e;
  }
  e.unsafe = path_problem(e.path);
  if (!e.unsafe.empty()) return e;
  switch (m.kind) {
    case MemberKind::file:
    case MemberKind::directory:
    case MemberKind::symlink: break;
    case MemberKind::hardlink: e.unsafe = "hard link to " + m.link_target; break;
    default: e.unsafe = std::string(to_string(m.kind)); break;
  }
  return e;
}

/// True when a link at `path` (relative to the release root) pointing at
/// `target` resolves outside the root, judged on the names alone.
bool link_escapes_as(std::string_view path, std::string_view target, bool windows) {
  if (target.empty() || target.front() == '/' || (windows && target.front() == '\\')) return true;
  if (windows && target.size() >= 2 && target[1] == ':') return true;
  long depth = static_cast<long>((windows ? split_any(path) : split(path, '/')).size()) - 1;  // the link's directory
  for (auto c : windows ? split_any(target) : split(target, '/')) {
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (--depth < 0) return true;
    } else {
      ++depth;
    }
  }
  return false;
}

/// Escapes when read with '/' only or with '\\' as a separator too.
bool link_escapes(std::string_view path, std::string_view target) {
  return link_escapes_as(path, target, false) || link_escapes_as(path, target, true);
}

std::string first_component(std::string_view p) { return std::string(p.substr(0, p.find('/'))); }

/// The common top-level directory of the safe members, if they have one.
std::optional<std::string> common_top(const std::vector<Entry>& entries) {
  std::optional<std::string> top;
  bool below = false;
  for (const auto& e : entries) {
    if (!e.unsafe.empty() || e.path.empty()) continue;
    std::string first = first_component(e.path);
    if (top && *top != first) return std::nullopt;
    top = first;
    if (e.path.size() > first.size()) below = true;
    else if (e.member->kind != MemberKind::directory) return std::nullopt;  // a file at the top
  }
  if (!top || !below) return std::nullopt;
  return top;
}

std::string oct(uint32_t mode, int width) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + (mode & 7)));
    mode >>= 3;
  } while (mode != 0);
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
  return s;
}

std::optional<std::string> difference(const ArchiveMember& m, const git::TreeFile& t) {
  uint32_t type = t.mode & kTypeMask;
  bool is_link = m.kind == MemberKind::symlink;
  if (is_link && type != kSymlink) return "symbolic link to " + m.link_target + " in the archive, a file in the tree";
  if (!is_link && type == kSymlink) return std::string("a file in the archive, a symbolic link in the tree");
  if (m.blob_oid != t.oid) return is_link ? "symbolic link target differs (archive: " + m.link_target + ")"
                                          : std::string("content differs");
  if (!is_link) {
    bool tree_exec = (t.mode & 0111) != 0;
    bool archive_exec = (m.mode & 0100) != 0;
    if (tree_exec != archive_exec)
      return "executable bit differs (archive mode " + oct(m.mode, 4) + ", tree mode " + oct(t.mode, 6) + ")";
  }
  return std::nullopt;
}

ArchiveFinding finding(std::string kind, std::string path, std::string detail, std::string origin = "",
                       std::string known_as = "") {
  ArchiveFinding f;
  f.kind = std::move(kind);
  f.path = std::move(path);
  f.detail = std::move(detail);
  f.origin = std::move(origin);
  f.known_as = std::move(known_as);
  return f;
}

/// Every directory prefix of `path` and the path itself: "a", "a/b", "a/b/c".
std::vector<std::string_view> prefixes(std::string_view path) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < path.size(); ++i)
    if (path[i] == '/') out.push_back(path.substr(0, i));
  out.push_back(path);
  return out;
}

/// Names that are one file to some extractor (threat 30). Spellings of the
/// tree are what the tag says; any other spelling of the same key, in a
/// member's path or one of its directories, is unsafe.
class Collisions {
 public:
  void add_tree(std::string_view path) { add(path, true); }
  void add_member(std::string_view path) { add(path, false); }

  /// Why `path` collides, or empty.
  std::string problem(std::string_view path) {
    for (std::string_view q : prefixes(path)) {
      const Spellings& sp = spellings_[key(q)];
      if (sp.all.size() < 2 || sp.tracked.contains(std::string(q))) continue;
      // Name a tracked spelling when there is one, else another member's.
      std::string other = !sp.tracked.empty() ? *sp.tracked.begin() : *sp.all.begin();
      if (other == q) other = *std::next(sp.all.begin());
      std::string how = collision_kind(q, other);
      std::string what = sp.tracked.contains(other) ? "tracked " : "";
      if (q.size() == path.size()) return "name collides with " + what + other + " " + how;
      return "directory " + std::string(q) + " collides with " + what + other + " " + how;
    }
    return "";
  }

 private:
  struct Spellings {
    std::set<std::string> all;
    std::set<std::string> tracked;
  };
  const std::string& key(std::string_view name) {
    auto it = keys_.find(std::string(name));
    if (it == keys_.end()) it = keys_.emplace(std::string(name), collision_key(name)).first;
    return it->second;
  }
  void add(std::string_view path, bool tracked) {
    for (std::string_view q : prefixes(path)) {
      Spellings& sp = spellings_[key(q)];
      sp.all.emplace(q);
      if (tracked) sp.tracked.emplace(q);
    }
  }
  std::unordered_map<std::string, std::string> keys_;
  std::map<std::string, Spellings> spellings_;
};

template <class Patterns>
const policy::PathPattern* first_match(const Patterns& patterns, std::string_view path) {
  for (const auto& p : patterns)
    if (p.matches(path)) return &p;
  return nullptr;
}

}  // namespace

Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const std::vector<policy::PathPattern>& may_add) {
  ReleaseRules rules;
  rules.may_add = may_add;
  return compare_archive(members, tree, rules);
}

Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const ReleaseRules& rules, const std::vector<NameIssue>& raw_issues) {
  Comparison c;
  c.members = members.size();
  std::map<std::string, const git::TreeFile*, std::less<>> in_tree;
  for (const auto& t : tree)
    if ((t.mode & kTypeMask) != kSubmodule) in_tree.emplace(t.path, &t);

  // Members the raw headers name ambiguously: matched by their raw name.
  std::map<std::string, std::string, std::less<>> ambiguous;
  for (const auto& issue : raw_issues)
    for (const auto& n : issue.names) ambiguous.emplace(n, issue.detail);
  std::set<std::string> consumed;

  std::vector<Entry> entries;
  entries.reserve(members.size());
  for (const auto& m : members) {
    Entry e = normalise(m);
    if (auto it = ambiguous.find(m.path); it != ambiguous.end()) {
      consumed.insert(it->first);
      if (e.unsafe.empty()) e.unsafe = it->second;
    }
    entries.push_back(std::move(e));
  }
  for (const auto& issue : raw_issues) {
    bool named = std::any_of(issue.names.begin(), issue.names.end(), [&](const auto& n) { return consumed.contains(n); });
    if (!named) c.findings.push_back(finding("unsafe", issue.names.empty() ? "(archive headers)" : issue.names[0], issue.detail));
  }

  if (auto top = common_top(entries)) {
    // Strip unless keeping the directory matches more of the tree.
    size_t stripped = 0, kept = 0;
    const std::string dir = *top + "/";
    for (const auto& e : entries) {
      if (!e.unsafe.empty() || e.member->kind == MemberKind::directory) continue;
      kept += in_tree.count(e.path);
      if (e.path.starts_with(dir)) stripped += in_tree.count(std::string_view(e.path).substr(dir.size()));
    }
    if (stripped >= kept) {
      c.prefix = dir;
      for (auto& e : entries)
        if (e.unsafe.empty()) e.path = e.path.starts_with(dir) ? e.path.substr(dir.size()) : "";
    } else {
      c.notes.push_back("top-level directory " + dir + " kept: the tag's tree has it too");
    }
  } else {
    c.notes.push_back("members do not share one top-level directory; compared as-is");
  }

  std::map<std::string, int> occurrences;
  Collisions collisions;
  for (const auto& t : in_tree) collisions.add_tree(t.first);
  for (const auto& e : entries) {
    if (!e.unsafe.empty() || e.path.empty() || e.member->kind == MemberKind::directory) continue;
    ++occurrences[e.path];
    collisions.add_member(e.path);
  }

  std::set<std::string> seen;
  c.classes.reserve(entries.size());
  for (const auto& e : entries) {
    const ArchiveMember& m = *e.member;
    auto classify = [&](const std::string& klass) { c.classes.push_back({m.path, klass}); };
    if (!e.unsafe.empty()) {
      c.findings.push_back(finding("unsafe", m.path, e.unsafe));
      classify("unsafe");
      continue;
    }
    if (e.path.empty() || m.kind == MemberKind::directory) {
      classify("directory");
      continue;
    }
    if (!seen.insert(e.path).second) {  // a duplicate, reported once
      classify("unsafe");
      continue;
    }
    auto add = [&](ArchiveFinding f) {
      classify(f.kind);
      c.findings.push_back(std::move(f));
    };
    if (int n = occurrences[e.path]; n > 1) {
      add(finding("unsafe", e.path, "duplicate member (" + std::to_string(n) + " times)"));
      continue;
    }
    if (std::string why = collisions.problem(e.path); !why.empty()) {
      add(finding("unsafe", e.path, why));
      continue;
    }
    if (m.kind == MemberKind::symlink && link_escapes(e.path, m.link_target)) {
      add(finding("unsafe", e.path, "symbolic link to " + m.link_target + " escapes the archive root"));
      continue;
    }
    auto t = in_tree.find(e.path);
    if (t != in_tree.end()) {
      auto diff = difference(m, *t->second);
      if (!diff) {
        ++c.matched;
        classify("matched");
        continue;
      }
      bool regular_both = m.kind == MemberKind::file && (t->second->mode & kTypeMask) == kRegular;
      const policy::PathPattern* allowed = regular_both ? first_match(rules.may_change, e.path) : nullptr;
      if (allowed != nullptr) add(finding("allowed", e.path, "archive_may_change: " + allowed->text() + "; " + *diff, "changed", ""));
      else add(finding("changed", e.path, *diff));
      continue;
    }
    if (m.kind == MemberKind::symlink) {
      add(finding("added", e.path, "symbolic link to " + m.link_target));
      continue;
    }
    if (const auto* allowed = first_match(rules.may_add, e.path))
      add(finding("allowed", e.path, "archive_may_add: " + allowed->text(), "added", ""));
    else add(finding("added", e.path, ""));
  }
  for (const auto& [path, t] : in_tree) {
    if (seen.contains(path)) continue;
    if (rules.not_expected.contains(path)) {
      c.export_ignored.push_back(path);
    } else if (const auto* allowed = first_match(rules.may_omit, path)) {
      c.findings.push_back(finding("allowed", path, "archive_may_omit: " + allowed->text(), "omitted", ""));
    } else {
      c.findings.push_back(finding("missing", path, ""));
    }
  }

  std::stable_sort(c.findings.begin(), c.findings.end(), [](const ArchiveFinding& a, const ArchiveFinding& b) {
    return a.path != b.path ? a.path < b.path : a.kind < b.kind;
  });
  return c;
}

}  // namespace vouch::archive
