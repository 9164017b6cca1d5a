#include "policy/policy_parser.h"

#include <algorithm>
#include <limits>
#include <set>
#include <toml++/toml.h>

#include "policy/path_pattern.h"
#include "policy/suggest.h"
#include "util/time_parse.h"

namespace vouch::policy {
namespace {

SourcePos pos_of(const toml::source_region& r) {
  return {std::max(1, static_cast<int>(r.begin.line)), std::max(1, static_cast<int>(r.begin.column))};
}
SourcePos pos_of(const toml::node& n) { return pos_of(n.source()); }
SourcePos pos_of(const toml::key& k) { return pos_of(k.source()); }

std::string a_type(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// Names of people and groups end up in requirement text ("2 of NAME") and
/// in reports, so they are one word.
bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f || c == ',' || c == '"') return false;
  }
  return true;
}

/// One line of printable text (rule names, the repository id).
bool printable_line(std::string_view s, bool allow_space) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f || (!allow_space && b == 0x20)) return false;
  }
  return true;
}

struct Item {
  std::string text;
  SourcePos pos;
};

class Parser {
 public:
  explicit Parser(std::string_view filename) : file_(filename) {}

  PolicyCheck run(std::string_view text);

 private:
  void error(SourcePos p, std::string message);
  void check_fields(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where);
  const toml::table* table_at(const toml::table& parent, std::string_view key, const std::string& hint);
  std::optional<std::vector<Item>> strings(const toml::node& n, const std::string& what);
  std::optional<int64_t> integer(const toml::node& n, const std::string& what);
  std::optional<bool> boolean(const toml::node& n, const std::string& what);
  std::optional<int64_t> duration(const toml::node& n, const std::string& what);
  std::vector<Requirement> requirements(const toml::node* n, SourcePos owner, const std::string& what);
  std::vector<std::string> ref_patterns(const toml::node& n, const std::string& what);

  void parse_header(const toml::table& root);
  void parse_people(const toml::table& root);
  void parse_groups(const toml::table& root);
  void parse_rules(const toml::table& root);
  void parse_tags(const toml::table& root);
  void parse_sections(const toml::table& root);
  void add_implicit_rule();

  struct Diag {
    SourcePos pos;
    std::string message;
  };
  std::string file_;
  std::vector<Diag> diags_;
  Policy policy_;
  std::vector<std::vector<PathPattern>> rule_patterns_;  // parallel to policy_.rules
};

void Parser::error(SourcePos p, std::string message) {
  constexpr size_t kMaxErrors = 200;  // a garbage file must not produce megabytes of messages
  if (diags_.size() < kMaxErrors) diags_.push_back({p, std::move(message)});
}

void Parser::check_fields(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where) {
  for (auto&& [k, v] : t) {
    if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
    std::string what = where.empty() && v.is_table() ? "unknown table [" + std::string(k.str()) + "]"
                                                     : "unknown field " + quoted(k.str());
    if (!where.empty()) what += " in " + where;
    error(pos_of(k), what + did_you_mean(k.str(), allowed));
  }
}

const toml::table* Parser::table_at(const toml::table& parent, std::string_view key, const std::string& hint) {
  const toml::node* n = parent.get(key);
  if (!n) return nullptr;
  if (const auto* t = n->as_table()) return t;
  error(pos_of(*n), quoted(key) + " must be a table, not " + a_type(*n) + " (" + hint + ")");
  return nullptr;
}

std::optional<std::vector<Item>> Parser::strings(const toml::node& n, const std::string& what) {
  const auto* arr = n.as_array();
  if (!arr) {
    error(pos_of(n), what + " must be a list of strings, not " + a_type(n) + " (write [\"...\"])");
    return std::nullopt;
  }
  std::vector<Item> out;
  bool ok = true;
  for (const auto& e : *arr) {
    if (const auto* s = e.as_string()) {
      out.push_back({s->get(), pos_of(e)});
    } else {
      error(pos_of(e), what + " must be a list of strings; this element is " + a_type(e));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<int64_t> Parser::integer(const toml::node& n, const std::string& what) {
  if (const auto* i = n.as_integer()) return i->get();
  error(pos_of(n), what + " must be an integer, not " + a_type(n));
  return std::nullopt;
}

std::optional<bool> Parser::boolean(const toml::node& n, const std::string& what) {
  if (const auto* b = n.as_boolean()) return b->get();
  error(pos_of(n), what + " must be true or false, not " + a_type(n));
  return std::nullopt;
}

std::optional<int64_t> Parser::duration(const toml::node& n, const std::string& what) {
  const auto* s = n.as_string();
  auto d = s ? util::parse_duration(s->get()) : std::nullopt;
  if (!d) {
    error(pos_of(n), what + " must be a duration like \"90d\" (a number and one of s, m, h, d, w, y), not " +
                         (s ? quoted(s->get()) : a_type(n)));
    return std::nullopt;
  }
  return d;
}

std::vector<Requirement> Parser::requirements(const toml::node* n, SourcePos owner, const std::string& what) {
  std::vector<Requirement> out;
  if (!n) {
    error(owner, what + " has no \"require\" (add require = [\"1 of <group>\"])");
    return out;
  }
  auto items = strings(*n, "\"require\" in " + what);
  if (!items) return out;
  if (items->empty()) error(pos_of(*n), "\"require\" in " + what + " is empty: name at least one requirement such as \"1 of maintainers\"");
  std::set<std::string> seen;
  for (const auto& item : *items) {
    std::vector<std::string> words;
    for (size_t i = 0; i < item.text.size();) {
      size_t j = item.text.find_first_of(" \t", i);
      if (j == std::string::npos) j = item.text.size();
      if (j > i) words.push_back(item.text.substr(i, j - i));
      i = j + 1;
    }
    Requirement r;
    r.pos = item.pos;
    bool shape = words.size() == 3 && words[1] == "of";
    bool digits = shape && words[0].size() <= 6 && std::all_of(words[0].begin(), words[0].end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!shape || (words[0] != "all" && !digits)) {
      error(item.pos, "malformed requirement " + quoted(item.text) + ": expected \"<N> of <group>\" or \"all of <group>\"");
      continue;
    }
    r.all = words[0] == "all";
    r.count = r.all ? 0 : std::stoi(words[0]);
    r.group = words[2];
    if (!r.all && r.count < 1) {
      error(item.pos, "requirement " + quoted(item.text) + " asks for nobody: N must be at least 1");
      continue;
    }
    auto g = policy_.groups.find(r.group);
    if (g == policy_.groups.end()) {
      std::vector<std::string> names;
      for (const auto& [name, members] : policy_.groups) names.push_back(name);
      error(item.pos, "unknown group " + quoted(r.group) + did_you_mean(r.group, names));
      continue;
    }
    int size = static_cast<int>(g->second.size());
    if (r.all) r.count = size;
    if (r.count > size) {
      error(item.pos, "requirement " + quoted(item.text) + " cannot be met: group " + quoted(r.group) + " has " +
                          std::to_string(size) + (size == 1 ? " person" : " people"));
      continue;
    }
    if (!seen.insert(r.group).second) {
      error(item.pos, "group " + quoted(r.group) + " appears twice in \"require\" of " + what + ": merge them into one requirement");
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> Parser::ref_patterns(const toml::node& n, const std::string& what) {
  std::vector<std::string> out;
  auto items = strings(n, what);
  if (!items) return out;
  for (const auto& item : *items) {
    if (!item.text.starts_with("refs/"))
      error(item.pos, "ref pattern " + quoted(item.text) + " must start with \"refs/\" (like \"refs/tags/v*\")");
    else
      out.push_back(item.text);
  }
  return out;
}

void Parser::parse_header(const toml::table& root) {
  if (const auto* v = root.get("version")) {
    if (auto n = integer(*v, "\"version\""); n && *n != 1)
      error(pos_of(*v), "unsupported policy version " + std::to_string(*n) + " (this vouch reads version = 1)");
  } else {
    error({1, 1}, "missing \"version = 1\" at the top of the policy");
  }
  if (const auto* v = root.get("serial")) {
    if (auto n = integer(*v, "\"serial\"")) {
      if (*n < 0) error(pos_of(*v), "\"serial\" must be 0 or more, not " + std::to_string(*n));
      else policy_.serial = *n;
    }
  } else {
    error({1, 1}, "missing \"serial\" (an integer that grows with every change to the policy, e.g. serial = 1)");
  }
  if (const auto* v = root.get("repository")) {
    const auto* s = v->as_string();
    if (!s) error(pos_of(*v), "\"repository\" must be a string, not " + a_type(*v));
    else if (!printable_line(s->get(), false))
      error(pos_of(*v), "\"repository\" must be one word of printable characters (like \"example/xz\")");
    else policy_.repository = s->get();
  }
  if (const auto* v = root.get("keyring")) {
    const auto* s = v->as_string();
    if (!s) {
      error(pos_of(*v), "\"keyring\" must be a string, not " + a_type(*v));
      return;
    }
    std::string k = s->get();
    while (k.size() > 1 && k.back() == '/') k.pop_back();
    bool clean = !k.empty() && k.front() != '/' && k.find('\\') == std::string::npos && printable_line(k, true);
    for (size_t i = 0; clean && i <= k.size();) {
      size_t j = std::min(k.find('/', i), k.size());
      std::string_view seg(k.data() + i, j - i);
      clean = !seg.empty() && seg != "." && seg != "..";
      i = j + 1;
    }
    if (!clean)
      error(pos_of(*v), "\"keyring\" " + quoted(s->get()) +
                            " must be a relative path inside the repository, without \".\", \"..\" or empty segments "
                            "(like \".vouch/keys\")");
    else policy_.keyring = k;
  }
}

void Parser::parse_people(const toml::table& root) {
  const auto* people = table_at(root, "people", "write [people.NAME] with keys = [...]");
  if (!people) {
    if (!root.get("people")) error({1, 1}, "no [people.NAME] tables: a policy needs at least one person with keys");
    return;
  }
  // File order, so that "already belongs to" points at the later occurrence.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [k, v] : *people) entries.emplace_back(&k, &v);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    auto pa = pos_of(*a.first), pb = pos_of(*b.first);
    return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
  });
  std::map<KeyId, std::string> owner;
  for (const auto& [key, node] : entries) {
    std::string name(key->str());
    std::string label = "[people." + name + "]";
    if (!valid_name(name)) {
      error(pos_of(*key), "person name " + quoted(name) + " must be one word (no spaces, commas, quotes or control characters)");
      continue;
    }
    const auto* t = node->as_table();
    if (!t) {
      error(pos_of(*node), "person " + quoted(name) + " must be a table: write " + label + " with keys = [...]");
      policy_.people.emplace(name, PolicyPerson{name, {}, pos_of(*key)});
      continue;
    }
    check_fields(*t, {"keys"}, label);
    PolicyPerson person{name, {}, pos_of(*key)};
    const auto* keys = t->get("keys");
    auto items = keys ? strings(*keys, "\"keys\" of person " + quoted(name)) : std::optional<std::vector<Item>>(std::vector<Item>{});
    if (items && items->empty())
      error(keys ? pos_of(*keys) : pos_of(*key),
            "person " + quoted(name) + " has no keys (add keys = [\"openpgp:<fingerprint>\"] or [\"ssh:SHA256:...\"])");
    // A person with bad keys is still a person: groups naming them get no
    // second, misleading "unknown person" error.
    for (const auto& item : items.value_or(std::vector<Item>{})) {
      auto id = KeyId::parse(item.text);
      bool prefixed = item.text.starts_with("openpgp:") || item.text.starts_with("ssh:");
      if (!id) {
        error(item.pos, "malformed key id " + quoted(item.text) +
                            ": expected \"openpgp:\" and 40 or 64 hex digits, or \"ssh:SHA256:\" and 43 base64 characters");
      } else if (!prefixed) {
        error(item.pos, "key id " + quoted(item.text) + " needs its kind: write " + quoted(id->str()));
      } else if (auto it = owner.find(*id); it != owner.end()) {
        error(item.pos, it->second == name ? "key " + id->str() + " is listed twice for person " + quoted(name)
                                           : "key " + id->str() + " already belongs to person " + quoted(it->second) +
                                                 ": a key may belong to one person only");
      } else {
        owner.emplace(*id, name);
        person.keys.push_back(*id);
      }
    }
    policy_.people.emplace(name, std::move(person));
  }
}

void Parser::parse_groups(const toml::table& root) {
  const auto* groups = table_at(root, "groups", "write [groups] with NAME = [\"person\", ...]");
  if (!groups) {
    if (!root.get("groups")) error({1, 1}, "no [groups]: requirements name groups of people (add [groups] maintainers = [...])");
    return;
  }
  std::vector<std::string> people;
  for (const auto& [name, p] : policy_.people) people.push_back(name);
  for (auto&& [k, v] : *groups) {
    std::string name(k.str());
    if (!valid_name(name)) {
      error(pos_of(k), "group name " + quoted(name) + " must be one word (no spaces, commas, quotes or control characters)");
      continue;
    }
    auto items = strings(v, "group " + quoted(name));
    if (!items) continue;
    if (items->empty()) error(pos_of(v), "group " + quoted(name) + " is empty");
    std::vector<std::string> members;
    for (const auto& item : *items) {
      if (std::find(members.begin(), members.end(), item.text) != members.end()) {
        error(item.pos, "person " + quoted(item.text) + " is listed twice in group " + quoted(name));
        continue;
      }
      if (!policy_.people.count(item.text))
        error(item.pos, "unknown person " + quoted(item.text) + " in group " + quoted(name) + did_you_mean(item.text, people));
      members.push_back(item.text);
    }
    policy_.groups.emplace(name, std::move(members));
  }
}

void Parser::parse_rules(const toml::table& root) {
  const auto* node = root.get("rules");
  if (!node) return;
  const auto* arr = node->as_array();
  if (!arr) {
    error(pos_of(*node), "\"rules\" must be a list of tables: write each rule as [[rules]]");
    return;
  }
  std::map<std::string, SourcePos> names;
  for (const auto& e : *arr) {
    const auto* t = e.as_table();
    if (!t) {
      error(pos_of(e), "each entry of \"rules\" must be a table ([[rules]]), not " + a_type(e));
      continue;
    }
    check_fields(*t, {"name", "paths", "require", "self_approval", "notify"}, "[[rules]]");
    Rule rule;
    rule.pos = pos_of(e);
    std::string label = "[[rules]] at line " + std::to_string(rule.pos.line);
    if (const auto* n = t->get("name")) {
      const auto* s = n->as_string();
      if (!s) error(pos_of(*n), "\"name\" of a rule must be a string, not " + a_type(*n));
      else if (!printable_line(s->get(), true)) error(pos_of(*n), "rule name " + quoted(s->get()) + " must be one line of printable text");
      else if (auto it = names.find(s->get()); it != names.end())
        error(pos_of(*n), "duplicate rule name " + quoted(s->get()) + " (first used at line " + std::to_string(it->second.line) + ")");
      else {
        rule.name = s->get();
        names.emplace(rule.name, pos_of(*n));
        label = "rule " + quoted(rule.name);
      }
    } else {
      error(rule.pos, "rule without a name: add name = \"...\" to this [[rules]] entry");
    }
    std::vector<PathPattern> patterns;
    if (const auto* p = t->get("paths")) {
      if (auto items = strings(*p, "\"paths\" of " + label)) {
        if (items->empty()) error(pos_of(*p), "\"paths\" of " + label + " is empty: a rule must name at least one path pattern");
        for (const auto& item : *items) {
          auto compiled = PathPattern::compile(item.text);
          if (!compiled) {
            error(item.pos, compiled.error().message);
            continue;
          }
          rule.paths.push_back(item.text);
          patterns.push_back(std::move(*compiled));
        }
      }
    } else {
      error(rule.pos, label + " has no \"paths\" (add paths = [\"...\"])");
    }
    rule.require = requirements(t->get("require"), rule.pos, label);
    if (const auto* b = t->get("self_approval"))
      if (auto v = boolean(*b, "\"self_approval\" of " + label)) rule.self_approval = *v;
    if (const auto* b = t->get("notify"))
      if (auto v = boolean(*b, "\"notify\" of " + label)) rule.notify = *v;
    policy_.rules.push_back(std::move(rule));
    rule_patterns_.push_back(std::move(patterns));
  }
}

void Parser::parse_tags(const toml::table& root) {
  const auto* node = root.get("tags");
  if (!node) return;
  const auto* arr = node->as_array();
  if (!arr) {
    error(pos_of(*node), "\"tags\" must be a list of tables: write each tag rule as [[tags]]");
    return;
  }
  for (const auto& e : *arr) {
    const auto* t = e.as_table();
    if (!t) {
      error(pos_of(e), "each entry of \"tags\" must be a table ([[tags]]), not " + a_type(e));
      continue;
    }
    check_fields(*t, {"refs", "require"}, "[[tags]]");
    TagRule tag;
    tag.pos = pos_of(e);
    std::string label = "[[tags]] at line " + std::to_string(tag.pos.line);
    if (const auto* r = t->get("refs")) {
      tag.refs = ref_patterns(*r, "\"refs\" of " + label);
      if (r->as_array() && r->as_array()->empty()) error(pos_of(*r), "\"refs\" of " + label + " is empty");
    } else {
      error(tag.pos, label + " has no \"refs\" (add refs = [\"refs/tags/v*\"])");
    }
    tag.require = requirements(t->get("require"), tag.pos, label);
    policy_.tags.push_back(std::move(tag));
  }
}

void Parser::parse_sections(const toml::table& root) {
  if (const auto* c = table_at(root, "commits", "write [commits] with require = [...]")) {
    check_fields(*c, {"require"}, "[commits]");
    policy_.commit_require = requirements(c->get("require"), pos_of(*c), "[commits]");
  } else if (!root.get("commits")) {
    error({1, 1}, "missing [commits]: every policy needs [commits] with require = [\"1 of <group>\"]");
  }
  if (const auto* t = table_at(root, "trust", "write [trust] with min_amount and min_key_age")) {
    check_fields(*t, {"min_amount", "min_key_age"}, "[trust]");
    if (const auto* v = t->get("min_amount")) {
      if (auto n = integer(*v, "\"min_amount\"")) {
        if (*n < 0 || *n > 1000000) error(pos_of(*v), "\"min_amount\" must be between 0 and 1000000 (120 is full trust)");
        else policy_.min_amount = static_cast<int>(*n);
      }
    }
    if (const auto* v = t->get("min_key_age")) {
      if (auto d = duration(*v, "\"min_key_age\"")) policy_.min_key_age = *d;
      if (!t->get("min_amount")) error(pos_of(*v), "\"min_key_age\" needs \"min_amount\" in [trust]: it limits which endorsements count toward it");
    }
  }
  if (const auto* r = table_at(root, "refs", "write [refs] with protected = [...]")) {
    check_fields(*r, {"protected", "max_clock_skew", "unchecked"}, "[refs]");
    if (const auto* v = r->get("protected")) policy_.protected_refs = ref_patterns(*v, "\"protected\" in [refs]");
    if (const auto* v = r->get("unchecked")) policy_.unchecked_refs = ref_patterns(*v, "\"unchecked\" in [refs]");
    if (const auto* v = r->get("max_clock_skew")) {
      if (auto d = duration(*v, "\"max_clock_skew\"")) {
        if (*d <= 0) error(pos_of(*v), "\"max_clock_skew\" must be more than 0");
        else policy_.max_clock_skew = *d;
      }
    }
  }
  if (const auto* r = table_at(root, "release", "write [release] with archive_may_add = [...]")) {
    check_fields(*r, {"archive_may_add", "archive_may_change", "archive_may_omit", "require", "self_approval"},
                 "[release]");
    auto patterns = [&](const char* key, std::vector<std::string>& into) {
      const auto* v = r->get(key);
      if (!v) return;
      auto items = strings(*v, quoted(key) + " in [release]");
      if (!items) return;
      for (const auto& item : *items) {
        if (auto p = PathPattern::compile(item.text); !p) error(item.pos, p.error().message);
        else into.push_back(item.text);
      }
    };
    patterns("archive_may_add", policy_.archive_may_add);
    patterns("archive_may_change", policy_.archive_may_change);
    patterns("archive_may_omit", policy_.archive_may_omit);
    if (r->get("require")) policy_.release_require = requirements(r->get("require"), pos_of(*r), "[release]");
    if (const auto* b = r->get("self_approval"))
      if (auto v = boolean(*b, "\"self_approval\" in [release]")) policy_.release_self_approval = *v;
  }
  if (const auto* t = table_at(root, "signatures", "write [signatures] with allow_sha1_before = \"2013-02-01\"")) {
    check_fields(*t, {"allow_sha1_before", "require_user_presence"}, "[signatures]");
    if (const auto* v = t->get("allow_sha1_before")) {
      const auto* s = v->as_string();
      std::optional<int64_t> when;
      if (s && s->get() == "never") when = std::numeric_limits<int64_t>::min();
      else if (s) when = util::parse_time(s->get());
      if (!when)
        error(pos_of(*v), "\"allow_sha1_before\" must be a date like \"2013-02-01\" or \"never\", not " +
                              (s ? quoted(s->get()) : a_type(*v)));
      else policy_.allow_sha1_before = *when;
    }
    if (const auto* b = t->get("require_user_presence"))
      if (auto v = boolean(*b, "\"require_user_presence\" in [signatures]")) policy_.require_user_presence = *v;
  }
}

/// `path` as a pattern that matches exactly that path: a keyring directory
/// named "keys[1]" or "k*" is a directory name, not a glob (a glob would
/// protect other directories and leave the real one open).
std::string literal_pattern(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void Parser::add_implicit_rule() {
  auto covered = [this](const std::string& path) {
    for (const auto& patterns : rule_patterns_)
      for (const auto& p : patterns)
        if (p.matches(path)) return true;
    return false;
  };
  // The keyring counts as covered only when one pattern covers every path
  // in it, whatever its name: one that matches the directory itself (a
  // pattern covers what lies below a directory it matches), or one whose
  // last segment is a bare `*` and that matches an entry of it (`*` matches
  // every name). Sample names would miss a class like `[a-z]*`.
  auto covers_keyring = [this](const PathPattern& p) {
    if (p.matches(policy_.keyring)) return true;
    const std::string& t = p.text();
    const bool star_last = t.ends_with("/*") || t.ends_with("/*/");
    return star_last && p.matches(policy_.keyring + "/x");
  };
  bool keyring_covered = false;
  for (const auto& patterns : rule_patterns_)
    for (const auto& p : patterns) keyring_covered = keyring_covered || covers_keyring(p);
  Rule rule;
  if (!covered(kPolicyPath)) rule.paths.push_back(kPolicyPath);
  if (!keyring_covered) rule.paths.push_back(literal_pattern(policy_.keyring) + "/**");
  if (rule.paths.empty()) return;
  for (const auto& r : policy_.rules)
    if (r.name == "policy")
      error(r.pos, "rule name \"policy\" is reserved for the implicit rule that protects " + rule.paths.front() +
                       ", which this rule does not cover");
  rule.name = "policy";
  rule.implicit = true;
  for (const auto& [group, members] : policy_.groups)
    rule.require.push_back(Requirement{static_cast<int>(members.size()), true, group, {}});
  policy_.rules.push_back(std::move(rule));
}

PolicyCheck Parser::run(std::string_view text) {
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(file_));
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    // toml++ says "cannot redefine existing table 'people.x'" for a person
    // defined twice; say it in the policy's words.
    if (auto at = what.find("existing table 'people."); at != std::string::npos) {
      std::string name = what.substr(at + 23);
      if (!name.empty() && name.back() == '\'') name.pop_back();
      what = "duplicate person " + quoted(name) + ": [people." + name + "] appears twice";
    } else {
      what = "invalid TOML: " + what;
    }
    error(pos_of(e.source()), what);
  } catch (const std::exception& e) {
    error({1, 1}, std::string("cannot parse: ") + e.what());
  }
  if (diags_.empty()) {
    check_fields(root, {"version", "serial", "repository", "keyring", "people", "groups", "commits", "rules", "tags",
                        "trust", "refs", "release", "signatures"},
                 "");
    parse_header(root);
    parse_people(root);
    parse_groups(root);
    parse_sections(root);
    parse_rules(root);
    parse_tags(root);
    if (diags_.empty()) add_implicit_rule();
  }
  PolicyCheck out;
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diag& a, const Diag& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
  for (const auto& d : diags_)
    out.errors.push_back(file_ + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message);
  if (out.errors.empty()) out.policy = std::move(policy_);
  return out;
}

}  // namespace

PolicyCheck check_policy(std::string_view text, std::string_view filename) { return Parser(filename).run(text); }

Result<Policy> parse_policy(std::string_view text, std::string_view filename) {
  auto check = check_policy(text, filename);
  if (!check.policy) return make_error(ErrorKind::malformed, check.errors.front());
  return std::move(*check.policy);
}

}  // namespace vouch::policy
