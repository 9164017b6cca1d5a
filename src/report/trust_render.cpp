#include "report/trust_render.h"

#include "report/trust_graph_render.h"

#include <ctime>

namespace vouch::report {
namespace {

nlohmann::json opt(const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

std::string opt_time(const std::optional<int64_t>& t, const char* none) { return t ? utc_time(*t) : none; }

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string revocation_text(const trust::RevocationRecord& r) {
  std::string out = std::string(trust::to_string(r.reason)) + (trust::is_hard(r.reason) ? " (hard)" : " (soft)") +
                    " at " + utc_time(r.time) + ", " + (r.statement ? "signed" : "local decision");
  if (r.comment) out += ": " + *r.comment;
  return out;
}

std::string endorsement_text(const trust::Endorsement& e) {
  std::string out = "by " + e.issuer.str() + ": amount " + std::to_string(e.amount) + ", depth " +
                    std::to_string(e.depth);
  if (e.person) out += ", person " + *e.person;
  if (!e.emails.empty()) out += ", " + join(e.emails, ", ");
  out += ", created " + utc_time(e.created);
  if (e.expires) out += ", expires " + utc_time(*e.expires);
  return out;
}

}  // namespace

std::string utc_time(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (gmtime_r(&tt, &tm) == nullptr) return std::to_string(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string block_text(const trust::Block& b, const trust::Hop* hop) {
  const auto revoked = [&](const std::string& who) {
    const std::string reason(trust::to_string(b.reason));
    return b.hard ? who + " is revoked (" + reason + ")"
                  : who + " was revoked (" + reason + ") at " + utc_time(b.time);
  };
  switch (b.kind) {
    case trust::BlockKind::retracted: return "retracted (amount 0, created " + utc_time(b.time) + ")";
    case trust::BlockKind::not_yet_valid:
      return "not yet valid: created " + utc_time(b.time) + ", after the reference time";
    case trust::BlockKind::issuer_revoked:
      return revoked("issuer " + (hop ? hop->issuer.str() : std::string("key"))) +
             (b.hard ? ": everything it signed is void" : ", before it made this endorsement");
    case trust::BlockKind::target_revoked:
      return revoked("endorsed key " + (hop ? hop->target.str() : std::string("")));
    case trust::BlockKind::expired: return "expired at " + utc_time(b.time);
    case trust::BlockKind::probation:
      return "under probation: created " + utc_time(b.time) + ", less than --min-age before the reference time";
    case trust::BlockKind::scope: {
      std::string scopes = hop ? join(hop->scopes, ", ") : "";
      return "scope " + scopes + " matches none of the target's emails" +
             (b.emails.empty() ? std::string(" (the target has no email)") : " (" + join(b.emails, ", ") + ")");
    }
    case trust::BlockKind::depth:
      return "depth exhausted: depth " + std::to_string(hop ? hop->depth : 0) + ", but " + std::to_string(b.needed) +
             (b.needed == 1 ? " more hop follows" : " more hops follow");
    case trust::BlockKind::root_revoked: return revoked("root key " + b.key.str());
  }
  return "blocked";
}

nlohmann::json blocked_path_json(const trust::BlockedPath& p) {
  nlohmann::json hops = nlohmann::json::array(), blocked = nlohmann::json::array();
  for (const auto& h : p.hops)
    hops.push_back({{"issuer", h.issuer.str()}, {"target", h.target.str()}, {"from", h.from_node}, {"to", h.to_node},
                    {"amount", h.amount}, {"depth", h.depth}, {"created", h.created}, {"scopes", h.scopes}});
  for (const auto& s : p.stops) {
    const trust::Hop* hop = s.hop >= 0 ? &p.hops[static_cast<size_t>(s.hop)] : nullptr;
    blocked.push_back({{"hop", s.hop}, {"kind", trust::to_string(s.block.kind)}, {"reason", block_text(s.block, hop)}});
  }
  return {{"hops", hops}, {"blocked", blocked}};
}

nlohmann::json to_json(const trust::RevocationRecord& r) {
  nlohmann::json j{{"reason", trust::to_string(r.reason)},
                   {"hard", trust::is_hard(r.reason)},
                   {"time", r.time},
                   {"signed", r.statement.has_value()}};
  if (r.statement) j["statement"] = *r.statement;
  if (r.comment) j["comment"] = *r.comment;
  return j;
}

nlohmann::json to_json(const trust::Endorsement& e) {
  return {{"issuer", e.issuer.str()}, {"target", e.target.str()}, {"person", opt(e.person)},
          {"emails", e.emails},       {"amount", e.amount},         {"depth", e.depth},
          {"scopes", e.scopes},       {"created", e.created},       {"expires", opt(e.expires)},
          {"comment", opt(e.comment)}};
}

nlohmann::json key_summary_json(const KeyView& k) {
  return {{"id", k.key.id.str()},         {"kind", to_string(k.key.id.kind)},
          {"person", opt(k.key.person)},  {"created", opt(k.key.created)},
          {"expires", opt(k.key.expires)}, {"revoked", !k.revocations.empty()}};
}

nlohmann::json key_details_json(const KeyView& k) {
  nlohmann::json j = key_summary_json(k);
  j["signing_subkeys"] = k.key.signing_subkeys;
  j["first_seen"] = k.key.first_seen;
  j["added_by"] = k.key.added_by;
  j["comment"] = k.key.comment;
  j["root"] = k.root;
  j["revocations"] = nlohmann::json::array();
  for (const auto& r : k.revocations) j["revocations"].push_back(to_json(r));
  j["endorsements"] = nlohmann::json::array();
  for (const auto& e : k.endorsements) j["endorsements"].push_back(to_json(e));
  j["material"] = k.key.material;
  return j;
}

nlohmann::json to_json(const trust::Person& p) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : p.keys) keys.push_back(k.str());
  return {{"name", p.name}, {"display_name", p.display_name}, {"emails", p.emails}, {"keys", keys}};
}

Document render_key_import(const app::KeyImportResult& r) {
  Document doc;
  nlohmann::json keys = nlohmann::json::array(), revocations = nlohmann::json::array();
  for (const auto& k : r.keys) {
    doc.text += k.result + " " + k.id.str() + " (" + k.file + ")\n";
    keys.push_back({{"id", k.id.str()}, {"kind", to_string(k.id.kind)}, {"file", k.file}, {"result", k.result}});
  }
  for (const auto& i : r.revocations) {
    const trust::RevocationRecord& rev = i.revocation;
    const std::string reason(trust::to_string(rev.reason));
    doc.text += std::string(i.added ? "recorded" : "already recorded") + " revocation of " + rev.key.str() + " (" +
                reason + ", " + utc_time(rev.time) + ")\n";
    revocations.push_back(
        {{"key", rev.key.str()}, {"reason", reason}, {"time", rev.time}, {"result", i.added ? "added" : "unchanged"}});
  }
  doc.json = {{"schema", 1}, {"keys", keys}, {"revocations", revocations}, {"warnings", r.warnings}};
  return doc;
}

nlohmann::json key_list_json(const std::vector<KeyView>& keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& k : keys) list.push_back(key_summary_json(k));
  return {{"schema", 1}, {"keys", list}};
}

nlohmann::json key_show_json(const KeyView& k) { return {{"schema", 1}, {"key", key_details_json(k)}}; }

nlohmann::json person_list_json(const std::vector<trust::Person>& people) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : people) list.push_back(to_json(p));
  return {{"schema", 1}, {"people", list}};
}

nlohmann::json person_show_json(const trust::Person& p, const std::vector<KeyView>& keys) {
  nlohmann::json j = to_json(p);
  j["keys"] = nlohmann::json::array();
  for (const auto& k : keys) j["keys"].push_back(key_summary_json(k));
  return {{"schema", 1}, {"person", j}};
}

std::string key_list_text(const std::vector<KeyView>& keys) {
  if (keys.empty()) return "no keys in the trust database\n";
  std::string out;
  for (const auto& k : keys) {
    out += k.key.id.str() + "  " + std::string(to_string(k.key.id.kind)) + "  " + k.key.person.value_or("-") +
           "  created " + opt_time(k.key.created, "-") + "  expires " + opt_time(k.key.expires, "never");
    if (!k.revocations.empty()) out += "  revoked: " + std::string(trust::to_string(k.revocations.front().reason));
    out += "\n";
  }
  return out;
}

std::string key_show_text(const KeyView& k) {
  const auto& r = k.key;
  std::string out = "key " + r.id.str() + "\n";
  out += "  kind:       " + std::string(to_string(r.id.kind)) + "\n";
  out += "  person:     " + r.person.value_or("(none)") + "\n";
  out += "  created:    " + opt_time(r.created, "(unknown)") + "\n";
  out += "  expires:    " + opt_time(r.expires, "never") + "\n";
  out += "  first seen: " + utc_time(r.first_seen) + " (added by " + r.added_by + ")\n";
  if (!r.comment.empty()) out += "  comment:    " + r.comment + "\n";
  out += std::string("  root:       ") + (k.root ? "yes" : "no") + "\n";
  if (!r.signing_subkeys.empty()) {
    out += "  signing keys:\n";
    for (const auto& s : r.signing_subkeys) out += "    " + s + "\n";
  }
  if (k.revocations.empty()) {
    out += "  revoked:    no\n";
  } else {
    out += "  revocations:\n";
    for (const auto& rv : k.revocations) out += "    " + revocation_text(rv) + "\n";
  }
  if (k.endorsements.empty()) {
    out += "  endorsements: none\n";
  } else {
    out += "  endorsements:\n";
    for (const auto& e : k.endorsements) out += "    " + endorsement_text(e) + "\n";
  }
  return out;
}

std::string person_list_text(const std::vector<trust::Person>& people) {
  if (people.empty()) return "no people in the trust database\n";
  std::string out;
  for (const auto& p : people) {
    out += p.name;
    if (!p.display_name.empty()) out += "  " + p.display_name;
    if (!p.emails.empty()) out += "  <" + join(p.emails, ">, <") + ">";
    out += "  " + std::to_string(p.keys.size()) + (p.keys.size() == 1 ? " key" : " keys") + "\n";
  }
  return out;
}

std::string person_show_text(const trust::Person& p, const std::vector<KeyView>& keys) {
  std::string out = "person " + p.name + "\n";
  if (!p.display_name.empty()) out += "  name:   " + p.display_name + "\n";
  out += "  emails: " + (p.emails.empty() ? std::string("(none)") : join(p.emails, ", ")) + "\n";
  if (keys.empty()) {
    out += "  keys:   (none)\n";
  } else {
    out += "  keys:\n";
    for (const auto& k : keys) {
      out += "    " + k.key.id.str() + "  expires " + opt_time(k.key.expires, "never");
      if (!k.revocations.empty()) out += "  revoked: " + std::string(trust::to_string(k.revocations.front().reason));
      out += "\n";
    }
  }
  return out;
}

Document render_endorse(const app::EndorseResult& r, bool verbose) {
  const trust::Endorsement& e = r.endorsement;
  std::string text = "endorsement of " + e.target.str() + " by " + e.issuer.str() + ": " +
                     std::string(trust::to_string(r.put.outcome)) + " (amount " + std::to_string(e.amount) +
                     ", depth " + std::to_string(e.depth) + ")\n";
  if (!r.put.reason.empty()) text += "  " + r.put.reason + "\n";
  if (verbose) text += r.line + "\n";
  nlohmann::json j = {
      {"schema", 1}, {"outcome", trust::to_string(r.put.outcome)}, {"endorsement", to_json(e)}, {"statement", r.line}};
  if (!r.put.reason.empty()) j["reason"] = r.put.reason;
  return {text, j};
}

// --- trust check / trust path ---------------------------------------------

namespace {

/// A node name for text output: people by name, lone keys by short id.
std::string node_name(const std::string& node) {
  if (auto id = KeyId::parse(node)) return trust::short_key_id(*id);
  return node;
}

nlohmann::json hop_json(const trust::Hop& h) {
  return {{"issuer", h.issuer.str()}, {"target", h.target.str()}, {"from", h.from_node},  {"to", h.to_node},
          {"amount", h.amount},       {"depth", h.depth},         {"created", h.created}, {"scopes", h.scopes}};
}

nlohmann::json paths_json(const trust::TrustResult& r) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& p : r.paths) {
    nlohmann::json hops = nlohmann::json::array();
    for (const auto& h : p.hops) hops.push_back(hop_json(h));
    paths.push_back({{"amount", p.amount}, {"hops", hops}});
  }
  return paths;
}

/// "root alice -> kim -> bob" (a root itself: "root").
std::string path_line(const trust::TrustPath& p) {
  if (p.hops.empty()) return "root";
  std::string out = "root " + node_name(p.hops.front().from_node);
  for (const auto& h : p.hops) out += " -> " + node_name(h.to_node);
  return out;
}

/// "  blocked path: root you -> kim -> bob\n    kim -> bob: <why>\n" (indent = "  ").
std::string blocked_text(const trust::BlockedPath& b, const std::string& indent) {
  std::string out = indent + "blocked path: root " + node_name(b.hops.front().from_node);
  for (const auto& h : b.hops) out += " -> " + node_name(h.to_node);
  out += "\n";
  for (const auto& s : b.stops) {
    const trust::Hop* hop = s.hop >= 0 ? &b.hops[static_cast<size_t>(s.hop)] : nullptr;
    const std::string where = hop ? node_name(hop->from_node) + " -> " + node_name(hop->to_node)
                                  : "root " + node_name(b.hops.front().from_node);
    out += indent + "  " + where + ": " + block_text(s.block, hop) + "\n";
  }
  return out;
}

nlohmann::json blocked_json(const trust::TrustResult& r) {
  return r.blocked ? blocked_path_json(*r.blocked) : nlohmann::json(nullptr);
}

std::string key_with_node(const KeyId& key, const std::string& node) {
  return node == key.str() ? key.str() : key.str() + " (" + node + ")";
}

}  // namespace

Document render_trust_check(const app::TrustQuery& q, int required) {
  const auto& r = q.result;
  const bool pass = r.amount >= required;
  std::string text = q.target.label + ": trust " + std::to_string(r.amount) + " (required " + std::to_string(required) +
                     "): " + (pass ? "trusted" : "not trusted") + "\n";
  for (const auto& p : r.paths) text += "  " + std::to_string(p.amount) + "  " + path_line(p) + "\n";
  if (r.revoked) text += "  revoked\n";
  if (!r.note.empty()) text += "  note: " + r.note + "\n";
  if (r.blocked) text += blocked_text(*r.blocked, "  ");
  nlohmann::json j = {{"schema", 1},
                      {"target", q.target.name()},
                      {"amount", r.amount},
                      {"required", required},
                      {"verdict", pass ? "pass" : "fail"},
                      {"paths", paths_json(r)},
                      {"revoked", r.revoked},
                      {"note", r.note},
                      {"blocked", blocked_json(r)}};
  return {text, j};
}

Document render_trust_path(const app::TrustQuery& q) {
  const auto& r = q.result;
  std::string text =
      q.target.label + ": trust " + std::to_string(r.amount) + ", " + std::to_string(r.paths.size()) + " path(s)\n";
  int n = 0;
  for (const auto& p : r.paths) {
    text += "path " + std::to_string(++n) + " (amount " + std::to_string(p.amount) + "):";
    if (p.hops.empty())
      text += " the target is a root\n";
    else
      text += "\n";
    int i = 0;
    for (const auto& h : p.hops) {
      text += "  " + std::to_string(++i) + ". " + key_with_node(h.issuer, h.from_node) + " -> " +
              key_with_node(h.target, h.to_node) + "\n     amount " + std::to_string(h.amount) + ", depth " +
              std::to_string(h.depth) + ", created " + utc_time(h.created);
      for (const auto& s : h.scopes) text += ", scope " + s;
      text += "\n";
    }
  }
  if (r.revoked) text += "revoked\n";
  if (!r.note.empty()) text += "note: " + r.note + "\n";
  if (r.blocked) text += blocked_text(*r.blocked, "");
  nlohmann::json j = {{"schema", 1},
                      {"target", q.target.name()},
                      {"amount", r.amount},
                      {"paths", paths_json(r)},
                      {"revoked", r.revoked},
                      {"note", r.note},
                      {"blocked", blocked_json(r)}};
  return {text, j};
}

Document render_revoke(const app::RevokeResult& r, const std::string& reason) {
  const std::string kind = trust::is_hard(r.record.reason) ? "hard" : "soft";
  std::string text = "revoked " + r.key.str() + " (" + reason + ", " + kind + ") at " + utc_time(r.record.time) +
                     (r.record.statement ? ", signed" : ", local decision") + "\n";
  nlohmann::json j{{"schema", 1},
                   {"key", r.key.str()},
                   {"revocation", to_json(r.record)},
                   {"result", r.added ? "added" : "unchanged"}};
  return {text, j};
}

Document render_root_list(const std::vector<app::RootEntry>& roots, bool quiet) {
  Document doc;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : roots) {
    doc.text += r.id.str() + (r.person ? "  " + *r.person : "") + "\n";
    list.push_back({{"id", r.id.str()}, {"person", r.person ? nlohmann::json(*r.person) : nlohmann::json(nullptr)}});
  }
  if (roots.empty() && !quiet) doc.text = "no roots: add one with `vouch trust root add KEY`\n";
  doc.json = {{"schema", 1}, {"roots", list}};
  return doc;
}

Document render_root_change(const KeyId& key, bool add, bool changed) {
  const char* what =
      add ? (changed ? "root added: " : "already a root: ") : (changed ? "root removed: " : "not a root: ");
  return {what + key.str() + "\n",
          {{"schema", 1}, {"key", key.str()}, {"action", add ? "add" : "remove"}, {"changed", changed}}};
}

Document render_person_added(const trust::Person& p) {
  return {
      "added person " + p.name + " with " + std::to_string(p.keys.size()) + (p.keys.size() == 1 ? " key\n" : " keys\n"),
      {{"schema", 1}, {"added", to_json(p)}}};
}

Document render_person_key_added(const std::string& person, const KeyId& key, bool added) {
  return {added ? "added " + key.str() + " to person " + person + "\n"
                : key.str() + " already belongs to person " + person + "\n",
          {{"schema", 1}, {"person", person}, {"key", key.str()}, {"result", added ? "added" : "unchanged"}}};
}

Document render_person_removed(const std::string& person, const std::vector<KeyId>& keys_removed) {
  std::string text = "removed person " + person;
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : keys_removed) keys.push_back(k.str());
  if (!keys_removed.empty()) {
    text += " and " + std::to_string(keys_removed.size()) + (keys_removed.size() == 1 ? " key:" : " keys:");
    for (const auto& k : keys_removed) text += " " + k.str();
  }
  return {text + "\n", {{"schema", 1}, {"removed", person}, {"keys_removed", keys}}};
}

Document render_key_removed(const KeyId& key) {
  return {"removed " + key.str() + "\n", {{"schema", 1}, {"removed", key.str()}}};
}

}  // namespace vouch::report
