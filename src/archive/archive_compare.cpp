#include "archive/archive_compare.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

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

/// A member as compared: its name normalised, or why it is unsafe.
struct Entry {
  const ArchiveMember* member = nullptr;
  std::string path;    ///< without "./", without a directory's trailing '/'
  std::string unsafe;  ///< non-empty: the finding's detail
};

std::string path_problem(std::string_view path) {
  if (path.empty()) return "empty name";
  if (path.front() == '/') return "absolute path";
  for (auto c : split(path, '/'))
    if (c == "..") return "path escapes the archive root";
  for (auto c : split(path, '\\'))
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
bool link_escapes(std::string_view path, std::string_view target) {
  if (target.empty() || target.front() == '/') return true;
  long depth = static_cast<long>(split(path, '/').size()) - 1;  // the link's directory
  for (auto c : split(target, '/')) {
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (--depth < 0) return true;
    } else {
      ++depth;
    }
  }
  return false;
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

}  // namespace

Comparison compare_archive(const std::vector<ArchiveMember>& members, const std::vector<git::TreeFile>& tree,
                           const std::vector<policy::PathPattern>& may_add) {
  Comparison c;
  c.members = members.size();
  std::map<std::string, const git::TreeFile*, std::less<>> in_tree;
  for (const auto& t : tree)
    if ((t.mode & kTypeMask) != kSubmodule) in_tree.emplace(t.path, &t);

  std::vector<Entry> entries;
  entries.reserve(members.size());
  for (const auto& m : members) entries.push_back(normalise(m));

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
  for (const auto& e : entries)
    if (e.unsafe.empty() && !e.path.empty() && e.member->kind != MemberKind::directory) ++occurrences[e.path];

  std::set<std::string> seen;
  for (const auto& e : entries) {
    const ArchiveMember& m = *e.member;
    if (!e.unsafe.empty()) {
      c.findings.push_back({"unsafe", m.path, e.unsafe});
      continue;
    }
    if (e.path.empty() || m.kind == MemberKind::directory) continue;
    if (!seen.insert(e.path).second) continue;  // a duplicate, reported once below
    if (int n = occurrences[e.path]; n > 1) {
      c.findings.push_back({"unsafe", e.path, "duplicate member (" + std::to_string(n) + " times)"});
      continue;
    }
    if (m.kind == MemberKind::symlink && link_escapes(e.path, m.link_target)) {
      c.findings.push_back({"unsafe", e.path, "symbolic link to " + m.link_target + " escapes the archive root"});
      continue;
    }
    auto t = in_tree.find(e.path);
    if (t != in_tree.end()) {
      if (auto diff = difference(m, *t->second)) c.findings.push_back({"changed", e.path, *diff});
      else ++c.matched;
      continue;
    }
    if (m.kind == MemberKind::symlink) {
      c.findings.push_back({"added", e.path, "symbolic link to " + m.link_target});
      continue;
    }
    auto allowed = std::find_if(may_add.begin(), may_add.end(), [&](const auto& p) { return p.matches(e.path); });
    if (allowed != may_add.end()) c.findings.push_back({"allowed", e.path, "archive_may_add: " + allowed->text()});
    else c.findings.push_back({"added", e.path, ""});
  }
  for (const auto& [path, t] : in_tree)
    if (!seen.contains(path)) c.findings.push_back({"missing", path, ""});

  std::stable_sort(c.findings.begin(), c.findings.end(), [](const ArchiveFinding& a, const ArchiveFinding& b) {
    return a.path != b.path ? a.path < b.path : a.kind < b.kind;
  });
  return c;
}

}  // namespace vouch::archive
