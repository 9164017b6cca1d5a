// Gitignore-style path patterns: every rule of docs/policy.md "Path patterns" and
// docs/policy.md, plus a speed check.
#include "policy/path_pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "test_env.h"

namespace vouch::policy {
namespace {

PathPattern compile(std::string_view text) {
  auto p = PathPattern::compile(text);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : *PathPattern::compile("never-used-pattern");
}

bool m(std::string_view pattern, std::string_view path) { return compile(pattern).matches(path); }

std::string compile_error(std::string_view text) {
  auto p = PathPattern::compile(text);
  EXPECT_FALSE(p.ok()) << text;
  return p.ok() ? "" : p.error().message;
}

TEST(PathPattern, LiteralWithoutSlashMatchesAtAnyDepth) {
  EXPECT_TRUE(m("configure.ac", "configure.ac"));
  EXPECT_TRUE(m("configure.ac", "sub/dir/configure.ac"));
  EXPECT_FALSE(m("configure.ac", "configure.acx"));
  EXPECT_FALSE(m("configure.ac", "xconfigure.ac"));
  EXPECT_FALSE(m("configure.ac", "configure"));
}

TEST(PathPattern, StarWithoutSlashMatchesNamesAtAnyDepth) {
  EXPECT_TRUE(m("*.m4", "m4/build-to-host.m4"));
  EXPECT_TRUE(m("*.m4", "aclocal.m4"));
  EXPECT_TRUE(m("*.m4", "a/b/c/d.m4"));
  EXPECT_FALSE(m("*.m4", "m4/build-to-host.m4.txt"));
  EXPECT_TRUE(m("COPYING*", "COPYING"));
  EXPECT_TRUE(m("COPYING*", "COPYING.LGPLv2.1"));
  EXPECT_TRUE(m("COPYING*", "doc/COPYING.GPL"));
  EXPECT_FALSE(m("COPYING*", "NOTCOPYING"));
}

TEST(PathPattern, StarAndQuestionStayWithinOneSegment) {
  EXPECT_TRUE(m("src/*.c", "src/main.c"));
  EXPECT_FALSE(m("src/*.c", "src/sub/main.c"));  // '*' does not cross '/', and src/sub is no match of *.c
  EXPECT_TRUE(m("a/?.txt", "a/b.txt"));
  EXPECT_FALSE(m("a/?.txt", "a/bc.txt"));
  EXPECT_FALSE(m("a?b", "a/b"));
  EXPECT_TRUE(m("a*b*c", "axxbyyc"));
  EXPECT_FALSE(m("a*b*c", "axxbyy"));
}

TEST(PathPattern, PatternWithSlashIsAnchoredAtTheRoot) {
  EXPECT_TRUE(m("tests/files", "tests/files/bad-3-corrupt_lzma2.xz"));
  EXPECT_FALSE(m("tests/files", "sub/tests/files/x"));
  EXPECT_TRUE(m("/configure.ac", "configure.ac"));
  EXPECT_FALSE(m("/configure.ac", "sub/configure.ac"));
  EXPECT_TRUE(m("/m4", "m4/x.m4"));
  EXPECT_FALSE(m("/m4", "lib/m4/x.m4"));
}

TEST(PathPattern, DoubleStarSpansSegments) {
  EXPECT_TRUE(m("m4/**", "m4/build-to-host.m4"));
  EXPECT_TRUE(m("m4/**", "m4/a/b/c"));
  EXPECT_FALSE(m("m4/**", "lib/m4/x"));  // has a '/': anchored
  EXPECT_FALSE(m("m4/**", "m4x/a"));
  EXPECT_TRUE(m("**/x", "x"));
  EXPECT_TRUE(m("**/x", "a/b/x"));
  EXPECT_TRUE(m("a/**/b", "a/b"));
  EXPECT_TRUE(m("a/**/b", "a/x/b"));
  EXPECT_TRUE(m("a/**/b", "a/x/y/z/b"));
  EXPECT_FALSE(m("a/**/b", "a/x/y/z/c"));
  EXPECT_FALSE(m("a/**/b", "x/a/b"));
  EXPECT_TRUE(m("a/**/b/*.c", "a/1/2/b/f.c"));
  EXPECT_TRUE(m("a/**/b/*.c", "a/b/b/f.c"));
  EXPECT_TRUE(m("**", "anything/at/all"));
  EXPECT_TRUE(m(".github/workflows/**", ".github/workflows/ci.yml"));
  // '**' that is not a whole segment is a plain '*'.
  EXPECT_TRUE(m("a**b", "axxb"));
  EXPECT_FALSE(m("/a**b", "a/x/b"));
}

TEST(PathPattern, TrailingSlashCoversEverythingBelow) {
  EXPECT_TRUE(m("build-aux/", "build-aux/ltmain.sh"));
  EXPECT_TRUE(m("build-aux/", "build-aux/a/b"));
  EXPECT_TRUE(m("build-aux/", "sub/build-aux/x"));  // no other '/': any depth, as in gitignore
  EXPECT_FALSE(m("build-aux/", "build-auxx/x"));
  // vouch sees paths, not types: a submodule or file named build-aux is covered too.
  EXPECT_TRUE(m("build-aux/", "build-aux"));
  EXPECT_TRUE(m("/.vouch/", ".vouch/policy.toml"));
}

TEST(PathPattern, NameOfADirectoryCoversItsContents) {
  // gitignore: "m4" matches a directory named m4, and so everything in it.
  EXPECT_TRUE(m("m4", "m4"));
  EXPECT_TRUE(m("m4", "m4/build-to-host.m4"));
  EXPECT_TRUE(m("m4", "lib/m4/deep/x"));
  EXPECT_FALSE(m("m4", "m4x/y"));
  EXPECT_TRUE(m("docs/*", "docs/a/b"));  // docs/a matches, so what is below it does
  EXPECT_TRUE(m("*.d", "x.d/y"));
}

TEST(PathPattern, CharacterClasses) {
  EXPECT_TRUE(m("file[abc].txt", "filea.txt"));
  EXPECT_FALSE(m("file[abc].txt", "filed.txt"));
  EXPECT_TRUE(m("v[0-9].sh", "v7.sh"));
  EXPECT_FALSE(m("v[0-9].sh", "vx.sh"));
  EXPECT_TRUE(m("x[!a]", "xb"));
  EXPECT_FALSE(m("x[!a]", "xa"));
  EXPECT_FALSE(m("x[!a]", "xA"));  // case-folded before negation
  EXPECT_TRUE(m("x[^a]", "xb"));
  EXPECT_TRUE(m("x[]]", "x]"));    // ']' first is literal
  EXPECT_TRUE(m("x[a-]", "x-"));   // '-' last is literal
  EXPECT_TRUE(m("x[\\]]", "x]"));
}

TEST(PathPattern, Escapes) {
  EXPECT_TRUE(m("\\*.txt", "*.txt"));
  EXPECT_FALSE(m("\\*.txt", "a.txt"));
  EXPECT_TRUE(m("what\\?", "what?"));
  EXPECT_FALSE(m("what\\?", "whatx"));
}

TEST(PathPattern, CaseInsensitiveAsciiFolding) {
  EXPECT_TRUE(m("SECURITY.md", "security.md"));
  EXPECT_TRUE(m("SECURITY.md", "Security.md"));
  EXPECT_TRUE(m("security.md", "docs/SECURITY.MD"));
  EXPECT_TRUE(m("M4/**", "m4/x"));
  EXPECT_TRUE(m("*.M4", "a.m4"));
  EXPECT_TRUE(m("[A-C].txt", "b.txt"));
  EXPECT_TRUE(m("[a-c].txt", "B.txt"));
}

TEST(PathPattern, NonAsciiBytesCompareExactly) {
  // UTF-8 "É" (C3 89) and "é" (C3 A9): no Unicode folding.
  EXPECT_TRUE(m("caf\xc3\xa9.txt", "caf\xc3\xa9.txt"));
  EXPECT_FALSE(m("caf\xc3\xa9.txt", "CAF\xc3\x89.txt"));
  EXPECT_TRUE(m("CAF\xc3\xa9.txt", "caf\xc3\xa9.txt"));  // ASCII part folds
  // Not UTF-8 at all: still just bytes.
  EXPECT_TRUE(m("bad\xff\xfe", "dir/bad\xff\xfe"));
  EXPECT_TRUE(m("*.\xff", "x.\xff"));
  EXPECT_TRUE(m("?", "\xff"));
  EXPECT_TRUE(m("[\x80-\xff]x", "\x90x"));
  EXPECT_FALSE(m("[\x80-\xff]x", "ax"));
}

TEST(PathPattern, DotFilesAreOrdinaryNames) {
  EXPECT_TRUE(m("*", ".github"));
  EXPECT_TRUE(m("*.yml", ".gitlab-ci.yml"));
  EXPECT_TRUE(m(".gitlab-ci.yml", ".gitlab-ci.yml"));
  EXPECT_TRUE(m(".vouch/**", ".vouch/keys/alice.asc"));
  EXPECT_TRUE(m("**", ".hidden/x"));
  EXPECT_TRUE(m("?env", ".env"));
}

TEST(PathPattern, NoNormalisation) {
  EXPECT_FALSE(m("a/b", "a//b"));
  EXPECT_FALSE(m("/a", "/a"));  // repository paths never start with '/'
}

TEST(PathPattern, CompileErrorsNameThePattern) {
  EXPECT_EQ(compile_error(""), "path pattern \"\": empty pattern");
  EXPECT_EQ(compile_error("/"), "path pattern \"/\": names no path (write \"**\" to mean everything)");
  EXPECT_EQ(compile_error("a//b"), "path pattern \"a//b\": empty path segment (\"//\")");
  EXPECT_EQ(compile_error("./x"), "path pattern \"./x\": \".\" segments never match a repository path");
  EXPECT_EQ(compile_error("a/../b"), "path pattern \"a/../b\": \"..\" segments never match a repository path");
  EXPECT_EQ(compile_error("file[abc"), "path pattern \"file[abc\": unclosed \"[\"");
  EXPECT_EQ(compile_error("a[/]b"), "path pattern \"a[/]b\": unclosed \"[\"");
  EXPECT_EQ(compile_error("x\\"), "path pattern \"x\\\": trailing \"\\\" escapes nothing");
  EXPECT_EQ(compile_error("[z-a]"), "path pattern \"[z-a]\": character range \"z-a\" is reversed");
}

TEST(PathPattern, TextIsAsWritten) { EXPECT_EQ(compile("/M4/").text(), "/M4/"); }

TEST(PathPattern, NoExponentialBacktracking) {
  auto p = compile("*a*a*a*a*a*a*a*a*b");
  std::string name(4000, 'a');
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(p.matches(name));
  auto q = compile("**/a/**/a/**/a/**/a/**/b");
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "a/";
  deep += "c";
  EXPECT_FALSE(q.matches(deep));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1) * test::kSlowdown);
}

TEST(PathPattern, FiftyThousandPathsAgainstThreeHundredPatternsIsFast) {
  // 50 rules x 6 patterns, in the shapes policies use.
  std::vector<PathPattern> patterns;
  for (int r = 0; r < 50; ++r) {
    std::string n = std::to_string(r);
    for (std::string text : {"configure" + n + ".ac", "*.m" + n, "m" + n + "/**", "build-aux" + n + "/",
                             "src/**/gen" + n + "/*.c", "tests/files" + n + "/[a-c]*"})
      patterns.push_back(compile(text));
  }
  std::vector<std::string> paths;
  for (int i = 0; i < 50000; ++i)
    paths.push_back("src/module" + std::to_string(i % 97) + "/sub" + std::to_string(i % 13) + "/file" + std::to_string(i) + ".c");
  // CPU time of this thread: the build machine is shared, wall time is noise.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
  };
  auto t0 = cpu_now();
  size_t hits = 0;
  for (const auto& path : paths)
    for (const auto& p : patterns) hits += p.matches(path) ? 1 : 0;
  auto elapsed = cpu_now() - t0;
  EXPECT_EQ(hits, 0u);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000) * test::kSlowdown)
      << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
  std::printf("15M matches: %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

}  // namespace
}  // namespace vouch::policy
