#include "archive/export_ignore.h"

#include <algorithm>
#include <optional>

#include "policy/path_pattern.h"
#include "util/text.h"

namespace vouch::archive {
namespace {

constexpr std::string_view kAttributes = ".gitattributes";

/// One line's say about export-ignore: set (true), unset or unspecified (false).
struct Rule {
  policy::PathPattern pattern;
  bool set = false;
};

std::vector<Rule> parse(std::string_view text) {
  std::vector<Rule> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto w = util::split_words(text.substr(start, end - start));
    start = end + 1;
    if (w.empty() || w[0].front() == '#' || w[0].front() == '"' || w[0].starts_with("[attr]")) continue;
    std::optional<bool> say;
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i] == "export-ignore" || w[i] == "export-ignore=true") say = true;
      else if (w[i] == "-export-ignore" || w[i] == "!export-ignore" || w[i] == "export-ignore=false") say = false;
    }
    if (!say) continue;
    auto p = policy::PathPattern::compile(w[0]);
    if (!p) continue;  // git ignores what it cannot read, and so does git archive
    out.push_back({std::move(*p), *say});
  }
  return out;
}

}  // namespace

std::set<std::string> export_ignored(const std::vector<git::TreeFile>& tree, const std::vector<AttributesFile>& files) {
  std::set<std::string> out;
  if (files.empty()) return out;
  struct Parsed {
    std::string dir;
    std::vector<Rule> rules;
  };
  std::vector<Parsed> parsed;
  for (const auto& f : files) parsed.push_back({f.dir, parse(f.text)});
  // Shallower files first, so that deeper ones override them.
  std::stable_sort(parsed.begin(), parsed.end(), [](const Parsed& a, const Parsed& b) {
    return std::count(a.dir.begin(), a.dir.end(), '/') < std::count(b.dir.begin(), b.dir.end(), '/');
  });
  for (const auto& t : tree) {
    bool ignored = false;
    for (const auto& p : parsed) {
      if (!t.path.starts_with(p.dir)) continue;
      std::string_view rel = std::string_view(t.path).substr(p.dir.size());
      for (const auto& r : p.rules)
        if (r.pattern.matches(rel)) ignored = r.set;
    }
    if (ignored) out.insert(t.path);
  }
  return out;
}

Result<std::set<std::string>> export_ignored(git::Repository& repo, const std::vector<git::TreeFile>& tree) {
  std::vector<AttributesFile> files;
  for (const auto& t : tree) {
    std::string_view path = t.path;
    if (t.mode != 0100644 && t.mode != 0100755) continue;
    if (path != kAttributes && !path.ends_with("/" + std::string(kAttributes))) continue;
    auto text = git::read_blob(repo, t.oid);
    if (!text) return text.error();
    files.push_back({std::string(path.substr(0, path.size() - kAttributes.size())), std::move(*text)});
  }
  return export_ignored(tree, files);
}

}  // namespace vouch::archive
