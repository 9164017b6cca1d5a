// The shipped policy templates (policies/*.toml) pass validation and say what
// their comments promise.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "policy/path_pattern.h"
#include "policy/policy_parser.h"
#include "test_env.h"

namespace vouch::policy {
namespace {

Policy load(const std::string& name) {
  std::string path = test::source_dir() + "/policies/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  auto check = check_policy(ss.str(), name);
  for (const auto& e : check.errors) ADD_FAILURE() << e;
  return check.policy.value_or(Policy{});
}

const Rule* rule_named(const Policy& p, const std::string& name) {
  for (const auto& r : p.rules)
    if (r.name == name) return &r;
  return nullptr;
}

/// The names of the rules whose patterns cover `path`.
std::string rules_for(const Policy& p, const std::string& path) {
  std::string out;
  for (const auto& r : p.rules) {
    for (const auto& text : r.paths) {
      auto pattern = PathPattern::compile(text);
      if (pattern && pattern->matches(path)) {
        out += (out.empty() ? "" : ",") + r.name;
        break;
      }
    }
  }
  return out;
}

TEST(Templates, XzStyle) {
  auto p = load("xz-style.toml");
  EXPECT_EQ(p.repository, "example/xz");
  EXPECT_EQ(p.people.size(), 4u);
  const Rule* build = rule_named(p, "build-system");
  ASSERT_NE(build, nullptr);
  EXPECT_FALSE(build->self_approval);
  ASSERT_EQ(build->require.size(), 2u);
  EXPECT_EQ(build->require[0].text(), "2 of maintainers");
  EXPECT_EQ(build->require[1].text(), "1 of security");
  // Under self_approval = false a maintainer's own change still can collect two others.
  EXPECT_GE(p.groups.at("maintainers").size(), 3u);
  EXPECT_EQ(rules_for(p, "m4/build-to-host.m4"), "build-system");
  EXPECT_EQ(rules_for(p, "tests/files/bad-3-corrupt_lzma2.xz"), "build-system");
  EXPECT_EQ(rules_for(p, "configure.ac"), "build-system");
  EXPECT_EQ(rules_for(p, "CMakeLists.txt"), "build-system");
  EXPECT_EQ(rules_for(p, "src/liblzma/Makefile.am"), "build-system");
  EXPECT_EQ(rules_for(p, "build-aux/ltmain.sh"), "build-system");
  EXPECT_EQ(rules_for(p, "Security.md"), "governance");
  EXPECT_EQ(rules_for(p, "COPYING.GPLv2"), "governance");
  EXPECT_EQ(rules_for(p, ".vouch/policy.toml"), "governance");
  EXPECT_EQ(rules_for(p, ".vouch/keys/alice.asc"), "governance");
  EXPECT_EQ(rules_for(p, ".github/workflows/ci.yml"), "ci");
  EXPECT_EQ(rules_for(p, ".gitlab-ci.yml"), "ci");
  EXPECT_EQ(rules_for(p, "src/xz/main.c"), "");
  EXPECT_FALSE(p.rules.back().implicit);  // governance covers .vouch/**
}

TEST(Templates, ReleaseTags) {
  auto p = load("release-tags.toml");
  ASSERT_EQ(p.tags.size(), 2u);
  EXPECT_EQ(p.tags[0].refs, (std::vector<std::string>{"refs/tags/v*"}));
  EXPECT_EQ(p.tags[0].require[0].text(), "2 of maintainers");
  EXPECT_FALSE(p.archive_may_add.empty());
  auto may_add = [&](const std::string& path) {
    for (const auto& text : p.archive_may_add)
      if (PathPattern::compile(text)->matches(path)) return true;
    return false;
  };
  EXPECT_TRUE(may_add("configure"));
  EXPECT_TRUE(may_add("aclocal.m4"));
  EXPECT_TRUE(may_add("src/liblzma/Makefile.in"));
  EXPECT_FALSE(may_add("m4/build-to-host.m4"));
  ASSERT_EQ(p.rules.size(), 1u);  // only the implicit rule
  EXPECT_TRUE(p.rules[0].implicit);
  EXPECT_EQ(p.rules[0].require.size(), 2u);  // all of automation, all of maintainers
}

TEST(Templates, Strict) {
  auto p = load("strict.toml");
  ASSERT_EQ(p.commit_require.size(), 1u);
  EXPECT_EQ(p.commit_require[0].text(), "2 of maintainers");
  EXPECT_EQ(p.min_amount, 120);
  EXPECT_EQ(p.min_key_age, 90 * 86400);
  EXPECT_EQ(p.max_clock_skew, 3600);
  EXPECT_EQ(rules_for(p, ".vouch/keys/x.pub"), "sensitive");
  EXPECT_EQ(rules_for(p, "SECURITY.md"), "sensitive");
}

}  // namespace
}  // namespace vouch::policy
