// Tests for the web-of-trust computation (src/wot/wot.h). The computation
// is pure: it takes already-verified values, so the graphs here are built
// from plain structs (no keys or signatures are needed) and every test asserts
// exact amounts and exact paths.
#include "wot/wot.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vouch::trust {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kDay = 86'400;

KeyId K(const std::string& name) { return KeyId{KeyKind::ssh, "SHA256:" + name}; }

/// Builds a WotInput one statement at a time.
struct Web {
  WotInput in;

  Web& key(const std::string& name, std::optional<std::string> person = std::nullopt,
           std::vector<std::string> emails = {}) {
    in.keys.push_back(WotKey{K(name), std::move(person), std::move(emails)});
    return *this;
  }
  Web& root(const std::string& name) {
    in.roots.push_back(K(name));
    return *this;
  }
  Endorsement& endorse(const std::string& issuer, const std::string& target, int amount, int depth = 0,
                       int64_t created = kNow - 30 * kDay) {
    Endorsement e;
    e.issuer = K(issuer);
    e.target = K(target);
    e.amount = amount;
    e.depth = depth;
    e.created = created;
    in.endorsements.push_back(e);
    return in.endorsements.back();
  }
  Web& revoke(const std::string& name, RevocationReason reason, int64_t time) {
    in.revocations.push_back(RevocationRecord{K(name), reason, time, std::nullopt, std::nullopt});
    return *this;
  }
  TrustGraph graph(int64_t at = kNow, int64_t min_age = 0) const {
    WotOptions o;
    o.at = at;
    o.min_age = min_age;
    o.explain = true;
    return TrustGraph::build(in, o);
  }
};

/// A path as "node>node>node:amount", e.g. "SHA256:R>k1>SHA256:X:60" would be
/// unreadable, so nodes are shown by label with the "ssh:SHA256:" prefix cut.
std::string label(const std::string& node) {
  const std::string prefix = "ssh:SHA256:";
  return node.rfind(prefix, 0) == 0 ? node.substr(prefix.size()) : node;
}
std::vector<std::string> paths(const TrustResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.paths) {
    std::string s;
    for (size_t i = 0; i < p.hops.size(); ++i) {
      if (i == 0) s = label(p.hops[i].from_node);
      s += ">" + label(p.hops[i].to_node);
    }
    out.push_back((s.empty() ? "root" : s) + ":" + std::to_string(p.amount));
  }
  return out;
}
using Paths = std::vector<std::string>;

TEST(GlobMatch, StarQuestionAndCase) {
  EXPECT_TRUE(glob_match("*@example.org", "jia@example.org"));
  EXPECT_TRUE(glob_match("*@example.org", "JIA@Example.ORG"));
  EXPECT_FALSE(glob_match("*@example.org", "jia@example.org.evil"));
  EXPECT_FALSE(glob_match("*@example.org", "jia@evil.org"));
  EXPECT_TRUE(glob_match("j?a@*", "jia@x"));
  EXPECT_FALSE(glob_match("j?a@*", "ja@x"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYbZc"));
  EXPECT_FALSE(glob_match("", "a"));
}

TEST(Wot, SpecExampleTwoPeopleReachFullTrust) {
  Web w;
  w.key("R", "root").key("K1", "kim").key("K2", "lee").key("X").root("R");
  w.endorse("R", "K1", 60, 1);
  w.endorse("R", "K2", 60, 1);
  w.endorse("K1", "X", 120);
  w.endorse("K2", "X", 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 120);
  EXPECT_EQ(paths(r), (Paths{"root>kim>X:60", "root>lee>X:60"}));
  EXPECT_FALSE(r.revoked);
  EXPECT_EQ(r.note, "");
  ASSERT_EQ(r.paths[0].hops.size(), 2u);
  const Hop& h = r.paths[0].hops[0];
  EXPECT_EQ(h.issuer, K("R"));
  EXPECT_EQ(h.target, K("K1"));
  EXPECT_EQ(h.amount, 60);
  EXPECT_EQ(h.depth, 1);
  EXPECT_EQ(r.paths[0].hops[1].issuer, K("K1"));
  EXPECT_EQ(r.paths[0].hops[1].target, K("X"));
  EXPECT_EQ(r.paths[0].hops[1].amount, 120);
}

TEST(Wot, SpecExampleOnePersonWithTwoKeysStaysAtOneEndorsement) {
  Web w;
  w.key("R", "root").key("K1", "mallory").key("K2", "mallory").key("X").root("R");
  w.endorse("R", "K1", 60, 1);
  w.endorse("R", "K2", 60, 1);
  w.endorse("K1", "X", 120);
  w.endorse("K2", "X", 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 60);
  EXPECT_EQ(paths(r), (Paths{"root>mallory>X:60"}));
  EXPECT_EQ(r.paths[0].hops[0].target, K("K1"));
  EXPECT_EQ(r.paths[0].hops[1].issuer, K("K1"));
}

TEST(Wot, IntermediatePersonPassesOnAtMost120) {
  // Two roots give mallory 240 worth of edges; mallory still passes on only 120.
  Web w;
  w.key("R1").key("R2").key("M1", "mallory").key("M2", "mallory").key("B", "bob").key("C", "carol").key("X");
  w.root("R1").root("R2");
  w.endorse("R1", "M1", 120, 2);
  w.endorse("R2", "M2", 120, 2);
  w.endorse("M1", "B", 120, 1);
  w.endorse("M2", "C", 120, 1);
  w.endorse("B", "X", 120);
  w.endorse("C", "X", 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 120);
  EXPECT_EQ(paths(r), (Paths{"R1>mallory>bob>X:120"}));
}

TEST(Wot, DepthOneIntroducesOneHopDepthZeroNone) {
  Web w;
  w.key("R").key("A", "alice").key("B", "bob").root("R");
  w.endorse("R", "A", 120, 1);
  w.endorse("A", "B", 120, 0);
  EXPECT_EQ(paths(w.graph().trust_of_key(K("B"))), (Paths{"R>alice>bob:120"}));

  Web z;
  z.key("R").key("A", "alice").key("B", "bob").root("R");
  z.endorse("R", "A", 120, 0);
  z.endorse("A", "B", 120, 0);
  auto r = z.graph().trust_of_key(K("B"));
  EXPECT_EQ(r.amount, 0);
  EXPECT_TRUE(r.paths.empty());
  EXPECT_EQ(r.note, "no valid path from a root: the nearest one is blocked");
  ASSERT_TRUE(r.blocked.has_value());
  ASSERT_EQ(r.blocked->stops.size(), 1u);
  EXPECT_EQ(r.blocked->stops[0].hop, 0);
  EXPECT_EQ(r.blocked->stops[0].block.kind, BlockKind::depth);
  EXPECT_EQ(r.blocked->stops[0].block.needed, 1);
  EXPECT_EQ(r.blocked->hops.size(), 2u);
  EXPECT_EQ(z.graph().trust_of_key(K("A")).amount, 120);  // identity of A itself is fine
}

TEST(Wot, RemainingDepthIsTheMinimumAlongThePath) {
  // R -> A (depth 2) -> B (depth 1) -> X: A has 2 hops to go, B 1: valid.
  Web ok;
  ok.key("R").key("A").key("B").key("X").root("R");
  ok.endorse("R", "A", 120, 2);
  ok.endorse("A", "B", 120, 1);
  ok.endorse("B", "X", 120);
  EXPECT_EQ(paths(ok.graph().trust_of_key(K("X"))), (Paths{"R>A>B>X:120"}));

  // R -> A (depth 1) -> B (depth 5) -> X: A may only introduce one hop.
  Web no;
  no.key("R").key("A").key("B").key("X").root("R");
  no.endorse("R", "A", 120, 1);
  no.endorse("A", "B", 120, 5);
  no.endorse("B", "X", 120);
  EXPECT_EQ(no.graph().trust_of_key(K("X")).amount, 0);
  EXPECT_EQ(no.graph().trust_of_key(K("B")).amount, 120);

  // 255 is unlimited.
  Web inf;
  inf.key("R").key("A").key("B").key("C").key("X").root("R");
  inf.endorse("R", "A", 120, 255);
  inf.endorse("A", "B", 120, 255);
  inf.endorse("B", "C", 120, 255);
  inf.endorse("C", "X", 120);
  auto r = inf.graph().trust_of_key(K("X"));
  EXPECT_EQ(paths(r), (Paths{"R>A>B>C>X:120"}));
  EXPECT_EQ(r.paths[0].hops[0].depth, 255);
}

TEST(Wot, ScopeMustMatchOneOfTheTargetsEmails) {
  auto web = [](const std::string& email) {
    Web w;
    w.key("R").key("A", "alice").key("B", "bob", {email, "bob@personal.net"}).root("R");
    w.endorse("R", "A", 120, 1).scopes = {"*@example.org", "*@example.com"};
    w.endorse("A", "B", 120);
    return w;
  };
  auto in = web("Bob@Example.ORG").graph();
  EXPECT_EQ(paths(in.trust_of_key(K("B"))), (Paths{"R>alice>bob:120"}));
  EXPECT_EQ(in.trust_of_key(K("B")).paths[0].hops[0].scopes, (std::vector<std::string>{"*@example.org", "*@example.com"}));
  EXPECT_EQ(in.trust_of_person("bob").amount, 120);

  auto out = web("bob@evil.org").graph();
  EXPECT_EQ(out.trust_of_key(K("B")).amount, 0);
  // The scope restricts whom alice introduces, not alice herself.
  EXPECT_EQ(out.trust_of_key(K("A")).amount, 120);
}

TEST(Wot, KeyWithoutEmailsFailsEveryScope) {
  Web w;
  w.key("R").key("A").key("B").root("R");
  w.endorse("R", "A", 120, 1).scopes = {"*"};
  w.endorse("A", "B", 120);
  EXPECT_EQ(w.graph().trust_of_key(K("B")).amount, 0);
}

TEST(Wot, ExpiredEndorsementStopsCounting) {
  Web w;
  w.key("R").key("X").root("R");
  w.endorse("R", "X", 120, 0, kNow - kDay).expires = kNow + kDay;
  EXPECT_EQ(w.graph(kNow).trust_of_key(K("X")).amount, 120);
  EXPECT_EQ(w.graph(kNow + kDay - 1).trust_of_key(K("X")).amount, 120);
  EXPECT_EQ(w.graph(kNow + kDay).trust_of_key(K("X")).amount, 0);
  EXPECT_EQ(w.graph(kNow - kDay - 1).trust_of_key(K("X")).amount, 0);  // not made yet
}

TEST(Wot, NewerRetractionReplacesOlderEndorsement) {
  Web w;
  w.key("R").key("X").root("R");
  w.endorse("R", "X", 0, 0, kNow - kDay);  // listed first: order of the input does not matter
  w.endorse("R", "X", 120, 0, kNow - 10 * kDay);
  EXPECT_EQ(w.graph(kNow).trust_of_key(K("X")).amount, 0);
  EXPECT_EQ(w.graph(kNow - 5 * kDay).trust_of_key(K("X")).amount, 120);  // before the retraction

  // A newer partial endorsement replaces an older full one.
  Web p;
  p.key("R").key("X").root("R");
  p.endorse("R", "X", 120, 0, kNow - 10 * kDay);
  p.endorse("R", "X", 60, 0, kNow - kDay);
  EXPECT_EQ(paths(p.graph().trust_of_key(K("X"))), (Paths{"R>X:60"}));
}

TEST(Wot, TwoPartialPathsAddUpShortestFirst) {
  Web w;
  w.key("R1").key("R2").key("A", "alice").key("X").root("R1").root("R2");
  w.endorse("R2", "A", 120, 1);
  w.endorse("A", "X", 60);
  w.endorse("R1", "X", 60);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 120);
  EXPECT_EQ(paths(r), (Paths{"R1>X:60", "R2>alice>X:60"}));
}

TEST(Wot, FewestHopsWinOverHigherAmount) {
  Web w;
  w.key("R").key("A").key("X").root("R");
  w.endorse("R", "X", 30);
  w.endorse("R", "A", 120, 1);
  w.endorse("A", "X", 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 150);
  EXPECT_EQ(paths(r), (Paths{"R>X:30", "R>A>X:120"}));
}

TEST(Wot, SoftRevokedIssuerKeepsEarlierEndorsementsOnly) {
  Web w;
  // alice rotated from A to A2: the root endorses both, A is superseded.
  w.key("R").key("A", "alice").key("A2", "alice").key("X").key("Y").root("R");
  w.endorse("R", "A", 120, 1, kNow - 100 * kDay);
  w.endorse("R", "A2", 120, 1, kNow - 100 * kDay);
  w.endorse("A", "X", 120, 0, kNow - 20 * kDay);
  w.endorse("A", "Y", 120, 0, kNow - 5 * kDay);
  w.revoke("A", RevocationReason::superseded, kNow - 10 * kDay);
  auto g = w.graph();
  EXPECT_EQ(paths(g.trust_of_key(K("X"))), (Paths{"R>alice>X:120"}));
  EXPECT_EQ(g.trust_of_key(K("Y")).amount, 0);
  EXPECT_EQ(g.trust_of_key(K("Y")).blocked->stops.at(0).block.kind, BlockKind::issuer_revoked);
  // The revoked key itself has no trust from its revocation on.
  auto a = g.trust_of_key(K("A"));
  EXPECT_EQ(a.amount, 0);
  EXPECT_TRUE(a.revoked);
  EXPECT_EQ(a.note, "key revoked (superseded) at " + std::to_string(kNow - 10 * kDay));
  auto before = w.graph(kNow - 11 * kDay).trust_of_key(K("A"));
  EXPECT_EQ(before.amount, 120);
  EXPECT_FALSE(before.revoked);
}

// A key revoked at the reference time lends its person nothing: neither the
// endorsements it received nor a place on a path to others.
TEST(Wot, RevokedKeyLendsNothingToItsPerson) {
  Web w;
  w.key("R").key("P1", "pat").key("P2", "pat").key("X").root("R");
  w.endorse("R", "P1", 120, 1, kNow - 100 * kDay);
  w.endorse("P2", "X", 120, 0, kNow - 90 * kDay);
  EXPECT_EQ(w.graph().trust_of_person("pat").amount, 120);
  EXPECT_EQ(w.graph().trust_of_key(K("X")).amount, 120);
  w.revoke("P1", RevocationReason::retired, kNow - 10 * kDay);
  auto g = w.graph();
  auto pat = g.trust_of_person("pat");
  EXPECT_EQ(pat.amount, 0);
  ASSERT_TRUE(pat.blocked.has_value());
  EXPECT_EQ(pat.blocked->stops.at(0).block.kind, BlockKind::target_revoked);
  EXPECT_EQ(pat.blocked->stops.at(0).block.time, kNow - 10 * kDay);
  EXPECT_EQ(g.trust_of_key(K("X")).amount, 0);
  EXPECT_EQ(g.trust_of_key(K("P2")).amount, 0);
  // Before the soft revocation all of it held.
  EXPECT_EQ(w.graph(kNow - 11 * kDay).trust_of_person("pat").amount, 120);
  // A hard revocation: at every time.
  w.revoke("P1", RevocationReason::compromised, kNow - 5 * kDay);
  EXPECT_EQ(w.graph(kNow - 50 * kDay).trust_of_person("pat").amount, 0);
  // An unrevoked key of the same person still carries it.
  w.endorse("R", "P2", 60, 0, kNow - 100 * kDay);
  EXPECT_EQ(w.graph().trust_of_person("pat").amount, 60);
}

TEST(Wot, ExplanationsOnlyWhenAsked) {
  Web z;
  z.key("R").key("A").key("B").root("R");
  z.endorse("R", "A", 120, 0);
  z.endorse("A", "B", 120, 0);
  WotOptions o;
  o.at = kNow;
  auto r = TrustGraph::build(z.in, o).trust_of_key(K("B"));
  EXPECT_FALSE(r.blocked.has_value());
  EXPECT_EQ(r.note, "no path from a root");
}

TEST(Wot, SoftRevokedRootKeyIsNoRootFromItsRevocationOn) {
  Web w;
  w.key("R", "owner").key("R2", "owner").key("X").root("R");
  w.endorse("R", "X", 120, 0, kNow - 100 * kDay);
  w.revoke("R", RevocationReason::superseded, kNow - 10 * kDay);
  EXPECT_EQ(w.graph(kNow - 11 * kDay).trust_of_key(K("X")).amount, 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 0);
  ASSERT_TRUE(r.blocked.has_value());
  EXPECT_EQ(r.blocked->stops.at(0).hop, -1);
  EXPECT_EQ(r.blocked->stops.at(0).block.kind, BlockKind::root_revoked);
  EXPECT_EQ(r.blocked->stops.at(0).block.key, K("R"));
  EXPECT_EQ(w.graph().trust_of_person("owner").amount, 0);
}

TEST(Wot, HardRevokedIssuerNeverCounts) {
  Web w;
  w.key("R").key("A", "alice").key("X").root("R");
  w.endorse("R", "A", 120, 1, kNow - 100 * kDay);
  w.endorse("A", "X", 120, 0, kNow - 50 * kDay);
  w.revoke("A", RevocationReason::compromised, kNow - 10 * kDay);
  for (int64_t at : {kNow, kNow - 40 * kDay}) {
    auto g = w.graph(at);
    EXPECT_EQ(g.trust_of_key(K("X")).amount, 0) << at;
    auto a = g.trust_of_key(K("A"));
    EXPECT_EQ(a.amount, 0);
    EXPECT_TRUE(a.revoked);
    EXPECT_EQ(a.note, "key revoked (compromised): no trust at any time");
  }
}

TEST(Wot, HardRevokedRootIsNoRoot) {
  Web w;
  w.key("R").key("X").root("R");
  w.endorse("R", "X", 120);
  w.revoke("R", RevocationReason::unspecified, kNow);
  auto g = w.graph();
  EXPECT_EQ(g.trust_of_key(K("R")).amount, 0);
  EXPECT_EQ(g.trust_of_key(K("X")).amount, 0);
}

TEST(Wot, ProbationExcludesYoungEndorsements) {
  Web w;
  w.key("R").key("X").root("R");
  w.endorse("R", "X", 120, 0, kNow - 3 * kDay);
  EXPECT_EQ(w.graph(kNow, 7 * kDay).trust_of_key(K("X")).amount, 0);
  EXPECT_EQ(w.graph(kNow, 3 * kDay).trust_of_key(K("X")).amount, 120);  // exactly old enough
  EXPECT_EQ(w.graph(kNow, 1 * kDay).trust_of_key(K("X")).amount, 120);
  EXPECT_EQ(w.graph(kNow + 4 * kDay, 7 * kDay).trust_of_key(K("X")).amount, 120);
}

TEST(Wot, CyclesTerminate) {
  Web w;
  w.key("R").key("A").key("B").key("X").key("C").key("D").root("R");
  w.endorse("R", "A", 120, 255);
  w.endorse("A", "B", 120, 255);
  w.endorse("B", "A", 120, 255);
  w.endorse("B", "X", 120);
  w.endorse("C", "D", 120, 255);  // a cycle no root reaches
  w.endorse("D", "C", 120, 255);
  auto g = w.graph();
  EXPECT_EQ(paths(g.trust_of_key(K("X"))), (Paths{"R>A>B>X:120"}));
  EXPECT_EQ(g.trust_of_key(K("C")).amount, 0);
}

TEST(Wot, TwoIndependentFullPathsMake240) {
  Web w;
  w.key("R", "owner").key("A", "alice").key("B", "bob").key("X").root("R");
  w.endorse("R", "A", 120, 1);
  w.endorse("R", "B", 120, 1);
  w.endorse("A", "X", 120);
  w.endorse("B", "X", 120);
  auto r = w.graph().trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 240);
  EXPECT_EQ(paths(r), (Paths{"owner>alice>X:120", "owner>bob>X:120"}));

  // The same two keys held by one person: one path's worth.
  Web one;
  one.key("R", "owner").key("A", "alice").key("B", "alice").key("X").root("R");
  one.endorse("R", "A", 120, 1);
  one.endorse("R", "B", 120, 1);
  one.endorse("A", "X", 120);
  one.endorse("B", "X", 120);
  EXPECT_EQ(paths(one.graph().trust_of_key(K("X"))), (Paths{"owner>alice>X:120"}));
}

TEST(Wot, PathLimitIsReported) {
  Web w;
  w.key("R").key("A").key("B").key("X").root("R");
  w.endorse("R", "A", 120, 1);
  w.endorse("R", "B", 120, 1);
  w.endorse("A", "X", 120);
  w.endorse("B", "X", 120);
  WotOptions o;
  o.at = kNow;
  o.max_paths = 1;
  auto r = TrustGraph::build(w.in, o).trust_of_key(K("X"));
  EXPECT_EQ(r.amount, 120);
  EXPECT_EQ(r.note, "stopped at the path limit (1); more trust exists");
  o.max_paths = 2;
  EXPECT_EQ(TrustGraph::build(w.in, o).trust_of_key(K("X")).note, "");
  o.max_paths = 64;
  o.stop_at = 100;
  EXPECT_EQ(TrustGraph::build(w.in, o).trust_of_key(K("X")).amount, 120);
}

TEST(Wot, RootKeyAndRootPerson) {
  Web w;
  w.key("R1", "owner").key("R2", "owner").key("X").root("R1");
  w.endorse("R2", "X", 120);  // the owner's other key speaks for the root person
  auto g = w.graph();
  auto r = g.trust_of_key(K("R1"));
  EXPECT_EQ(r.amount, 120);
  EXPECT_EQ(paths(r), (Paths{"root:120"}));
  EXPECT_EQ(r.note, "root");
  EXPECT_EQ(g.trust_of_key(K("R2")).amount, 120);
  EXPECT_EQ(g.trust_of_person("owner").amount, 120);
  EXPECT_EQ(paths(g.trust_of_key(K("X"))), (Paths{"owner>X:120"}));
}

TEST(Wot, KeyTrustNeedsAnEndorsementOfThatKey) {
  Web w;
  w.key("R").key("J1", "jia").key("J2", "jia").root("R");
  w.endorse("R", "J1", 120);
  auto g = w.graph();
  EXPECT_EQ(g.trust_of_key(K("J1")).amount, 120);
  EXPECT_EQ(g.trust_of_key(K("J2")).amount, 0);
  EXPECT_EQ(paths(g.trust_of_person("jia")), (Paths{"R>jia:120"}));
}

TEST(Wot, UnknownKeyAndPerson) {
  Web w;
  w.key("R").root("R");
  auto g = w.graph();
  auto k = g.trust_of_key(K("nope"));
  EXPECT_EQ(k.amount, 0);
  EXPECT_EQ(k.note, "unknown key ssh:SHA256:nope");
  EXPECT_EQ(g.trust_of_person("nobody").note, "unknown person nobody");
}

TEST(Wot, OutOfRangeInputIsClampedTowardLessTrust) {
  Web w;
  w.key("R").key("A").key("X").root("R");
  w.endorse("R", "A", 500, -3);
  w.endorse("A", "X", 120);
  auto g = w.graph();
  EXPECT_EQ(paths(g.trust_of_key(K("A"))), (Paths{"R>A:120"}));
  EXPECT_EQ(g.trust_of_key(K("X")).amount, 0);  // depth -3 is depth 0
}

TEST(Wot, EndorsementsBetweenTwoPeopleKeepTheirOwnDepth) {
  // Between root and pat there are two endorsements: 120 identity-only and
  // 60 with depth 1. The pair carries at most 120, but only the second may
  // introduce, so X gets 60 through it.
  Web w;
  w.key("R").key("P1", "pat").key("P2", "pat").key("X").root("R");
  w.endorse("R", "P1", 120, 0);
  w.endorse("R", "P2", 60, 1);
  w.endorse("P1", "X", 120);
  auto g = w.graph();
  auto r = g.trust_of_key(K("X"));
  EXPECT_EQ(paths(r), (Paths{"R>pat>X:60"}));
  EXPECT_EQ(r.paths[0].hops[0].target, K("P2"));
  EXPECT_EQ(paths(g.trust_of_person("pat")), (Paths{"R>pat:120"}));
}

TEST(Wot, RandomGraphsGiveConsistentPaths) {
  // Invariants on many small random graphs: every path starts at a root,
  // ends in the target key, repeats no node, obeys the depth rule and carries
  // no more than its weakest endorsement; no node pair carries more than 120,
  // no intermediate node passes on more than 120; the amount is the sum.
  uint64_t s = 88172645463325252ULL;
  auto rnd = [&](uint64_t n) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s % n;
  };
  for (int round = 0; round < 300; ++round) {
    Web w;
    const int n = 12;
    for (int k = 0; k < n; ++k) {
      if (rnd(3) == 0)
        w.key("k" + std::to_string(k));
      else
        w.key("k" + std::to_string(k), "p" + std::to_string(k / 2));
    }
    w.root("k0").root("k1");
    for (int e = 0; e < 40; ++e) {
      int depth = static_cast<int>(rnd(4));
      w.endorse("k" + std::to_string(rnd(n)), "k" + std::to_string(rnd(n)), rnd(2) ? 120 : 40 + 20 * static_cast<int>(rnd(3)),
                depth == 3 ? 255 : depth);
    }
    auto g = w.graph();
    std::set<std::string> roots;
    for (const char* r : {"k0", "k1"}) {
      auto rk = K(r);
      for (const auto& k : w.in.keys)
        if (k.id == rk) roots.insert(k.person ? *k.person : rk.str());
    }
    for (int t = 2; t < n; ++t) {
      auto r = g.trust_of_key(K("k" + std::to_string(t)));
      int sum = 0;
      std::map<std::pair<std::string, std::string>, int> pair_use;
      std::map<std::string, int> node_use;
      std::map<std::pair<std::string, std::string>, std::pair<int, int>> endorsement_use;  // used, amount
      for (const auto& p : r.paths) {
        sum += p.amount;
        ASSERT_GT(p.amount, 0);
        if (p.hops.empty()) continue;
        EXPECT_TRUE(roots.count(p.hops.front().from_node)) << round;
        EXPECT_EQ(p.hops.back().target, K("k" + std::to_string(t)));
        std::set<std::string> seen{p.hops.front().from_node};
        const int k = static_cast<int>(p.hops.size());
        for (int i = 0; i < k; ++i) {
          const Hop& h = p.hops[static_cast<size_t>(i)];
          EXPECT_LE(p.amount, h.amount);
          EXPECT_TRUE(seen.insert(h.to_node).second) << "node repeated in round " << round;
          if (i + 1 < k) {
            EXPECT_GE(h.depth, k - 1 - i) << round;  // hops still to go after h.to_node
            node_use[h.to_node] += p.amount;
          }
          pair_use[{h.from_node, h.to_node}] += p.amount;
          auto& use = endorsement_use[{h.issuer.str(), h.target.str()}];
          use.first += p.amount;
          use.second = h.amount;
        }
      }
      EXPECT_EQ(r.amount, sum);
      for (const auto& [pr, used] : pair_use) EXPECT_LE(used, 120) << round;
      for (const auto& [node, used] : node_use) EXPECT_LE(used, 120) << round;
      for (const auto& [pr, use] : endorsement_use) EXPECT_LE(use.first, use.second) << round;
    }
  }
}

}  // namespace
}  // namespace vouch::trust
