// The trust commands end to end: the real vouch binary, real ssh-keygen keys,
// real signed endorsements, a real SQLite file in each test's TempDir.
// VOUCH_NOW pins "now" for every call, so that statements made one after the
// other have distinct creation times and checks can look at chosen moments.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "bundle/bundle_manifest.h"
#include "crypto/digest.h"
#include "e2e_support.h"
#include "trustdb/store.h"
#include "util/base64.h"

namespace vouch::test {
namespace {

constexpr int64_t kT0 = 1770000000;
constexpr int64_t kDay = 86400;

class TrustE2E : public ::testing::Test {
 protected:
  /// vouch --db DB ARGS at time `now`.
  RunResult v(std::vector<std::string> args, int64_t now) {
    args.insert(args.begin(), {"--db", db_});
    return vouch(args, dir_.path(), {{"VOUCH_NOW", std::to_string(now)}});
  }
  /// Like v() but the exit code must be `expected`; returns stdout.
  std::string ok(std::vector<std::string> args, int64_t now, int expected = 0) {
    RunResult r = v(args, now);
    EXPECT_EQ(r.exit_code, expected) << "vouch " << testing::PrintToString(args) << "\n" << r.out << r.err;
    return r.out;
  }
  nlohmann::json json(std::vector<std::string> args, int64_t now, int expected) {
    args.insert(args.begin(), {"--format", "json"});
    auto j = nlohmann::json::parse(ok(args, now, expected), nullptr, false);
    EXPECT_FALSE(j.is_discarded());
    return j;
  }
  /// A fresh SSH key, imported into the database.
  SshKey key(const std::string& name) {
    SshKey k = make_ssh_key(dir_.path(), name, "ed25519");
    ok({"key", "import", k.public_path}, kT0 - 1000);
    return k;
  }
  static std::string id(const SshKey& k) { return "ssh:" + k.fingerprint; }
  /// The short id pictures and path lines use (trust_graph_render.h short_key_id).
  static std::string short_id(const SshKey& k) { return "ssh:" + k.fingerprint.substr(0, 15) + "\u2026"; }
  void endorse(const SshKey& issuer, const SshKey& target, int64_t now, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"endorse", target.public_path, "--as", issuer.private_path};
    args.insert(args.end(), extra.begin(), extra.end());
    ok(args, now);
  }
  /// Trust amount of TARGET (key file or person) at `now`.
  int amount(const std::string& target, int64_t now, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"trust", "check", target};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.begin(), {"--format", "json"});
    RunResult r = v(args, now);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (j.is_discarded() || !j.contains("amount")) {
      ADD_FAILURE() << r.out << r.err;
      return -1;
    }
    EXPECT_EQ(r.exit_code, j["amount"].get<int>() >= j["required"].get<int>() ? 0 : 1) << r.out;
    return j["amount"].get<int>();
  }

  TempDir dir_;
  std::string db_ = dir_ / "trust.db";
};

TEST_F(TrustE2E, DepthOneTrustsTheNextHopDepthZeroDoesNot) {
  SshKey root = key("root"), a = key("a"), b = key("b");
  EXPECT_EQ(ok({"trust", "root", "add", root.public_path}, kT0), "root added: " + id(root) + "\n");
  EXPECT_EQ(ok({"trust", "root", "add", id(root)}, kT0), "already a root: " + id(root) + "\n");
  EXPECT_EQ(ok({"trust", "root", "list"}, kT0), id(root) + "\n");

  EXPECT_EQ(ok({"endorse", a.public_path, "--as", root.private_path, "--depth", "1"}, kT0),
            "endorsement of " + id(a) + " by " + id(root) + ": added (amount 120, depth 1)\n");
  endorse(a, b, kT0 + 1);
  auto j = json({"trust", "check", b.public_path}, kT0 + 10, 0);
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["target"], id(b));
  EXPECT_EQ(j["amount"], 120);
  EXPECT_EQ(j["required"], 120);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["revoked"], false);
  ASSERT_EQ(j["paths"].size(), 1u);
  EXPECT_EQ(j["paths"][0]["amount"], 120);
  ASSERT_EQ(j["paths"][0]["hops"].size(), 2u);
  EXPECT_EQ(j["paths"][0]["hops"][0]["issuer"], id(root));
  EXPECT_EQ(j["paths"][0]["hops"][0]["depth"], 1);
  EXPECT_EQ(j["paths"][0]["hops"][1]["target"], id(b));

  // The path, hop by hop, with the endorsement that makes each hop.
  EXPECT_EQ(ok({"trust", "path", id(b)}, kT0 + 10),
            id(b) + ": trust 120, 1 path(s)\npath 1 (amount 120):\n  1. " + id(root) + " -> " + id(a) +
                "\n     amount 120, depth 1, created 2026-02-02T02:40:00Z\n  2. " + id(a) + " -> " + id(b) +
                "\n     amount 120, depth 0, created 2026-02-02T02:40:01Z\n");

  // The root re-endorses A as identity-only: the newer statement replaces
  // the older one and A may no longer introduce B.
  EXPECT_EQ(ok({"endorse", a.public_path, "--as", root.private_path, "--depth", "0"}, kT0 + 20),
            "endorsement of " + id(a) + " by " + id(root) + ": replaced (amount 120, depth 0)\n");
  EXPECT_EQ(amount(b.public_path, kT0 + 30), 0);
  EXPECT_EQ(amount(a.public_path, kT0 + 30), 120);
  // The path is there but blocked: the check says which edge and why.
  EXPECT_EQ(v({"trust", "check", b.public_path}, kT0 + 30).out,
            id(b) + ": trust 0 (required 120): not trusted\n  note: no valid path from a root: the nearest one is "
                    "blocked\n  blocked path: root " + short_id(root) + " -> " + short_id(a) + " -> " + short_id(b) +
                "\n    " + short_id(root) + " -> " + short_id(a) + ": depth exhausted: depth 0, but 1 more hop follows\n");
  // An older statement for the same pair never replaces a newer one.
  EXPECT_EQ(ok({"endorse", a.public_path, "--as", root.private_path, "--depth", "1"}, kT0 + 5),
            "endorsement of " + id(a) + " by " + id(root) + ": ignored-older (amount 120, depth 1)\n  endorsement of " +
                id(a) + " by " + id(root) + " created 1770000005 is not newer than the stored one (created " +
                "1770000020); keeping the stored one\n");
}

TEST_F(TrustE2E, ScopeExcludesATargetOutsideIt) {
  SshKey root = key("root"), a = key("a"), bob = key("bob"), carol = key("carol");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "bob", "--email", "bob@other.net", "--key", id(bob)}, kT0);
  ok({"person", "add", "carol", "--email", "carol@example.org", "--key", id(carol)}, kT0);
  endorse(root, a, kT0, {"--depth", "1", "--scope", "*@example.org"});
  endorse(a, bob, kT0 + 1);
  endorse(a, carol, kT0 + 2);
  EXPECT_EQ(amount("bob", kT0 + 10), 0);
  EXPECT_EQ(amount("carol", kT0 + 10), 120);
  // The path shows the scope that let carol in.
  EXPECT_NE(ok({"trust", "path", "carol"}, kT0 + 10).find("depth 1, created 2026-02-02T02:40:00Z, scope *@example.org"),
            std::string::npos);
}

TEST_F(TrustE2E, ExpiredEndorsementNoLongerCounts) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0, {"--expires", "30d"});
  EXPECT_EQ(amount(a.public_path, kT0 + 10, {"--at", std::to_string(kT0 + 29 * kDay)}), 120);
  EXPECT_EQ(amount(a.public_path, kT0 + 10, {"--at", std::to_string(kT0 + 30 * kDay)}), 0);
  EXPECT_EQ(amount(a.public_path, kT0 + 10, {"--at", "2026-03-31"}), 0);
  // Expired edges are drawn dashed, with the reason.
  std::string dot = ok({"trust", "graph", "--at", std::to_string(kT0 + 31 * kDay)}, kT0);
  EXPECT_NE(dot.find("[label=\"120\\nexpired\", penwidth=2, style=\"dashed\", color=\"gray50\""), std::string::npos)
      << dot;
  // And the check names the expired edge.
  EXPECT_NE(ok({"trust", "check", a.public_path, "--at", std::to_string(kT0 + 30 * kDay)}, kT0, 1)
                .find(": expired at 2026-03-04T02:40:00Z\n"),
            std::string::npos);
}

TEST_F(TrustE2E, AmountZeroRetracts) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0);
  EXPECT_EQ(amount(a.public_path, kT0 + 5), 120);
  EXPECT_NE(ok({"trust", "graph"}, kT0 + 5).find(" -> "), std::string::npos);
  EXPECT_EQ(ok({"endorse", a.public_path, "--as", root.private_path, "--amount", "0"}, kT0 + 10),
            "endorsement of " + id(a) + " by " + id(root) + ": replaced (amount 0, depth 0)\n");
  EXPECT_EQ(amount(a.public_path, kT0 + 20), 0);
  EXPECT_NE(ok({"trust", "graph"}, kT0 + 20).find("[label=\"0\\nretracted\", style=\"dashed\""),
            std::string::npos);  // retracted: drawn dashed
  EXPECT_NE(ok({"trust", "check", a.public_path}, kT0 + 20, 1).find(": retracted (amount 0, created "),
            std::string::npos);
  // The database keeps only the newest statement per pair: looking back to
  // before the retraction does not bring the retracted endorsement back.
  EXPECT_EQ(amount(a.public_path, kT0 + 20, {"--at", std::to_string(kT0 + 5)}), 0);
}

TEST_F(TrustE2E, TwoIndependentPartialPathsAddUp) {
  SshKey root = key("root"), p1 = key("p1"), p2 = key("p2"), x = key("x");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, p1, kT0, {"--depth", "1"});
  endorse(root, p2, kT0, {"--depth", "1"});
  endorse(p1, x, kT0 + 1, {"--partial"});
  EXPECT_EQ(amount(x.public_path, kT0 + 10), 60);
  endorse(p2, x, kT0 + 2, {"--partial"});
  auto j = json({"trust", "check", x.public_path}, kT0 + 10, 0);
  EXPECT_EQ(j["amount"], 120);
  EXPECT_EQ(j["paths"].size(), 2u);
  json({"trust", "check", x.public_path, "--amount", "240"}, kT0 + 10, 1);
}

// Threat 17: the spec's example. R endorses K1 and K2 at 60 with depth 1;
// both endorse X fully.
TEST_F(TrustE2E, Threat17TwoKeysOfOnePersonCountOnce) {
  SshKey root = key("root"), k1 = key("k1"), k2 = key("k2"), x = key("x");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, k1, kT0, {"--amount", "60", "--depth", "1"});
  endorse(root, k2, kT0, {"--amount", "60", "--depth", "1"});
  endorse(k1, x, kT0 + 1);
  endorse(k2, x, kT0 + 1);

  // Two people: 60 + 60.
  ok({"person", "add", "kim", "--key", id(k1)}, kT0 + 2);
  ok({"person", "add", "lee", "--key", id(k2)}, kT0 + 2);
  EXPECT_EQ(amount(x.public_path, kT0 + 10), 120);

  // The same statements in a second database, both keys one person's: 60.
  db_ = dir_ / "one.db";
  SshKey r2 = key("r2"), m1 = key("m1"), m2 = key("m2"), y = key("y");
  ok({"trust", "root", "add", id(r2)}, kT0);
  endorse(r2, m1, kT0, {"--amount", "60", "--depth", "1"});
  endorse(r2, m2, kT0, {"--amount", "60", "--depth", "1"});
  endorse(m1, y, kT0 + 1);
  endorse(m2, y, kT0 + 1);
  ok({"person", "add", "mallory", "--key", id(m1), "--key", id(m2)}, kT0 + 2);
  auto j = json({"trust", "check", y.public_path}, kT0 + 10, 1);
  EXPECT_EQ(j["amount"], 60);
  EXPECT_EQ(j["verdict"], "fail");
}

TEST_F(TrustE2E, SoftRevokedIssuerKeepsEarlierEndorsementsOnly) {
  // ann rotates from key a to key a2; the root endorsed both.
  SshKey root = key("root"), a = key("a"), a2 = key("a2"), b = key("b"), c = key("c");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "ann", "--key", id(a), "--key", id(a2)}, kT0);
  endorse(root, a, kT0, {"--depth", "1"});
  endorse(root, a2, kT0, {"--depth", "1"});
  endorse(a, b, kT0 + 10);
  endorse(a, c, kT0 + 30);
  // Revoked as superseded at kT0 + 20 (recorded later, with that time).
  ok({"key", "revoke", id(a), "--reason", "superseded"}, kT0 + 20);
  EXPECT_EQ(amount(b.public_path, kT0 + 40), 120);
  EXPECT_EQ(amount(c.public_path, kT0 + 40), 0);
  // And a new endorsement by the revoked key is refused outright.
  SshKey d = key("d");
  RunResult r = v({"endorse", d.public_path, "--as", a.private_path}, kT0 + 50);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err.rfind("vouch: error: refusing the endorsement: endorsement signature is ", 0), 0u) << r.err;
}

TEST_F(TrustE2E, HardRevokedIssuerNeverCounts) {
  SshKey root = key("root"), a = key("a"), b = key("b");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0, {"--depth", "1"});
  endorse(a, b, kT0 + 10);
  EXPECT_EQ(amount(b.public_path, kT0 + 15), 120);
  ok({"key", "revoke", id(a), "--reason", "compromised"}, kT0 + 20);
  EXPECT_EQ(amount(b.public_path, kT0 + 40), 0);
  // Not even looking back at a time before the revocation.
  EXPECT_EQ(amount(b.public_path, kT0 + 40, {"--at", std::to_string(kT0 + 15)}), 0);
  auto j = json({"trust", "check", a.public_path}, kT0 + 40, 1);
  EXPECT_EQ(j["revoked"], true);
  EXPECT_EQ(j["note"], "key revoked (compromised): no trust at any time");
  // The graph marks it and draws its endorsement dashed.
  std::string dot = ok({"trust", "graph", "--format", "dot"}, kT0 + 40);
  EXPECT_NE(dot.find("revoked (compromised)\", style=\"rounded,dashed\", color=\"red\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"120\\nissuer revoked\", penwidth=2, style=\"dashed\", color=\"gray50\""),
            std::string::npos)
      << dot;
}

// A person is never trusted through a key that is revoked: hard-revoked at
// any time, soft-revoked at or before the reference time. The key lends the
// person neither the endorsements it received nor its place on a path.
TEST_F(TrustE2E, RevokedKeyLendsNothingToItsPerson) {
  SshKey root = key("root"), old_key = key("old"), new_key = key("new"), x = key("x");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "pat", "--email", "pat@example.org", "--key", id(old_key), "--key", id(new_key)}, kT0);
  endorse(root, old_key, kT0, {"--depth", "1"});
  endorse(new_key, x, kT0 + 1);  // pat's other key introduces x
  EXPECT_EQ(amount("pat", kT0 + 10), 120);
  EXPECT_EQ(amount(x.public_path, kT0 + 10), 120);

  ok({"key", "revoke", id(old_key), "--reason", "compromised"}, kT0 + 20);
  EXPECT_EQ(amount(old_key.public_path, kT0 + 30), 0);
  EXPECT_EQ(amount("pat", kT0 + 30), 0);
  EXPECT_EQ(amount("pat", kT0 + 30, {"--at", std::to_string(kT0 + 10)}), 0);  // hard: at every time
  EXPECT_EQ(amount(x.public_path, kT0 + 30), 0);
  EXPECT_EQ(v({"trust", "check", "pat"}, kT0 + 30).out,
            "pat: trust 0 (required 120): not trusted\n  note: no valid path from a root: the nearest one is "
            "blocked\n  blocked path: root " + short_id(root) + " -> pat\n    " + short_id(root) +
                " -> pat: endorsed key " + id(old_key) + " is revoked (compromised)\n");
  auto path = json({"trust", "path", "pat"}, kT0 + 30, 1);
  EXPECT_EQ(path["paths"].size(), 0u);
  EXPECT_EQ(path["blocked"]["blocked"][0]["kind"], "target revoked");
  // The graph draws the edge into the revoked key dashed, with the reason.
  auto graph = json({"trust", "graph"}, kT0 + 30, 0);
  bool marked = false;
  for (const auto& e : graph["edges"])
    if (e["target"] == id(old_key)) marked = e["counts"] == false && e["blocked"] == "target revoked";
  EXPECT_TRUE(marked) << graph.dump(2);

  // Soft revocation: from its time on, not before.
  db_ = dir_ / "soft.db";
  SshKey r2 = key("r2"), k1 = key("k1"), k2 = key("k2");
  ok({"trust", "root", "add", id(r2)}, kT0);
  ok({"person", "add", "sam", "--key", id(k1), "--key", id(k2)}, kT0);
  endorse(r2, k1, kT0);
  ok({"key", "revoke", id(k1), "--reason", "superseded"}, kT0 + 100);
  EXPECT_EQ(amount("sam", kT0 + 200), 0);
  EXPECT_EQ(amount("sam", kT0 + 200, {"--at", std::to_string(kT0 + 50)}), 120);
  EXPECT_NE(v({"trust", "check", "sam"}, kT0 + 200).out.find("endorsed key " + id(k1) +
                                                              " was revoked (superseded) at 2026-02-02T02:41:40Z"),
            std::string::npos);
}

// A root key revoked at the reference time makes nothing a root, even the
// person it belongs to.
TEST_F(TrustE2E, RevokedRootKeyMakesNothingARoot) {
  SshKey root = key("root"), other = key("other"), a = key("a");
  ok({"person", "add", "owner", "--key", id(root), "--key", id(other)}, kT0);
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0);
  EXPECT_EQ(amount("owner", kT0 + 10), 120);
  EXPECT_EQ(amount(a.public_path, kT0 + 10), 120);
  ok({"key", "revoke", id(root), "--reason", "retired"}, kT0 + 20);
  EXPECT_EQ(amount("owner", kT0 + 30), 0);
  EXPECT_EQ(amount(other.public_path, kT0 + 30), 0);
  // a's endorsement was made before the soft revocation, but its root is gone.
  std::string out = ok({"trust", "check", a.public_path}, kT0 + 30, 1);
  EXPECT_NE(out.find("    root owner: root key " + id(root) + " was revoked (retired) at 2026-02-02T02:40:20Z\n"),
            std::string::npos)
      << out;
}

// The reasons a path is blocked, each named: scope, probation, expiry.
TEST_F(TrustE2E, BlockedPathsNameTheRule) {
  SshKey root = key("root"), a = key("a"), bob = key("bob");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "bob", "--email", "bob@other.net", "--key", id(bob)}, kT0);
  endorse(root, a, kT0, {"--depth", "1", "--scope", "*@example.org"});
  endorse(a, bob, kT0 + 1);
  std::string out = ok({"trust", "check", "bob"}, kT0 + 10, 1);
  EXPECT_NE(out.find("    " + short_id(root) + " -> " + short_id(a) +
                     ": scope *@example.org matches none of the target's emails (bob@other.net)\n"),
            std::string::npos)
      << out;
  out = ok({"trust", "check", a.public_path, "--min-age", "30d"}, kT0 + 10, 1);
  EXPECT_NE(out.find(": under probation: created 2026-02-02T02:40:00Z, less than --min-age before the reference time\n"),
            std::string::npos)
      << out;
  auto j = json({"trust", "check", a.public_path, "--min-age", "30d"}, kT0 + 10, 1);
  EXPECT_EQ(j["blocked"]["blocked"][0]["kind"], "probation");
  EXPECT_EQ(j["blocked"]["hops"][0]["issuer"], id(root));
  // Enough trust: no explanation.
  EXPECT_EQ(json({"trust", "check", a.public_path}, kT0 + 10, 0)["blocked"], nullptr);
}

// Pictures without external tools.
TEST_F(TrustE2E, GraphSvgAndPngInProcess) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "alice", "--name", "Alice Example", "--key", id(a)}, kT0);
  endorse(root, a, kT0);
  std::string svg = ok({"trust", "graph", "--format", "svg"}, kT0 + 1);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << svg.substr(0, 200);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("Alice Example (alice)"), std::string::npos);
  // Well-formed: python's XML parser reads it and finds the person's name.
  write_file(dir_ / "g.svg", svg);
  RunResult parsed = run({"python3", "-c",
                          "import sys, xml.etree.ElementTree as ET\n"
                          "t = ET.parse(sys.argv[1])\n"
                          "print(any('alice' in (e.text or '') for e in t.iter()))",
                          dir_ / "g.svg"});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out, "True\n");
  EXPECT_EQ(ok({"trust", "graph", "--format", "png", "--output", dir_ / "g.png"}, kT0 + 1), "");
  EXPECT_EQ(read_file(dir_ / "g.png").substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_F(TrustE2E, MinAgeHoldsNewEndorsementsBack) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0);
  EXPECT_EQ(amount(a.public_path, kT0 + 5 * kDay, {"--min-age", "30d"}), 0);
  EXPECT_EQ(amount(a.public_path, kT0 + 31 * kDay, {"--min-age", "30d"}), 120);
  RunResult r = v({"trust", "check", a.public_path, "--min-age", "soon"}, kT0);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: --min-age soon: expected a duration such as 30d, 12h, 2w\n");
}

TEST_F(TrustE2E, GraphDotAndJson) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  ok({"person", "add", "alice", "--name", "Alice Example", "--email", "alice@example.org", "--key", id(a)}, kT0);
  endorse(root, a, kT0, {"--depth", "2"});
  std::string dot = ok({"trust", "graph", "--format", "dot"}, kT0 + 1);
  EXPECT_EQ(dot.rfind("digraph trust {\n  rankdir=LR;\n", 0), 0u) << dot;
  EXPECT_NE(dot.find("  subgraph \"cluster_alice\" {\n    label=\"Alice Example (alice)\\nalice@example.org\";"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("fillcolor=\"gold\""), std::string::npos);
  EXPECT_NE(dot.find("\"" + id(root) + "\" -> \"" + id(a) + "\" [label=\"120, depth 2\", penwidth=2];"),
            std::string::npos)
      << dot;
  // JSON by the graph's own --format and by the global one.
  auto j = nlohmann::json::parse(ok({"trust", "graph", "--format", "json"}, kT0 + 1));
  EXPECT_EQ(j["edges"].size(), 1u);
  EXPECT_EQ(j["people"][0]["name"], "alice");
  EXPECT_EQ(nlohmann::json::parse(ok({"--format", "json", "trust", "graph"}, kT0 + 1)), j);
  // --output writes the file and nothing else.
  EXPECT_EQ(ok({"trust", "graph", "--output", dir_ / "g.dot"}, kT0 + 1), "");
  EXPECT_EQ(read_file(dir_ / "g.dot"), dot);
  RunResult bad = v({"trust", "graph", "--format", "gif"}, kT0);
  EXPECT_EQ(bad.exit_code, 2);
}

// Threat 23: a row of the audit log edited in the SQLite file.
TEST_F(TrustE2E, Threat23TamperedAuditLogIsDetected) {
  SshKey root = key("root"), a = key("a");
  ok({"trust", "root", "add", id(root)}, kT0);
  endorse(root, a, kT0);
  std::string listing = ok({"log"}, kT0);
  EXPECT_NE(listing.find("  local  root.add  key=" + id(root) + "\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("  " + id(root) + "  endorsement.add  amount=120 created=1770000000 depth=0 issuer=" +
                         id(root) + " target=" + id(a) + "\n"),
            std::string::npos)
      << listing;
  auto log = json({"log"}, kT0, 0)["entries"];
  const int64_t n = static_cast<int64_t>(log.size());
  std::string intact = ok({"log", "--verify"}, kT0);
  EXPECT_EQ(intact, "audit log intact: " + std::to_string(n) + " entries, head " +
                        log.back()["hash"].get<std::string>() + "\ntrust tables match the log\n");

  // Change the root.add entry's key in place, through SQLite itself.
  int64_t seq = 0;
  for (const auto& e : log)
    if (e["action"] == "root.add") seq = e["seq"];
  ASSERT_GT(seq, 0);
  {
    auto store = trust::TrustStore::open(db_, trust::OpenMode::existing);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto r = store->connection().exec("UPDATE audit_log SET payload = replace(payload, '" + id(root) + "', '" +
                                      id(a) + "') WHERE seq = " + std::to_string(seq));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  RunResult broken = v({"log", "--verify"}, kT0);
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_EQ(broken.out, "audit log broken: entry " + std::to_string(seq) + ": hash does not match its contents\n");
  auto j = json({"log", "--verify"}, kT0, 1);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["problem"]["seq"], seq);
}

// An endorsement whose transport line was edited arrives through a bundle:
// the import refuses it with the reason and exit 2, and applies nothing.
TEST_F(TrustE2E, EditedEndorsementLineIsRefused) {
  SshKey root = key("root"), a = key("a");
  endorse(root, a, kT0, {"--partial"});
  const std::string bundle = dir_ / "bundle";
  ok({"keyring", "export", bundle}, kT0);
  std::string file;
  for (const auto& f : std::filesystem::directory_iterator(bundle + "/endorsements")) file = f.path();
  ASSERT_FALSE(file.empty());
  // Raise the amount inside the signed text; keep the signature.
  std::string line = read_file(file);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  auto sp1 = line.find(' ', line.find(' ') + 1), sp2 = line.find(' ', sp1 + 1);
  auto text = util::base64_decode(line.substr(sp1 + 1, sp2 - sp1 - 1));
  ASSERT_TRUE(text.has_value());
  auto at = text->find("amount 60\n");
  ASSERT_NE(at, std::string::npos);
  text->replace(at, 10, "amount 120\n");
  write_file(file, line.substr(0, sp1 + 1) + util::base64_encode(*text) + line.substr(sp2) + "\n");
  // Re-hash MANIFEST so that only the statement itself is wrong.
  std::vector<trust::ManifestEntry> entries;
  for (const auto& f : std::filesystem::recursive_directory_iterator(bundle)) {
    auto rel = std::filesystem::relative(f.path(), bundle).generic_string();
    if (!f.is_regular_file() || rel == "MANIFEST") continue;
    std::string sum;
    for (unsigned char c : crypto::digest(crypto::HashAlgo::sha256, read_file(f.path()))) {
      static const char* hex = "0123456789abcdef";
      sum += hex[c >> 4];
      sum += hex[c & 15];
    }
    entries.push_back({sum, rel});
  }
  write_file(bundle + "/MANIFEST", trust::serialize_manifest(entries));

  db_ = dir_ / "other.db";
  ok({"key", "import", root.public_path}, kT0);
  RunResult r = v({"keyring", "import", bundle}, kT0 + 10);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("endorsement signature is bad"), std::string::npos) << r.err;
  EXPECT_EQ(json({"trust", "graph"}, kT0 + 10, 0)["edges"].size(), 0u);
}

// Two real vouch processes writing one database at once: SQLite's WAL mode
// and busy timeout make the second wait instead of failing.
TEST_F(TrustE2E, ConcurrentWritersAllSucceed) {
  key("seed");  // creates the database
  constexpr int kEach = 20;
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    pids[w] = fork();
    ASSERT_GE(pids[w], 0);
    if (pids[w] == 0) {
      int failures = 0;
      for (int i = 0; i < kEach; ++i) {
        std::string name = "p" + std::to_string(w) + "-" + std::to_string(i);
        RunResult r = run({vouch_binary(), "--db", db_, "person", "add", name, "--email", name + "@example.org"});
        if (r.exit_code != 0) ++failures;
      }
      _exit(failures);
    }
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "failed person add calls in one writer";
  }
  auto people = json({"person", "list"}, kT0, 0)["people"];
  EXPECT_EQ(people.size(), 2u * kEach);
  EXPECT_EQ(v({"log", "--verify"}, kT0).exit_code, 0);
}

}  // namespace
}  // namespace vouch::test
