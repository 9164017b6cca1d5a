#include "git/changed_paths.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>

#include "deep_tree.h"
#include "git/tree_reader.h"
#include "test_env.h"

namespace vouch::git {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::TestRepo;
using Names = std::vector<std::string>;

Repository open_ok(const std::string& path) {
  auto r = Repository::open(path);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

// "A path", "R old -> new", ... in the order changed_paths returns them.
std::vector<std::string> changes(Repository& repo, const std::string& oid) {
  auto got = changed_paths(repo, oid);
  if (!got.ok()) {
    ADD_FAILURE() << got.error().message;
    return {};
  }
  std::vector<std::string> out;
  for (const auto& c : *got) {
    out.push_back(std::string(1, c.status) + " " +
                  (c.status == 'R' ? c.old_path + " -> " : "") + c.path);
  }
  return out;
}

Names names(Repository& repo, const std::string& oid) {
  auto got = changed_path_names(repo, oid);
  if (!got.ok()) {
    ADD_FAILURE() << got.error().message;
    return {};
  }
  return *got;
}

std::string commit_staged(TestRepo& repo, const std::string& message) {
  repo.git({"commit", "-q", "--allow-empty", "-m", message});
  return repo.git({"rev-parse", "HEAD"});
}

const auto kNone = TestRepo::Signer::none();

TEST(ChangedPathsTest, AddDeleteModify) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"keep.txt", "k\n"}, {"mod.txt", "1\n"}, {"gone.txt", "g\n"}}, "one", kNone);
  fs::remove(dir / "repo/gone.txt");
  std::string c = repo.commit({{"mod.txt", "2\n"}, {"new/file.txt", "n\n"}}, "two", kNone);
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, c),
            (std::vector<std::string>{"D gone.txt", "M mod.txt", "A new/file.txt"}));
  EXPECT_EQ(names(r, c), (Names{"gone.txt", "mod.txt", "new/file.txt"}));
}

TEST(ChangedPathsTest, ModeOnlyChangeIsModified) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"configure", "#!/bin/sh\n"}}, "one", kNone);
  // Even with core.fileMode off (as on filesystems without exec bits), a mode
  // change recorded in the trees is a change.
  repo.git({"update-index", "--chmod=+x", "configure"});
  std::string c = commit_staged(repo, "chmod");
  repo.git({"config", "core.fileMode", "false"});
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, c), (std::vector<std::string>{"M configure"}));
  EXPECT_EQ(names(r, c), (Names{"configure"}));
}

TEST(ChangedPathsTest, FileToSymlinkIsTypeChange) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"m4/macro.m4", "dnl\n"}, {"other.m4", "x\n"}}, "one", kNone);
  fs::remove(dir / "repo/m4/macro.m4");
  fs::create_symlink("../other.m4", dir / "repo/m4/macro.m4");
  std::string c = repo.commit({}, "link", kNone);
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, c), (std::vector<std::string>{"T m4/macro.m4"}));
  EXPECT_EQ(names(r, c), (Names{"m4/macro.m4"}));
}

TEST(ChangedPathsTest, FileBecomesDirectory) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"tests", "was a file\n"}}, "one", kNone);
  fs::remove(dir / "repo/tests");
  std::string c = repo.commit({{"tests/files/bad.xz", "payload"}}, "two", kNone);
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, c), (std::vector<std::string>{"D tests", "A tests/files/bad.xz"}));
  EXPECT_EQ(names(r, c), (Names{"tests", "tests/files/bad.xz"}));
}

TEST(ChangedPathsTest, RenameCountsBothPaths) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string body;
  for (int i = 0; i < 50; ++i) body += "line " + std::to_string(i) + "\n";
  repo.commit({{"build-aux/exact.sh", "exact\n"}, {"m4/similar.m4", body},
               {"m4/different.m4", "short\n"}},
              "one", kNone);
  fs::create_directories(dir / "repo/scripts");
  fs::create_directories(dir / "repo/src");
  repo.git({"mv", "build-aux/exact.sh", "scripts/exact.sh"});
  repo.git({"mv", "m4/similar.m4", "src/similar.c"});
  repo.git({"mv", "m4/different.m4", "src/different.c"});
  test::write_file(dir / "repo/src/similar.c", body + "one more line\n");
  std::string c = repo.commit({{"src/different.c", "completely new contents\n"}}, "mv", kNone);
  Repository r = open_ok(repo.path());
  // A rename too different to be detected stays a delete plus an add: the
  // path set is the same either way.
  EXPECT_EQ(changes(r, c), (std::vector<std::string>{"D m4/different.m4",
                                                     "R build-aux/exact.sh -> scripts/exact.sh",
                                                     "A src/different.c",
                                                     "R m4/similar.m4 -> src/similar.c"}));
  EXPECT_EQ(names(r, c), (Names{"build-aux/exact.sh", "m4/different.m4", "m4/similar.m4",
                                "scripts/exact.sh", "src/different.c", "src/similar.c"}));
}

TEST(ChangedPathsTest, LargeDiffPairsIdenticalBlobsOnly) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::map<std::string, std::string> files;
  for (int i = 0; i < 600; ++i) files["old/f" + std::to_string(1000 + i)] = std::to_string(i) + "\n";
  files["old/empty"] = "";
  repo.commit(files, "one", kNone);
  fs::rename(dir / "repo/old", dir / "repo/new");
  test::write_file(dir / "repo/new/f1000", "edited\n");  // no longer identical
  std::string c = repo.commit({}, "move", kNone);
  Repository r = open_ok(repo.path());

  auto got = changes(r, c);
  ASSERT_EQ(got.size(), 603u);  // 599 renames, the edited file and the empty file as D + A
  EXPECT_EQ(got[0], "A new/empty");
  EXPECT_EQ(got[1], "A new/f1000");
  EXPECT_EQ(got[2], "R old/f1001 -> new/f1001");
  EXPECT_EQ(got[600], "R old/f1599 -> new/f1599");
  EXPECT_EQ(got[601], "D old/empty");
  EXPECT_EQ(got[602], "D old/f1000");
  EXPECT_EQ(names(r, c).size(), 1202u);
}

TEST(ChangedPathsTest, SubmoduleAddedMovedAndReplaced) {
  TempDir dir;
  TestRepo lib(dir / "lib", nullptr);
  std::string v1 = lib.commit({{"lib.c", "1\n"}}, "v1", kNone);
  std::string v2 = lib.commit({{"lib.c", "2\n"}}, "v2", kNone);

  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"README", "r\n"}}, "one", kNone);
  repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", dir / "lib",
            "vendor/lib"});
  std::string added = commit_staged(repo, "add submodule");
  repo.git({"-C", "vendor/lib", "checkout", "-q", v1});
  repo.git({"add", "vendor/lib"});
  std::string moved = commit_staged(repo, "move submodule");

  // .gitmodules asking to ignore the submodule, and diff.ignoreSubmodules in
  // the verifier's config, must not hide a move: both are work-tree settings.
  test::write_file(dir / "repo/.gitmodules",
                   repo.git({"show", "HEAD:.gitmodules"}) + "\n\tignore = all\n");
  repo.git({"add", ".gitmodules"});
  commit_staged(repo, "ignore all");
  repo.git({"update-index", "--cacheinfo", "160000," + v2 + ",vendor/lib"});
  std::string moved_ignored = commit_staged(repo, "move again");
  repo.git({"config", "diff.ignoreSubmodules", "all"});

  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, added), (std::vector<std::string>{"A .gitmodules", "A vendor/lib"}));
  EXPECT_EQ(changes(r, moved), (std::vector<std::string>{"M vendor/lib"}));
  EXPECT_EQ(changes(r, moved_ignored), (std::vector<std::string>{"M vendor/lib"}));
  EXPECT_EQ(names(r, moved_ignored), (Names{"vendor/lib"}));

  // Submodule replaced by a regular file: a type change.
  repo.git({"rm", "-q", "--cached", "vendor/lib"});
  std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "now a file\n");
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + ",vendor/lib"});
  std::string replaced = commit_staged(repo, "replace");
  EXPECT_EQ(changes(r, replaced), (std::vector<std::string>{"T vendor/lib"}));
}

TEST(ChangedPathsTest, GitlinkWithoutCheckout) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"README", "r\n"}}, "one", kNone);
  std::string a(40, 'a');
  std::string b(40, 'b');
  repo.git({"update-index", "--add", "--cacheinfo", "160000," + a + ",ext/dep"});
  std::string added = commit_staged(repo, "gitlink");
  repo.git({"update-index", "--cacheinfo", "160000," + b + ",ext/dep"});
  std::string moved = commit_staged(repo, "gitlink moved");
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, added), (std::vector<std::string>{"A ext/dep"}));
  EXPECT_EQ(changes(r, moved), (std::vector<std::string>{"M ext/dep"}));
}

TEST(ChangedPathsTest, MergeBringsTheSideBranchAndItsOwnEdits) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}, {"b.txt", "b\n"}, {"c.txt", "c\n"}}, "base", kNone);
  repo.git({"checkout", "-q", "-b", "side"});
  repo.commit({{"b.txt", "side\n"}, {"side/new.txt", "n\n"}}, "side work", kNone);
  repo.git({"checkout", "-q", "main"});
  repo.commit({{"a.txt", "main\n"}}, "main work", kNone);
  repo.git({"branch", "main2"});

  // Clean merge: exactly what the side branch brings in.
  repo.git({"merge", "-q", "--no-ff", "--no-edit", "side"});
  std::string clean = repo.git({"rev-parse", "HEAD"});

  // Evil merge: the merge commit itself also edits c.txt (and reverts nothing).
  repo.git({"checkout", "-q", "main2"});
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
  test::write_file(dir / "repo/c.txt", "sneaky\n");
  repo.git({"add", "c.txt"});
  std::string evil = commit_staged(repo, "evil merge");

  Repository r = open_ok(repo.path());
  EXPECT_EQ(names(r, clean), (Names{"b.txt", "side/new.txt"}));
  EXPECT_EQ(names(r, evil), (Names{"b.txt", "c.txt", "side/new.txt"}));
  EXPECT_EQ(changes(r, evil),
            (std::vector<std::string>{"M b.txt", "M c.txt", "A side/new.txt"}));
}

TEST(ChangedPathsTest, RootCommitChangesEveryPath) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"z.txt", "z\n"}, {".vouch/policy.toml", "p\n"}, {"d/e.txt", "e\n"}},
                              "root", kNone);
  Repository r = open_ok(repo.path());
  EXPECT_EQ(changes(r, c),
            (std::vector<std::string>{"A .vouch/policy.toml", "A d/e.txt", "A z.txt"}));
  EXPECT_EQ(names(r, c), (Names{".vouch/policy.toml", "d/e.txt", "z.txt"}));

  std::string empty = repo.commit({}, "nothing", kNone);
  EXPECT_TRUE(names(r, empty).empty());
  EXPECT_TRUE(changes(r, empty).empty());
}

TEST(ChangedPathsTest, NonUtf8NamesAreBytesAndSortedBytewise) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"README", "r\n"}}, "one", kNone);
  std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "latin1\n");
  std::string latin1 = "caf\xe9.txt";
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + "," + latin1});
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + ",Zeta"});
  repo.git({"update-index", "--add", "--cacheinfo", "100644," + blob + ",alpha"});
  std::string c = commit_staged(repo, "names");
  Repository r = open_ok(repo.path());
  // Byte order: 'Z' (0x5a) < 'a' (0x61) < "caf\xe9" (0xe9 compared unsigned).
  EXPECT_EQ(names(r, c), (Names{"Zeta", "alpha", latin1}));
}

TEST(ChangedPathsTest, CaseIsPreservedEvenWithIgnoreCaseConfig) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"Security.md", "1\n"}, {"SECURITY.md", "1\n"}}, "one", kNone);
  std::string c = repo.commit({{"Security.md", "2\n"}}, "two", kNone);
  repo.git({"config", "core.ignoreCase", "true"});
  Repository r = open_ok(repo.path());
  EXPECT_EQ(names(r, c), (Names{"Security.md"}));
  EXPECT_EQ(changes(r, c), (std::vector<std::string>{"M Security.md"}));
}

TEST(ChangedPathsTest, Errors) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}}, "one", kNone);
  Repository r = open_ok(repo.path());
  auto bad = changed_path_names(r, "main");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid object id 'main'");
  std::string absent(40, 'f');
  auto missing = changed_paths(r, absent);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message, "no object " + absent);
}

// A commit whose tree holds a name git refuses, in a directory the commit
// changed: refused, with the directory (fuzz/fuzz_git_tree).
TEST(ChangedPathsTest, EntryNamesGitRefusesAreMalformed) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}, {"src/m.c", "m\n"}}, "one", kNone);
  Repository r = open_ok(repo.path());
  const std::string blob = repo.git({"rev-parse", "HEAD:a.txt"});
  const std::string src = test::write_raw_tree(r, {{"100644", "../../.vouch/policy.toml", blob}});
  const std::string top = test::write_raw_tree(r, {{"100644", "a.txt", blob}, {"40000", "src", src}});
  std::string c = repo.git({"commit-tree", top, "-p", "HEAD", "-m", "odd"});
  const std::string expected = "tree of commit " + c.substr(0, 12) +
                               " has an entry named \"../../.vouch/policy.toml\" in src/ (git refuses such names)";
  auto paths = changed_paths(r, c);
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.error().kind, ErrorKind::malformed);
  EXPECT_EQ(paths.error().message, expected);
  auto names = changed_path_names(r, c);
  ASSERT_FALSE(names.ok());
  EXPECT_EQ(names.error().message, expected);
  // What NTFS opens as .git, and a link HFS+ opens as .gitmodules.
  for (const auto& [mode, name, what] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"40000", "GIT~1", "an entry"}, {"120000", ".gitmodules\u200c", "a symbolic link"}}) {
    const std::string alias =
        test::write_raw_tree(r, {{"100644", "a.txt", blob}, {mode, name, mode == "40000" ? src : blob}});
    std::string d = repo.git({"commit-tree", alias, "-p", "HEAD", "-m", "alias"});
    auto aliased = changed_paths(r, d);
    ASSERT_FALSE(aliased.ok()) << name;
    std::string expected_alias = "tree of commit " + d.substr(0, 12) + " has ";
    expected_alias.append(what)
        .append(" named \"")
        .append(name)
        .append("\" in the top directory (git refuses such names)");
    EXPECT_EQ(aliased.error().message, expected_alias);
  }
}

/// HEAD's tree plus `deep` (a tree id) as directory "deep", committed on HEAD.
std::string commit_with_deep(TestRepo& repo, const std::string& deep) {
  std::string entries = repo.git({"ls-tree", "HEAD"}) + "\n040000 tree " + deep + "\tdeep\n";
  std::string tree = repo.git({"mktree"}, entries);
  std::string c = repo.git({"commit-tree", tree, "-p", "HEAD", "-m", "deep"});
  repo.git({"update-ref", "HEAD", c});
  return c;
}

TEST(ChangedPathsTest, DeepTreeAddedOrDeletedIsMalformed) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}}, "one", kNone);
  Repository r = open_ok(repo.path());
  std::string at_limit = commit_with_deep(repo, test::write_deep_tree(r, kMaxTreeDepth - 1));
  auto ok = changed_path_names(r, at_limit);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].size(), std::string("deep/").size() + 2 * (kMaxTreeDepth - 1) + 1);

  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  std::string added = commit_with_deep(repo, test::write_deep_tree(r, 20'000));
  std::string expected_path = "deep";
  while (expected_path.size() < 120) expected_path += "/d";
  for (const auto& result : {changed_paths(r, added).error(), changed_path_names(r, added).error()}) {
    EXPECT_EQ(result.kind, ErrorKind::malformed);
    EXPECT_EQ(result.message, "tree nested deeper than 4096 levels at " + expected_path.substr(0, 120) +
                                  "... in commit " + added.substr(0, 12));
  }
  // Deleting it walks the parent's side: just as deep.
  std::string tree = repo.git({"rev-parse", "HEAD~1^{tree}"});
  std::string deleted = repo.git({"commit-tree", tree, "-p", added, "-m", "delete"});
  auto gone = changed_path_names(r, deleted);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().message, "tree nested deeper than 4096 levels at " + expected_path.substr(0, 120) +
                                      "... in commit " + deleted.substr(0, 12));
  // A child that leaves it untouched never opens it.
  std::string child = repo.git({"commit-tree", added + "^{tree}", "-p", added, "-m", "same"});
  auto same = changed_path_names(r, child);
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_TRUE(same->empty());
}

// Measurement, not a test (no timing assertion); run with
//   vouch_git_tests --gtest_also_run_disabled_tests --gtest_filter='*FiftyThousand*'
// Builds 50,000 files with git fast-import, then times a commit modifying all
// of them, one renaming all of them, and one renaming all with edits.
TEST(ChangedPathsPerfTest, DISABLED_FiftyThousandPaths) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  constexpr int kFiles = 50000;
  auto path = [](const char* top, int i) {
    return std::string(top) + "/d" + std::to_string(i / 1000) + "/f" + std::to_string(i) + ".txt";
  };
  auto data = [](const std::string& s) { return "data " + std::to_string(s.size()) + "\n" + s + "\n"; };
  std::string stream;
  // Successive commits on one branch chain onto each other in fast-import.
  auto commit = [&](const std::string& msg) {
    stream += "commit refs/heads/main\ncommitter T <t@example.org> 1700000000 +0000\n" + data(msg);
  };
  commit("base");
  for (int i = 0; i < kFiles; ++i) {
    stream += "M 100644 inline " + path("src", i) + "\n" + data("file " + std::to_string(i) + "\n");
  }
  commit("modify all");
  for (int i = 0; i < kFiles; ++i) {
    stream += "M 100644 inline " + path("src", i) + "\n" + data("changed " + std::to_string(i) + "\n");
  }
  commit("rename all");
  stream += "D src\n";
  for (int i = 0; i < kFiles; ++i) {
    stream += "M 100644 inline " + path("lib", i) + "\n" + data("changed " + std::to_string(i) + "\n");
  }
  commit("rename all with edits");
  stream += "D lib\n";
  for (int i = 0; i < kFiles; ++i) {
    stream += "M 100644 inline " + path("pkg", i) + "\n" +
              data("changed " + std::to_string(i) + "\nand edited\n");
  }
  repo.git({"fast-import", "--quiet"}, stream);
  Repository r = open_ok(repo.path());
  for (const char* rev : {"main~3", "main~2", "main~1", "main"}) {
    std::string oid = repo.git({"rev-parse", rev});
    auto t0 = std::chrono::steady_clock::now();
    auto n = changed_path_names(r, oid);
    auto t1 = std::chrono::steady_clock::now();
    auto c = changed_paths(r, oid);
    auto t2 = std::chrono::steady_clock::now();
    ASSERT_TRUE(n.ok() && c.ok());
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::printf("%-7s names: %6zu paths %8.1f ms   changed_paths: %6zu deltas %8.1f ms\n", rev,
                n->size(), ms(t1 - t0), c->size(), ms(t2 - t1));
  }
}

}  // namespace
}  // namespace vouch::git
