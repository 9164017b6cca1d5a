// The rule evaluator is pure (docs/ARCHITECTURE.md "Policy mode"): a policy,
// changed paths and participants in, the exact failure lines out. These
// table-driven cases need no git, no keys and no processes.
#include "verify/rule_evaluator.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "policy/policy_parser.h"

namespace vouch::verify {
namespace {

constexpr const char* kPolicy = R"(version = 1
serial = 1

[people.alice]
keys = ["ssh:SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
[people.bob]
keys = ["ssh:SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"]
[people.carol]
keys = ["ssh:SHA256:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"]
[people.sam]
keys = ["ssh:SHA256:DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"]

[groups]
maintainers = ["alice", "bob", "carol"]
security = ["sam"]

[commits]
require = ["1 of maintainers"]

[[rules]]
name = "build-system"
paths = ["m4/**", "configure.ac", "*.sh"]
require = ["2 of maintainers", "1 of security"]
self_approval = false

[[rules]]
name = "security-md"
paths = ["SECURITY.md"]
require = ["all of maintainers"]
notify = true

[[tags]]
refs = ["refs/tags/v*"]
require = ["2 of maintainers"]
)";

Participant signer(const std::string& person) { return {person, true, true, true}; }
Participant approver(const std::string& person) { return {person, false, true, true}; }
/// Trusted enough for [commits] but its endorsements are too young for [[rules]].
Participant probation(const std::string& person) { return {person, false, true, false}; }

struct Case {
  const char* name;
  std::vector<std::string> paths;
  std::vector<Participant> participants;
  std::vector<std::string> failures;
  std::vector<std::string> notices;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class CommitRules : public ::testing::TestWithParam<Case> {};

TEST_P(CommitRules, GiveExactFailures) {
  auto policy = policy::parse_policy(kPolicy, "policy.toml");
  ASSERT_TRUE(policy) << policy.error().message;
  auto rules = compile_rules(*policy);
  ASSERT_TRUE(rules) << rules.error().message;
  const Case& c = GetParam();
  auto ev = evaluate_commit_rules(*policy, *rules, c.paths, c.participants);
  EXPECT_EQ(ev.failures, c.failures);
  EXPECT_EQ(ev.notices, c.notices);
  EXPECT_EQ(ev.pass(), c.failures.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, CommitRules,
    ::testing::Values(
        Case{"plain_change_signed_by_maintainer", {"src/main.c"}, {signer("alice")}, {}, {}},
        Case{"unsigned_by_anyone_known",
             {"src/main.c"},
             {},
             {"rule commits needs 1 more of maintainers (have 0: -)"},
             {}},
        Case{"signer_outside_group",
             {"README"},
             {signer("sam")},
             {"rule commits needs 1 more of maintainers (have 0: -)"},
             {}},
        // XZ: one maintainer changes the build system alone.
        Case{"build_system_alone",
             {"m4/build-to-host.m4"},
             {signer("alice")},
             {"rule build-system needs 2 more of maintainers (have 0: -) for m4/build-to-host.m4",
              "rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4"},
             {}},
        // self_approval = false: the signer's own approval does not count.
        Case{"signer_approving_own_change",
             {"configure.ac"},
             {signer("alice"), approver("alice"), approver("bob"), approver("sam")},
             {"rule build-system needs 1 more of maintainers (have 1: bob) for configure.ac"},
             {}},
        Case{"build_system_fully_approved",
             {"configure.ac", "m4/a.m4"},
             {signer("alice"), approver("bob"), approver("carol"), approver("sam")},
             {},
             {}},
        // A person counts once however many of their keys took part.
        Case{"one_person_twice",
             {"autogen.sh"},
             {signer("carol"), approver("bob"), approver("bob"), approver("sam")},
             {"rule build-system needs 1 more of maintainers (have 1: bob) for autogen.sh"},
             {}},
        // Keys on probation count for [commits] but not for [[rules]].
        Case{"probation_counts_for_commits_not_rules",
             {"m4/x.m4"},
             {signer("carol"), approver("alice"), probation("bob"), probation("sam")},
             {"rule build-system needs 1 more of maintainers (have 1: alice) for m4/x.m4",
              "rule build-system needs 1 more of security (have 0: -) for m4/x.m4"},
             {}},
        Case{"path_list_is_shortened",
             {"m4/a.m4", "m4/b.m4", "m4/c.m4", "m4/d.m4", "m4/e.m4"},
             {signer("alice"), approver("bob"), approver("carol")},
             {"rule build-system needs 1 more of security (have 0: -) for m4/a.m4, m4/b.m4, m4/c.m4 and 2 more"},
             {}},
        Case{"all_of_group_and_notify",
             {"SECURITY.md"},
             {signer("alice"), approver("bob")},
             {"rule security-md needs 1 more of maintainers (have 2: alice, bob) for SECURITY.md"},
             {"rule security-md (notify): SECURITY.md changed"}},
        Case{"unmatched_pattern_directory_prefix", {"m4x/file"}, {signer("bob")}, {}, {}}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

struct TagCase {
  const char* name;
  std::string ref;
  std::vector<Participant> participants;
  bool matched;
  std::vector<std::string> failures;
};

void PrintTo(const TagCase& c, std::ostream* os) { *os << c.name; }

class TagRules : public ::testing::TestWithParam<TagCase> {};

TEST_P(TagRules, GiveExactFailures) {
  auto policy = policy::parse_policy(kPolicy, "policy.toml");
  ASSERT_TRUE(policy) << policy.error().message;
  const TagCase& c = GetParam();
  bool matched = false;
  auto ev = evaluate_tag_rules(*policy, c.ref, c.participants, matched);
  EXPECT_EQ(matched, c.matched);
  EXPECT_EQ(ev.failures, c.failures);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TagRules,
    ::testing::Values(
        TagCase{"release_two_maintainers", "refs/tags/v1.0", {signer("alice"), approver("bob")}, true, {}},
        TagCase{"release_one_maintainer",
                "refs/tags/v1.0",
                {signer("alice"), approver("sam")},
                true,
                {"rule tags[1] refs/tags/v* needs 1 more of maintainers (have 1: alice)"}},
        // `*` crosses '/': more matches can only mean more checks.
        TagCase{"nested_release_name",
                "refs/tags/v/2.0",
                {signer("alice")},
                true,
                {"rule tags[1] refs/tags/v* needs 1 more of maintainers (have 1: alice)"}},
        TagCase{"unmatched_tag", "refs/tags/nightly", {signer("sam")}, false, {}}),
    [](const ::testing::TestParamInfo<TagCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace vouch::verify
