#include "bundle/bundle_people.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include <toml++/toml.h>

namespace vouch::trust {
namespace {

std::string where(const std::string& source, const toml::source_region& r) {
  return source + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

Error at(const std::string& source, const toml::node& n, const std::string& what) {
  return make_error(ErrorKind::malformed, where(source, n.source()) + ": " + what);
}

bool valid_person_name(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

bool one_line(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

/// The strings of an array field; an error for anything else.
Result<std::vector<std::string>> strings(const std::string& source, const toml::node& n, const std::string& field) {
  const toml::array* arr = n.as_array();
  if (!arr) return at(source, n, field + " must be an array of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *arr) {
    auto s = item.value<std::string>();
    if (!item.is_string() || !s) return at(source, item, field + " must be an array of strings");
    out.push_back(*s);
  }
  return out;
}

Result<Person> parse_person(const std::string& source, const std::string& name, const toml::table& t) {
  Person p;
  p.name = name;
  std::map<std::string, bool> seen_keys;
  for (const auto& [k, v] : t) {
    const std::string field(k.str());
    if (field == "name") {
      if (!v.is_string() || !one_line(*v.value<std::string>())) return at(source, v, "name must be a one-line string");
      p.display_name = *v.value<std::string>();
    } else if (field == "emails") {
      auto emails = strings(source, v, "emails");
      if (!emails) return emails.error();
      for (const auto& e : *emails)
        if (e.empty() || !one_line(e) || e.find(' ') != std::string::npos)
          return at(source, v, "email \"" + e.substr(0, 80) + "\" is not an address");
      p.emails = std::move(*emails);
    } else if (field == "keys") {
      auto ids = strings(source, v, "keys");
      if (!ids) return ids.error();
      for (const auto& s : *ids) {
        auto id = KeyId::parse(s);
        if (!id || id->str() != s) return at(source, v, "\"" + s.substr(0, 80) + "\" is not a canonical key id");
        if (std::find(p.keys.begin(), p.keys.end(), *id) != p.keys.end())
          return at(source, v, "key " + s + " is listed twice");
        p.keys.push_back(*id);
      }
    } else {
      return at(source, v, "unknown field \"" + field + "\" in [people." + name + "] (expected name, emails, keys)");
    }
  }
  return p;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
  return out + "]";
}

}  // namespace

Result<std::vector<Person>> parse_people_toml(std::string_view text, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorKind::malformed, where(source, e.source()) + ": " + std::string(e.description()));
  }
  std::vector<Person> out;
  std::map<KeyId, std::string> owner;
  for (const auto& [k, v] : doc) {
    if (k.str() != "people")
      return at(source, v, "unknown table \"" + std::string(k.str()) + "\" (expected [people.NAME])");
    const toml::table* people = v.as_table();
    if (!people) return at(source, v, "people must be a table of [people.NAME] tables");
    for (const auto& [name_key, person] : *people) {
      const std::string name(name_key.str());
      if (!valid_person_name(name))
        return at(source, person, "person name \"" + name.substr(0, 80) + "\" is not [a-z0-9._-]+");
      const toml::table* t = person.as_table();
      if (!t) return at(source, person, "people." + name + " must be a table");
      auto p = parse_person(source, name, *t);
      if (!p) return p.error();
      for (const auto& key : p->keys) {
        auto [it, fresh] = owner.emplace(key, name);
        if (!fresh)
          return at(source, person, "key " + key.str() + " is listed for both " + it->second + " and " + name);
      }
      out.push_back(std::move(*p));
    }
  }
  std::sort(out.begin(), out.end(), [](const Person& a, const Person& b) { return a.name < b.name; });
  return out;
}

std::string serialize_people_toml(const std::vector<Person>& people) {
  std::vector<const Person*> sorted;
  for (const auto& p : people) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const Person* a, const Person* b) { return a->name < b->name; });
  std::string out;
  for (const Person* p : sorted) {
    if (!out.empty()) out += "\n";
    // A bare key cannot hold '.', which TOML reads as nesting.
    out += "[people." + (p->name.find('.') == std::string::npos ? p->name : quoted(p->name)) + "]\n";
    if (!p->display_name.empty()) out += "name = " + quoted(p->display_name) + "\n";
    out += "emails = " + array(p->emails) + "\n";
    std::vector<std::string> ids;
    for (const auto& k : p->keys) ids.push_back(k.str());
    out += "keys = " + array(ids) + "\n";
  }
  return out;
}

}  // namespace vouch::trust
