// Report rendering from result structs alone (src/report/render.h): the same
// VerifyReport gives the text a person reads at each verbosity and the JSON a
// program reads. Table-driven; no repository involved.
#include "report/render.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace vouch::report {
namespace {

SignatureResult good(const std::string& key) {
  SignatureResult s;
  s.status = SigStatus::good;
  s.kind = KeyKind::ssh;
  s.key = key;
  return s;
}

SignatureResult missing() {
  SignatureResult s;
  s.status = SigStatus::missing;
  return s;
}

CommitVerdict commit(const std::string& oid, SignatureResult sig, bool pass, const std::string& summary) {
  CommitVerdict c;
  c.oid = oid;
  c.signature = std::move(sig);
  c.pass = pass;
  c.summary = summary;
  return c;
}

VerifyReport policy_report() {
  VerifyReport r;
  r.mode = "policy";
  r.trust_root = "1111111111111111111111111111111111111111";
  r.trust_root_source = "config";
  r.ranges = {"HEAD"};
  auto ok = commit("2222222222222222222222222222222222222222", good("ssh:SHA256:alice"), true, "fix build");
  ok.signer_person = "alice";
  ok.approvals = {{"ssh:SHA256:bob", "bob", "good", "", true},
                  {"ssh:SHA256:mallory", "", "unknown-key", "no such key", false},
                  {"", "", "unrecognised", "", false}};
  auto bad = commit("3333333333333333333333333333333333333333", missing(), false, "sneaky");
  bad.errors = {"commit 333333333333: signature missing",
                "commit 333333333333: rule build-system needs 1 more of security (have 0: -) for m4/a.m4"};
  bad.notices = {"rule security-md (notify): SECURITY.md changed"};
  r.commits = {bad, ok};
  return r;
}

struct TextCase {
  const char* name;
  Verbosity verbosity;
  std::string text;
};

void PrintTo(const TextCase& c, std::ostream* os) { *os << c.name; }

class PolicyReportText : public ::testing::TestWithParam<TextCase> {};

TEST_P(PolicyReportText, IsExact) { EXPECT_EQ(to_text(policy_report(), GetParam().verbosity), GetParam().text); }

INSTANTIATE_TEST_SUITE_P(
    Table, PolicyReportText,
    ::testing::Values(
        TextCase{"normal", Verbosity::normal,
                 "trust root 111111111111 (config)\n"
                 "333333333333 FAIL missing  # sneaky\n"
                 "    commit 333333333333: rule build-system needs 1 more of security (have 0: -) for m4/a.m4\n"
                 "    notice: rule security-md (notify): SECURITY.md changed\n"
                 "222222222222 ok   good ssh:SHA256:alice (alice)  # fix build\n"
                 "    approved by bob; not counted: ssh:SHA256:mallory (unknown-key)\n"
                 "2 commits: 1 passed, 1 failed\n"},
        // Quiet: failures and the summary only; no root, approvals or notices.
        TextCase{"quiet", Verbosity::quiet,
                 "333333333333 FAIL missing\n"
                 "    commit 333333333333: rule build-system needs 1 more of security (have 0: -) for m4/a.m4\n"
                 "2 commits: 1 passed, 1 failed\n"}),
    [](const ::testing::TestParamInfo<TextCase>& info) { return std::string(info.param.name); });

TEST(PolicyReportJson, CarriesVerdictCountsAndApprovals) {
  auto j = to_json(policy_report());
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["mode"], "policy");
  EXPECT_EQ(j["trust_root"], "1111111111111111111111111111111111111111");
  ASSERT_EQ(j["commits"].size(), 2u);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "missing");
  EXPECT_EQ(j["commits"][0]["errors"].size(), 2u);
  EXPECT_EQ(j["commits"][1]["signature"]["key"], "ssh:SHA256:alice");
  ASSERT_EQ(j["commits"][1]["approvals"].size(), 3u);
  EXPECT_EQ(j["commits"][1]["approvals"][0]["person"], "bob");
  EXPECT_EQ(j["commits"][1]["approvals"][0]["counted"], true);
  EXPECT_EQ(j["commits"][1]["approvals"][1]["status"], "unknown-key");
}

TEST(KeyringReportText, AllGoodSaysSo) {
  VerifyReport r;
  r.commits = {commit("4444444444444444444444444444444444444444", good("ssh:SHA256:k"), true, "one")};
  EXPECT_EQ(to_text(r, Verbosity::normal),
            "444444444444 ok   good ssh:SHA256:k  # one\n1 commits: 1 passed, 0 failed\n");
  EXPECT_EQ(to_json(r)["verdict"], "pass");
}

struct NameCase {
  const char* name;
  std::string raw;
  std::string shown;
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << c.name; }

class DisplayName : public ::testing::TestWithParam<NameCase> {};

TEST_P(DisplayName, CannotForgeALine) { EXPECT_EQ(display_name(GetParam().raw), GetParam().shown); }

INSTANTIATE_TEST_SUITE_P(Table, DisplayName,
                         ::testing::Values(NameCase{"ascii", "m4/build-to-host.m4", "m4/build-to-host.m4"},
                                           NameCase{"newline", "a\nPASS", "a\\x0aPASS"},
                                           NameCase{"backslash", "a\\b", "a\\\\b"},
                                           NameCase{"utf8_kept", "caf\xc3\xa9", "caf\xc3\xa9"},
                                           NameCase{"invalid_utf8", "a\xff", "a\\xff"}),
                         [](const ::testing::TestParamInfo<NameCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace vouch::report
