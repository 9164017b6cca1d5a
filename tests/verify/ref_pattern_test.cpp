// Ref patterns ([refs] protected / unchecked, [[tags]] refs) glob like git's
// refspecs: `*` crosses '/', so a protected "refs/tags/*" covers nested tags.
#include <gtest/gtest.h>

#include "verify/rule_evaluator.h"

namespace vouch::verify {
namespace {

struct Case {
  const char* pattern;
  const char* ref;
  bool matches;
};

TEST(RefPattern, StarCrossesSlashLikeRefspecs) {
  const Case cases[] = {
      {"refs/tags/*", "refs/tags/v1.0", true},
      {"refs/tags/*", "refs/tags/release/1.0", true},  // threat: nested tags were unprotected
      {"refs/tags/*", "refs/tags/", true},
      {"refs/tags/*", "refs/heads/main", false},
      {"refs/tags/v*", "refs/tags/v1.0", true},
      {"refs/tags/v*", "refs/tags/x/v1.0", false},
      {"refs/tags/v*", "refs/tags/v1/rc1", true},
      {"refs/heads/main", "refs/heads/main", true},
      {"refs/heads/main", "refs/heads/main2", false},
      {"refs/heads/main", "refs/heads/Main", false},  // ref names are case-sensitive
      {"refs/heads/review/*", "refs/heads/review/alice/fix", true},
      {"refs/heads/review/*", "refs/heads/reviewer", false},
      {"refs/*/main", "refs/heads/main", true},
      {"refs/*/main", "refs/remotes/origin/main", true},
      {"refs/**", "refs/notes/x", true},
      {"refs/tags/v?.0", "refs/tags/v1.0", true},
      {"refs/tags/v?.0", "refs/tags/v10.0", false},
      {"refs/*a*b*c", "refs/xaxbxbxc", true},
      {"refs/*a*b*c", "refs/xaxbxbx", false},
  };
  for (const auto& c : cases) EXPECT_EQ(ref_matches(c.pattern, c.ref), c.matches) << c.pattern << " vs " << c.ref;
}

TEST(RefPattern, LongInputsStayLinear) {
  std::string ref = "refs/" + std::string(100000, 'a');
  EXPECT_FALSE(ref_matches("refs/*a*a*a*a*a*a*a*b", ref));
  EXPECT_TRUE(ref_matches("refs/*a*a*a*a*a*a*a", ref));
}

}  // namespace
}  // namespace vouch::verify
