#include "report/trust_graph_render.h"

#include "report/graph_image.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace vouch::trust {
namespace {

struct KeyNode {
  KeyId id;
  std::optional<std::string> person;
  bool root = false;
  std::optional<Block> revoked;  ///< the revocation in effect at `at`
};

struct Edge {
  const Endorsement* e = nullptr;
  std::optional<Block> block;  ///< why it carries nothing (wot.h's rule)
  bool same_person = false;    ///< inside one person: says nothing about trust
  bool counts() const { return !block && !same_person; }
  std::string blocked_label() const {
    return same_person ? "same person" : block ? std::string(to_string(block->kind)) : "";
  }
};

/// The picture's content, shared by both renderings.
struct Model {
  std::map<std::string, KeyNode> keys;          ///< by KeyId::str()
  std::map<std::string, const Person*> people;  ///< people with at least one key or listed
  std::vector<Edge> edges;                      ///< by issuer, then target
};

KeyNode& node_for(Model& m, const KeyId& id) {
  auto [it, inserted] = m.keys.try_emplace(id.str());
  if (inserted) it->second.id = id;
  return it->second;
}

Model build_model(const GraphInput& in) {
  // The same graph the trust computation builds, for the same rules.
  const TrustGraph graph = TrustGraph::build(in.wot, WotOptions{in.at, in.min_age});
  Model m;
  for (const auto& p : in.people) m.people[p.name] = &p;
  for (const auto& k : in.wot.keys) node_for(m, k.id).person = k.person;
  for (const auto& r : in.wot.roots) node_for(m, r).root = true;
  for (const auto& e : in.wot.endorsements) {
    node_for(m, e.issuer);
    node_for(m, e.target);
  }
  for (auto& [id, node] : m.keys) node.revoked = graph.revocation_of(node.id);

  // The statement in force per pair: the newest made at or before `at` (on
  // a tie the lower amount, as wot.cpp decides); a pair with none yet shows
  // its first statement still to come, as "not yet valid".
  std::map<std::pair<std::string, std::string>, const Endorsement*> in_force;
  for (const auto& e : in.wot.endorsements) {
    auto& slot = in_force[{e.issuer.str(), e.target.str()}];
    const bool e_now = e.created <= in.at;
    if (!slot) {
      slot = &e;
      continue;
    }
    const bool slot_now = slot->created <= in.at;
    if (e_now != slot_now) {
      if (e_now) slot = &e;
    } else if (e_now ? (e.created > slot->created || (e.created == slot->created && e.amount < slot->amount))
                     : e.created < slot->created) {
      slot = &e;
    }
  }
  for (const auto& [pair, e] : in_force) {
    const KeyNode& from = node_for(m, e->issuer);
    const KeyNode& to = node_for(m, e->target);
    Edge edge{e, graph.static_block(*e), false};
    if (from.person && to.person && *from.person == *to.person) edge.same_person = true;
    m.edges.push_back(std::move(edge));
  }
  return m;
}

/// A DOT quoted string: backslash and quote escaped, newlines as \n.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string key_line(const KeyNode& k, const std::string& indent) {
  std::string label = short_key_id(k.id);
  std::vector<std::string> styles = {"rounded"};
  std::string extra;
  if (k.root) {
    label += "\nroot";
    styles.insert(styles.end(), {"bold", "filled"});
    extra += ", fillcolor=\"gold\", penwidth=2";
  }
  if (k.revoked) {
    label += "\nrevoked (" + std::string(to_string(k.revoked->reason)) + ")";
    styles.push_back("dashed");
    extra += ", color=\"red\", fontcolor=\"red\"";
  }
  std::string style;
  for (const auto& s : styles) style += (style.empty() ? "" : ",") + s;
  return indent + quote(k.id.str()) + " [label=" + quote(label) + ", style=" + quote(style) + extra + "];\n";
}

std::string edge_label(const Endorsement& e) {
  std::string label = std::to_string(e.amount);
  if (e.depth == kUnlimitedDepth)
    label += ", depth unlimited";
  else if (e.depth > 0)
    label += ", depth " + std::to_string(e.depth);
  for (const auto& s : e.scopes) label += "\nscope " + s;
  return label;
}

nlohmann::json opt(const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

std::string short_key_id(const KeyId& id) {
  constexpr size_t kShown = 8;
  if (id.kind == KeyKind::openpgp) {
    if (id.id.size() <= kShown) return id.str();
    return "openpgp:…" + id.id.substr(id.id.size() - kShown);
  }
  constexpr std::string_view kPrefix = "SHA256:";
  if (id.id.size() <= kPrefix.size() + kShown) return id.str();
  return "ssh:" + id.id.substr(0, kPrefix.size() + kShown) + "…";
}

std::string graph_to_dot(const GraphInput& in) {
  Model m = build_model(in);
  std::string out =
      "digraph trust {\n"
      "  rankdir=LR;\n"
      "  graph [fontname=\"Helvetica\", fontsize=12];\n"
      "  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  std::map<std::string, std::vector<const KeyNode*>> by_person;
  for (const auto& [id, k] : m.keys)
    if (k.person) by_person[*k.person].push_back(&k);
  for (const auto& [name, keys] : by_person) {
    std::string label = name;
    auto it = m.people.find(name);
    if (it != m.people.end()) {
      const Person& p = *it->second;
      if (!p.display_name.empty() && p.display_name != name) label = p.display_name + " (" + name + ")";
      for (const auto& e : p.emails) label += "\n" + e;
    }
    out += "  subgraph " + quote("cluster_" + name) + " {\n";
    out += "    label=" + quote(label) + ";\n    style=\"rounded\";\n    color=\"gray40\";\n";
    for (const auto* k : keys) out += key_line(*k, "    ");
    out += "  }\n";
  }
  for (const auto& [id, k] : m.keys)
    if (!k.person) out += key_line(k, "  ");
  for (const auto& edge : m.edges) {
    const Endorsement& e = *edge.e;
    std::string label = edge_label(e);
    if (!edge.counts()) label += "\n" + edge.blocked_label();
    out += "  " + quote(e.issuer.str()) + " -> " + quote(e.target.str()) + " [label=" + quote(label);
    if (e.amount >= kFullTrust) out += ", penwidth=2";
    if (!edge.counts()) out += ", style=\"dashed\", color=\"gray50\", fontcolor=\"gray50\"";
    out += "];\n";
  }
  out += "}\n";
  return out;
}

nlohmann::json graph_to_json(const GraphInput& in) {
  Model m = build_model(in);
  nlohmann::json people = nlohmann::json::array();
  for (const auto& [name, p] : m.people) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& [id, k] : m.keys)
      if (k.person && *k.person == name) keys.push_back(id);
    people.push_back({{"name", name}, {"display_name", p->display_name}, {"emails", p->emails}, {"keys", keys}});
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [id, k] : m.keys) {
    nlohmann::json revoked = nullptr;
    if (k.revoked)
      revoked = {{"reason", to_string(k.revoked->reason)}, {"hard", k.revoked->hard}, {"time", k.revoked->time}};
    keys.push_back({{"id", id},
                    {"short", short_key_id(k.id)},
                    {"person", k.person ? nlohmann::json(*k.person) : nlohmann::json(nullptr)},
                    {"root", k.root},
                    {"revoked", revoked}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& edge : m.edges) {
    const Endorsement& e = *edge.e;
    edges.push_back({{"issuer", e.issuer.str()},
                     {"target", e.target.str()},
                     {"amount", e.amount},
                     {"depth", e.depth},
                     {"scopes", e.scopes},
                     {"created", e.created},
                     {"expires", opt(e.expires)},
                     {"counts", edge.counts()},
                     {"blocked", edge.counts() ? nlohmann::json(nullptr) : nlohmann::json(edge.blocked_label())}});
  }
  return {{"schema", 1}, {"at", in.at}, {"people", people}, {"keys", keys}, {"edges", edges}};
}

Result<std::string> render_graph(const GraphInput& in, std::string_view format) {
  if (format == "json") return graph_to_json(in).dump(2) + "\n";
  if (format == "dot") return graph_to_dot(in);
  if (format == "svg") return render_dot(graph_to_dot(in), ImageFormat::svg);
  if (format == "png") return render_dot(graph_to_dot(in), ImageFormat::png);
  return make_error(ErrorKind::bad_input,
                    "trust graph: unknown format " + std::string(format) + " (expected dot, json, svg or png)");
}

}  // namespace vouch::trust
