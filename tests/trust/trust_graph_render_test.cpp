// The trust graph as DOT and JSON: exact output for a small graph with a
// root, a person cluster, a revoked key, and edges that carry nothing drawn
// dashed with their reason (issuer revoked, endorsed key revoked, retracted,
// expired, not yet valid).
//
// The key ids are fixed strings rather than freshly made keys: rendering
// never looks at key material, and fixed ids let the test state the exact
// bytes `dot` receives.
#include "report/trust_graph_render.h"

#include <gtest/gtest.h>

namespace vouch::trust {
namespace {

const KeyId kAlice{KeyKind::ssh, "SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
const KeyId kBob{KeyKind::openpgp, "3690C240CE51B4670D30AD1C38EE757D69184620"};
const KeyId kCarol{KeyKind::ssh, "SHA256:CarolCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"};
const KeyId kDave{KeyKind::ssh, "SHA256:DaveDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"};
constexpr int64_t kAt = 1770000000;

Endorsement edge(const KeyId& from, const KeyId& to, int amount, int depth, int64_t created) {
  Endorsement e;
  e.issuer = from;
  e.target = to;
  e.amount = amount;
  e.depth = depth;
  e.created = created;
  return e;
}

GraphInput small_graph() {
  GraphInput in;
  in.at = kAt;
  in.people = {Person{"alice", "Alice Example", {"alice@example.org"}, {kAlice}},
               Person{"carol", "", {"carol@example.org", "c@example.net"}, {kCarol}}};
  in.wot.keys = {WotKey{kAlice, "alice", {"alice@example.org"}}, WotKey{kBob, std::nullopt, {}},
                 WotKey{kCarol, "carol", {"carol@example.org", "c@example.net"}}};
  in.wot.roots = {kAlice};
  in.wot.revocations = {RevocationRecord{kBob, RevocationReason::compromised, kAt - 50, std::nullopt, std::nullopt}};
  auto scoped = edge(kAlice, kBob, 120, 1, kAt - 100);
  scoped.scopes = {"*@example.org"};
  in.wot.endorsements = {
      scoped,
      edge(kBob, kCarol, 60, 0, kAt - 200),      // issuer hard-revoked: dashed
      edge(kAlice, kCarol, 120, 0, kAt - 300),   // replaced by the retraction below
      edge(kAlice, kCarol, 0, 0, kAt - 10),      // retraction: dashed
      edge(kCarol, kAlice, 60, 0, kAt + 10),     // made after `at`: dashed, not yet valid
  };
  auto expired = edge(kAlice, kDave, 120, 0, kAt - 300);
  expired.expires = kAt - 1;  // dashed, expired
  in.wot.endorsements.push_back(expired);
  return in;
}

TEST(ShortKeyId, SshKeepsThePrefixOpenPgpTheTail) {
  EXPECT_EQ(short_key_id(kAlice), "ssh:SHA256:AliceAAA…");
  EXPECT_EQ(short_key_id(kBob), "openpgp:…69184620");
  EXPECT_EQ(short_key_id(KeyId{KeyKind::ssh, "SHA256:short"}), "ssh:SHA256:short");
}

TEST(TrustGraphRender, DotForASmallGraph) {
  const std::string expected =
      "digraph trust {\n"
      "  rankdir=LR;\n"
      "  graph [fontname=\"Helvetica\", fontsize=12];\n"
      "  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10];\n"
      "  subgraph \"cluster_alice\" {\n"
      "    label=\"Alice Example (alice)\\nalice@example.org\";\n"
      "    style=\"rounded\";\n"
      "    color=\"gray40\";\n"
      "    \"ssh:SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" [label=\"ssh:SHA256:AliceAAA…\\nroot\", "
      "style=\"rounded,bold,filled\", fillcolor=\"gold\", penwidth=2];\n"
      "  }\n"
      "  subgraph \"cluster_carol\" {\n"
      "    label=\"carol\\ncarol@example.org\\nc@example.net\";\n"
      "    style=\"rounded\";\n"
      "    color=\"gray40\";\n"
      "    \"ssh:SHA256:CarolCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\" [label=\"ssh:SHA256:CarolCCC…\", "
      "style=\"rounded\"];\n"
      "  }\n"
      "  \"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620\" [label=\"openpgp:…69184620\\nrevoked "
      "(compromised)\", style=\"rounded,dashed\", color=\"red\", fontcolor=\"red\"];\n"
      "  \"ssh:SHA256:DaveDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\" [label=\"ssh:SHA256:DaveDDDD…\", style=\"rounded\"];\n"
      "  \"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620\" -> "
      "\"ssh:SHA256:CarolCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\" [label=\"60\\nissuer revoked\", style=\"dashed\", "
      "color=\"gray50\", fontcolor=\"gray50\"];\n"
      "  \"ssh:SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" -> "
      "\"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620\" [label=\"120, depth 1\\nscope *@example.org\\ntarget "
      "revoked\", penwidth=2, style=\"dashed\", color=\"gray50\", fontcolor=\"gray50\"];\n"
      "  \"ssh:SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" -> "
      "\"ssh:SHA256:CarolCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\" [label=\"0\\nretracted\", style=\"dashed\", "
      "color=\"gray50\", fontcolor=\"gray50\"];\n"
      "  \"ssh:SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" -> "
      "\"ssh:SHA256:DaveDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\" [label=\"120\\nexpired\", penwidth=2, "
      "style=\"dashed\", color=\"gray50\", fontcolor=\"gray50\"];\n"
      "  \"ssh:SHA256:CarolCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\" -> "
      "\"ssh:SHA256:AliceAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" [label=\"60\\nnot yet valid\", style=\"dashed\", "
      "color=\"gray50\", fontcolor=\"gray50\"];\n"
      "}\n";
  EXPECT_EQ(graph_to_dot(small_graph()), expected);
}

TEST(TrustGraphRender, SoftRevocationMarksTheKeyOnlyFromItsTime) {
  GraphInput in = small_graph();
  in.wot.revocations = {RevocationRecord{kBob, RevocationReason::superseded, kAt - 150, std::nullopt, std::nullopt}};
  std::string dot = graph_to_dot(in);
  EXPECT_NE(dot.find("revoked (superseded)"), std::string::npos);
  // Bob's endorsement of Carol was made before the soft revocation: it counts.
  EXPECT_NE(dot.find("[label=\"60\"];"), std::string::npos) << dot;

  // Bob's key is revoked from kAt - 150 on: Alice's endorsement of it carries nothing.
  EXPECT_NE(dot.find("scope *@example.org\\ntarget revoked\""), std::string::npos) << dot;

  in.at = kAt - 160;  // before the revocation: not marked; Alice's edge not yet made
  dot = graph_to_dot(in);
  EXPECT_EQ(dot.find("revoked"), std::string::npos) << dot;
  EXPECT_NE(dot.find("scope *@example.org\\nnot yet valid\""), std::string::npos) << dot;
}

TEST(TrustGraphRender, QuotesAndNewlinesInNamesAreEscaped) {
  GraphInput in;
  in.at = kAt;
  in.people = {Person{"eve", "Eve \"the\" \\Tester", {}, {kAlice}}};
  in.wot.keys = {WotKey{kAlice, "eve", {}}};
  EXPECT_NE(graph_to_dot(in).find("label=\"Eve \\\"the\\\" \\\\Tester (eve)\";"), std::string::npos)
      << graph_to_dot(in);
}

TEST(TrustGraphRender, JsonForASmallGraph) {
  auto j = graph_to_json(small_graph());
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["at"], kAt);
  ASSERT_EQ(j["people"].size(), 2u);
  EXPECT_EQ(j["people"][0], (nlohmann::json{{"name", "alice"},
                                            {"display_name", "Alice Example"},
                                            {"emails", {"alice@example.org"}},
                                            {"keys", {kAlice.str()}}}));
  ASSERT_EQ(j["keys"].size(), 4u);
  EXPECT_EQ(j["keys"][0], (nlohmann::json{{"id", kBob.str()},
                                          {"short", "openpgp:…69184620"},
                                          {"person", nullptr},
                                          {"root", false},
                                          {"revoked", {{"reason", "compromised"}, {"hard", true}, {"time", kAt - 50}}}}));
  EXPECT_EQ(j["keys"][1]["root"], true);
  ASSERT_EQ(j["edges"].size(), 5u);
  EXPECT_EQ(j["edges"][0], (nlohmann::json{{"issuer", kBob.str()},
                                           {"target", kCarol.str()},
                                           {"amount", 60},
                                           {"depth", 0},
                                           {"scopes", nlohmann::json::array()},
                                           {"created", kAt - 200},
                                           {"expires", nullptr},
                                           {"counts", false},
                                           {"blocked", "issuer revoked"}}));
  EXPECT_EQ(j["edges"][1]["counts"], false);
  EXPECT_EQ(j["edges"][1]["blocked"], "target revoked");
  EXPECT_EQ(j["edges"][1]["scopes"], nlohmann::json({"*@example.org"}));
  EXPECT_EQ(j["edges"][4]["blocked"], "not yet valid");
  // An edge that counts has no reason.
  GraphInput in = small_graph();
  in.wot.revocations.clear();
  auto clean = graph_to_json(in);
  EXPECT_EQ(clean["edges"][1]["counts"], true);
  EXPECT_EQ(clean["edges"][1]["blocked"], nullptr);
}

}  // namespace
}  // namespace vouch::trust
