#include "git/tree_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <tuple>

#include "deep_tree.h"
#include "test_env.h"

namespace vouch::git {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::TestRepo;

Repository open_ok(const std::string& path) {
  auto r = Repository::open(path);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

// A gitlink (submodule entry) at `path` pointing at `oid`, staged without a
// submodule checkout: the tree entry is all vouch ever looks at.
void stage_gitlink(TestRepo& repo, const std::string& path, const std::string& oid) {
  repo.git({"update-index", "--add", "--cacheinfo", "160000," + oid + "," + path});
}

std::string commit_staged(TestRepo& repo, const std::string& message) {
  repo.git({"commit", "-q", "--allow-empty", "-m", message});
  return repo.git({"rev-parse", "HEAD"});
}

const std::string kSubmoduleOid = "1111111111111111111111111111111111111111";

TEST(ReadFileAtTest, ReadsTheCommitsBlobNotTheWorkTree) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a.txt", "one\n"}, {"sub/dir/b.txt", "bee\n"}}, "one",
                               TestRepo::Signer::none());
  std::string c2 = repo.commit({{"a.txt", "two\n"}}, "two", TestRepo::Signer::none());
  test::write_file(dir / "repo/a.txt", "dirty work tree\n");
  Repository r = open_ok(repo.path());

  auto one = read_file_at(r, c1, "a.txt");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(*one, std::optional<std::string>("one\n"));
  auto two = read_file_at(r, c2, "a.txt");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, std::optional<std::string>("two\n"));
  auto nested = read_file_at(r, c2, "sub/dir/b.txt");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(*nested, std::optional<std::string>("bee\n"));
}

TEST(ReadFileAtTest, MissingPathIsNullopt) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a.txt", "a\n"}}, "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());
  for (const char* p : {"missing.txt", "a.txt/below", "no/such/dir/file", "A.TXT"}) {
    auto got = read_file_at(r, c, p);
    ASSERT_TRUE(got.ok()) << p << ": " << got.error().message;
    EXPECT_FALSE(got->has_value()) << p;
  }
}

TEST(ReadFileAtTest, DirectorySymlinkAndSubmoduleAreErrors) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{".vouch/policy.toml", "x"}}, "one", TestRepo::Signer::none());
  fs::create_symlink("target.txt", dir / "repo/link");
  repo.git({"add", "link"});
  stage_gitlink(repo, "vendor/lib", kSubmoduleOid);
  std::string c = commit_staged(repo, "two");
  Repository r = open_ok(repo.path());

  auto d = read_file_at(r, c, ".vouch");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(d.error().message, ".vouch is a directory in commit " + c.substr(0, 12));
  auto l = read_file_at(r, c, "link");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().message, "link is a symbolic link in commit " + c.substr(0, 12));
  auto s = read_file_at(r, c, "vendor/lib");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "vendor/lib is a submodule in commit " + c.substr(0, 12));
}

TEST(ReadFileAtTest, InvalidPathsAreRefused) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a/b.txt", "b\n"}}, "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());
  for (const char* p : {"", "/a/b.txt", "a//b.txt", "a/", "./a/b.txt", "a/../a/b.txt"}) {
    auto got = read_file_at(r, c, p);
    ASSERT_FALSE(got.ok()) << p;
    EXPECT_EQ(got.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(got.error().message, "invalid path '" + std::string(p) + "'");
  }
}

TEST(ReadFileAtTest, BadCommitIds) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}}, "one", TestRepo::Signer::none());
  std::string blob = repo.git({"rev-parse", "HEAD:a.txt"});
  Repository r = open_ok(repo.path());

  auto bad = read_file_at(r, "HEAD", "a.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(bad.error().message, "invalid object id 'HEAD'");

  auto not_commit = read_file_at(r, blob, "a.txt");
  ASSERT_FALSE(not_commit.ok());
  EXPECT_EQ(not_commit.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(not_commit.error().message, "object " + blob + " is a blob, not a commit");

  std::string absent(40, 'e');
  auto missing = read_file_at(r, absent, "a.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message, "no object " + absent);
}

TEST(ReadFileAtTest, NonUtf8AndCaseDifferingNames) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string latin1 = "caf\xe9.txt";
  std::string c = repo.commit({{latin1, "latin1\n"}, {"Security.md", "upper\n"},
                               {"security.md", "lower\n"}},
                              "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());
  auto a = read_file_at(r, c, latin1);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, std::optional<std::string>("latin1\n"));
  auto upper = read_file_at(r, c, "Security.md");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, std::optional<std::string>("upper\n"));
  auto lower = read_file_at(r, c, "security.md");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower, std::optional<std::string>("lower\n"));
}

TEST(ListTreeTest, WholeTreeWithModes) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"a.txt", "a\n"}, {"d/e/f.txt", "f\n"}, {"run.sh", "#!/bin/sh\n"}}, "one",
              TestRepo::Signer::none());
  fs::permissions(dir / "repo/run.sh", fs::perms::owner_exec, fs::perm_options::add);
  fs::create_symlink("a.txt", dir / "repo/link");
  repo.git({"add", "-A"});
  stage_gitlink(repo, "mod", kSubmoduleOid);
  std::string c = commit_staged(repo, "two");
  Repository r = open_ok(repo.path());

  auto files = list_tree(r, c);
  ASSERT_TRUE(files.ok()) << files.error().message;
  std::vector<std::string> got;
  for (const auto& f : *files) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%06o", f.mode);
    got.push_back(std::string(mode) + " " + f.path);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"100644 a.txt", "100644 d/e/f.txt", "120000 link",
                                           "160000 mod", "100755 run.sh"}));
  EXPECT_EQ((*files)[0].oid, repo.git({"rev-parse", c + ":a.txt"}));
  EXPECT_EQ((*files)[3].oid, kSubmoduleOid);
}

TEST(ListTreeTest, SubdirectoryMissingDirectoryAndFile) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{".vouch/policy.toml", "p"},
                               {".vouch/keys/alice.pub", "ssh-ed25519 AAAA\n"},
                               {".vouch/keys/team/bob.asc", "armor\n"},
                               {".vouch/keysX", "not in the dir\n"}},
                              "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());

  for (const char* d : {".vouch/keys", ".vouch/keys/"}) {
    auto files = list_tree(r, c, d);
    ASSERT_TRUE(files.ok()) << files.error().message;
    ASSERT_EQ(files->size(), 2u) << d;
    EXPECT_EQ((*files)[0].path, ".vouch/keys/alice.pub");
    EXPECT_EQ((*files)[0].mode, 0100644u);
    EXPECT_EQ((*files)[1].path, ".vouch/keys/team/bob.asc");
    auto blob = read_blob(r, (*files)[1].oid);
    ASSERT_TRUE(blob.ok());
    EXPECT_EQ(*blob, "armor\n");
  }

  auto missing = list_tree(r, c, "no/such/dir");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());

  auto file = list_tree(r, c, ".vouch/policy.toml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(file.error().message,
            ".vouch/policy.toml is not a directory in commit " + c.substr(0, 12));

  auto invalid = list_tree(r, c, "/abs");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message, "invalid path '/abs'");
}

/// "d/d/.../d/" (`levels` times).
std::string nested(size_t levels, const std::string& name = "d") {
  std::string out;
  for (size_t i = 0; i < levels; ++i) out += name + "/";
  return out;
}

std::string commit_tree(TestRepo& repo, const std::string& tree) {
  return repo.git({"commit-tree", tree, "-m", "deep"});
}

TEST(ListTreeTest, DepthLimitIs4096Levels) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  Repository r = open_ok(repo.path());
  std::string at_limit = commit_tree(repo, test::write_deep_tree(r, kMaxTreeDepth));
  auto files = list_tree(r, at_limit);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, nested(4096) + "f");

  std::string beyond = commit_tree(repo, test::write_deep_tree(r, kMaxTreeDepth + 1));
  auto deep = list_tree(r, beyond);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().kind, ErrorKind::malformed);
  EXPECT_EQ(deep.error().message, "tree nested deeper than 4096 levels at " + nested(60).substr(0, 120) +
                                      "... in commit " + beyond.substr(0, 12));
}

// Names git refuses in a tree (git fsck, checkout) are refused by the walk:
// "a/b" or "/x" would make vouch's path differ from what a checkout writes
// (found by fuzz/fuzz_git_tree).
TEST(ListTreeTest, EntryNamesGitRefusesAreMalformed) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  Repository r = open_ok(repo.path());
  const std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "x\n");
  const std::string sub = test::write_raw_tree(r, {{"100644", "ok", blob}, {"100644", "x\x01y/z", blob}});
  const std::vector<std::pair<std::string, std::string>> cases = {{"a/b", "\"a/b\" in the top directory"},
                                                                  {"/x", "\"/x\" in the top directory"},
                                                                  {"..", "\"..\" in the top directory"},
                                                                  {".", "\".\" in the top directory"},
                                                                  {".GiT", "\".GiT\" in the top directory"}};
  for (const auto& [name, where] : cases) {
    std::string c = commit_tree(repo, test::write_raw_tree(r, {{"100644", name, blob}}));
    auto files = list_tree(r, c);
    ASSERT_FALSE(files.ok()) << name;
    EXPECT_EQ(files.error().kind, ErrorKind::malformed);
    EXPECT_EQ(files.error().message,
              "tree of commit " + c.substr(0, 12) + " has an entry named " + where + " (git refuses such names)");
  }
  // An empty name: libgit2 refuses to parse the tree before vouch sees it.
  std::string empty = commit_tree(repo, test::write_raw_tree(r, {{"100644", "", blob}}));
  auto unnamed = list_tree(r, empty);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().message,
            "cannot read the tree of commit " + empty + ": failed to parse tree: can't parse filename");
  std::string nested = commit_tree(repo, test::write_raw_tree(r, {{"40000", "d", sub}}));
  auto files = list_tree(r, nested);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().message, "tree of commit " + nested.substr(0, 12) +
                                       " has an entry named \"x\\x01y/z\" in d/ (git refuses such names)");
  // ".gitignore", "...", "a.git" are ordinary names.
  std::string fine = commit_tree(
      repo,
      test::write_raw_tree(r, {{"100644", "...", blob}, {"100644", ".gitignore", blob}, {"100644", "a.git", blob}}));
  auto listed = list_tree(r, fine);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->size(), 3u);
}

// The names NTFS and HFS+ open as ".git" (git refuses them on every
// platform, as git fsck does), and a symbolic link they open as
// ".gitmodules": a clone onto such a file system would write into .git.
TEST(ListTreeTest, NtfsAndHfsAliasesOfDotGitAreMalformed) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  Repository r = open_ok(repo.path());
  const std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "x\n");
  const std::vector<std::tuple<std::string, std::string, std::string>> refused = {
      {"100644", ".git.", "an entry named \".git.\""},
      {"100644", ".GIT  ", "an entry named \".GIT  \""},
      {"100644", ".git::$INDEX_ALLOCATION", "an entry named \".git::$INDEX_ALLOCATION\""},
      {"100644", "git~1", "an entry named \"git~1\""},
      {"100644", "GIT~1. ", "an entry named \"GIT~1. \""},
      {"100644", "x\\.git", "an entry named \"x\\.git\""},
      {"100644", ".git\\hooks", "an entry named \".git\\hooks\""},
      {"100644", ".g\u200cit", "an entry named \".g\u200cit\""},
      {"100644", "\ufeff.GIT", "an entry named \"\ufeff.GIT\""},
      {"100644", ".git\xff", "an entry named \".git\xff\""},
      {"120000", ".gitmodules", "a symbolic link named \".gitmodules\""},
      {"120000", ".GitModules ", "a symbolic link named \".GitModules \""},
      {"120000", "gitmod~1", "a symbolic link named \"gitmod~1\""},
      {"120000", "GI7EBA~9", "a symbolic link named \"GI7EBA~9\""},
      {"120000", ".git\u200dmodules", "a symbolic link named \".git\u200dmodules\""},
      // Bytes git's UTF-8 reader refuses end the name for its HFS+ check:
      // overlong forms, a surrogate, U+FFFE, above U+10FFFF (found by an attack).
      {"100644", ".git\xC0\xAF", "an entry named \".git\xC0\xAF\""},
      {"100644", ".GIT\xE0\x80\xAF", "an entry named \".GIT\xE0\x80\xAF\""},
      {"100644", ".git\xED\xA0\x80", "an entry named \".git\xED\xA0\x80\""},
      {"100644", ".git\xEF\xBF\xBE", "an entry named \".git\xEF\xBF\xBE\""},
      {"100644", ".git\xF4\x90\x80\x80", "an entry named \".git\xF4\x90\x80\x80\""},
      {"120000", ".git\xC0\xAEmodules", "a symbolic link named \".git\xC0\xAEmodules\""},
  };
  for (const auto& [mode, name, what] : refused) {
    std::string c = commit_tree(repo, test::write_raw_tree(r, {{mode, name, blob}}));
    auto files = list_tree(r, c);
    ASSERT_FALSE(files.ok()) << name;
    EXPECT_EQ(files.error().kind, ErrorKind::malformed);
    EXPECT_EQ(files.error().message,
              "tree of commit " + c.substr(0, 12) + " has " + what + " in the top directory (git refuses such names)");
  }
  // Near misses git accepts: a .gitmodules file, names that only start
  // like the aliases, a link named like ".gitmodules" plus a letter.
  std::string fine = commit_tree(repo, test::write_raw_tree(r, {{"100644", ".gitmodules", blob},
                                                                {"100644", ".git~1", blob},
                                                                {"100644", ".gitx", blob},
                                                                {"100644", "git~2", blob},
                                                                {"100644", "git~1x", blob},
                                                                {"100644", "x\\y", blob},
                                                                {"100644", "gitmod~1", blob},
                                                                {"120000", ".gitmodulesx", blob},
                                                                {"120000", "gitmod~5", blob}}));
  auto listed = list_tree(r, fine);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->size(), 9u);
}

TEST(ListTreeTest, DepthCountsFromTheRootWhenListingADirectory) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  Repository r = open_ok(repo.path());
  // .vouch/keys is level 2: 4094 more levels fit, 4095 do not.
  for (size_t extra : {size_t{4094}, size_t{4095}}) {
    std::string deep = test::write_deep_tree(r, extra - 1, "k", "a.pub");
    std::string keys = repo.git({"mktree"}, "040000 tree " + deep + "\tk\n");
    std::string dotvouch = repo.git({"mktree"}, "040000 tree " + keys + "\tkeys\n");
    std::string root = repo.git({"mktree"}, "040000 tree " + dotvouch + "\t.vouch\n");
    std::string c = commit_tree(repo, root);
    auto files = list_tree(r, c, ".vouch/keys");
    if (extra == 4094) {
      ASSERT_TRUE(files.ok()) << files.error().message;
      ASSERT_EQ(files->size(), 1u);
      EXPECT_EQ((*files)[0].path, ".vouch/keys/" + nested(4094, "k") + "a.pub");
    } else {
      ASSERT_FALSE(files.ok());
      EXPECT_EQ(files.error().message, "tree nested deeper than 4096 levels at " +
                                           (".vouch/keys/" + nested(60, "k")).substr(0, 120) + "... in commit " +
                                           c.substr(0, 12));
    }
  }
}

TEST(ListTreeTest, TwentyThousandLevelsFailFastWithoutRecursion) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  Repository r = open_ok(repo.path());
  std::string c = commit_tree(repo, test::write_deep_tree(r, 20'000));
  auto start = std::chrono::steady_clock::now();
  auto files = list_tree(r, c);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().kind, ErrorKind::malformed);
  EXPECT_LT(ms, 5000 * test::kSlowdown);
}

TEST(ReadBlobTest, ExactBytesAndTypeErrors) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string content("nul\0byte\xff", 9);
  std::string blob = repo.git({"hash-object", "-w", "--stdin"}, content);
  std::string c = repo.commit({{"a.txt", "a\n"}}, "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());

  auto got = read_blob(r, blob);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, content);

  std::string tree = repo.git({"rev-parse", c + "^{tree}"});
  auto not_blob = read_blob(r, tree);
  ASSERT_FALSE(not_blob.ok());
  EXPECT_EQ(not_blob.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(not_blob.error().message, "object " + tree + " is a tree, not a blob");

  auto bad = read_blob(r, "1234");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid object id '1234'");
}

TEST(TreeOfTest, MatchesGit) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a.txt", "a\n"}}, "one", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());
  auto tree = tree_of(r, c);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(*tree, repo.git({"rev-parse", c + "^{tree}"}));
}

}  // namespace
}  // namespace vouch::git
