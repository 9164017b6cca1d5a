#include "git/notes.h"

#include <gtest/gtest.h>

#include "git/handles.h"
#include "test_env.h"

namespace vouch::git {
namespace {

using test::TempDir;
using test::TestRepo;

Repository open_ok(const std::string& path) {
  auto r = Repository::open(path);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

const auto kNone = TestRepo::Signer::none();

std::optional<std::string> note_ok(Repository& r, const std::string& oid,
                                   std::string_view ref = kNotesRef) {
  auto got = read_note(r, oid, ref);
  if (!got.ok()) {
    ADD_FAILURE() << got.error().message;
    return std::nullopt;
  }
  return *got;
}

void append_ok(Repository& r, const std::string& oid, const std::string& line) {
  auto done = append_note_line(r, oid, line);
  if (!done.ok()) ADD_FAILURE() << done.error().message;
}

// git's own view of the note, byte for byte.
std::string git_show(TestRepo& repo, const std::string& oid) {
  auto res = repo.git_raw({"notes", "--ref", "vouch", "show", oid});
  EXPECT_EQ(res.exit_code, 0) << res.err;
  return res.out;
}

TEST(NotesTest, NoRefAndNoNoteAreNullopt) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a", "a\n"}}, "one", kNone);
  std::string c2 = repo.commit({{"a", "b\n"}}, "two", kNone);
  Repository r = open_ok(repo.path());
  EXPECT_EQ(note_ok(r, c1), std::nullopt);
  repo.git({"notes", "--ref", "vouch", "add", "-m", "x", c2});
  EXPECT_EQ(note_ok(r, c1), std::nullopt);
  EXPECT_EQ(note_ok(r, c2), std::optional<std::string>("x\n"));
  EXPECT_EQ(note_ok(r, c2, "refs/notes/other"), std::nullopt);
}

TEST(NotesTest, AppendIsReadableByGitAndDeduplicates) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a", "a\n"}}, "one", kNone);
  Repository r = open_ok(repo.path());

  append_ok(r, c, "vouch-approval v1 AAAA BBBB");
  EXPECT_EQ(git_show(repo, c), "vouch-approval v1 AAAA BBBB\n");
  std::string tip = repo.git({"rev-parse", "refs/notes/vouch"});
  EXPECT_EQ(repo.git({"log", "-1", "--format=%an <%ae>", "refs/notes/vouch"}),
            "Test User <test@example.org>");

  append_ok(r, c, "vouch-approval v1 AAAA BBBB");  // already there: nothing written
  EXPECT_EQ(repo.git({"rev-parse", "refs/notes/vouch"}), tip);

  append_ok(r, c, "vouch-approval v1 CCCC DDDD");
  EXPECT_EQ(git_show(repo, c), "vouch-approval v1 AAAA BBBB\nvouch-approval v1 CCCC DDDD\n");
  EXPECT_EQ(repo.git({"rev-parse", "refs/notes/vouch^"}), tip);
  EXPECT_EQ(note_ok(r, c),
            std::optional<std::string>("vouch-approval v1 AAAA BBBB\nvouch-approval v1 CCCC DDDD\n"));
}

TEST(NotesTest, ReadsWhatGitWroteAndAppendsToIt) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a", "a\n"}}, "one", kNone);
  repo.tag("v1.0", c, kNone);  // annotated: approvals may sit on the tag object
  std::string tag = repo.git({"rev-parse", "refs/tags/v1.0"});
  repo.git({"notes", "--ref", "vouch", "add", "-m", "first", c});
  repo.git({"notes", "--ref", "vouch", "append", "-m", "second", c});
  repo.git({"notes", "--ref", "vouch", "add", "-m", "on the tag", tag});
  Repository r = open_ok(repo.path());

  // `git notes append` separates paragraphs with a blank line; read_note
  // returns the bytes as they are.
  EXPECT_EQ(note_ok(r, c), std::optional<std::string>("first\n\nsecond\n"));
  EXPECT_EQ(note_ok(r, tag), std::optional<std::string>("on the tag\n"));

  append_ok(r, c, "second");  // present as a line: no change
  append_ok(r, c, "third");
  EXPECT_EQ(git_show(repo, c), "first\n\nsecond\nthird\n");
  append_ok(r, tag, "tag approval");
  EXPECT_EQ(git_show(repo, tag), "on the tag\ntag approval\n");
}

TEST(NotesTest, NoteWithoutFinalNewlineGetsOne) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a", "a\n"}}, "one", kNone);
  std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "no newline");
  repo.git({"notes", "--ref", "vouch", "add", "-C", blob, c});
  Repository r = open_ok(repo.path());
  EXPECT_EQ(note_ok(r, c), std::optional<std::string>("no newline"));
  append_ok(r, c, "next");
  EXPECT_EQ(note_ok(r, c), std::optional<std::string>("no newline\nnext\n"));
}

TEST(NotesTest, CatSortUniqMergeOfTwoClones) {
  TempDir dir;
  TestRepo a(dir / "a", nullptr);
  std::string c = a.commit({{"a", "a\n"}}, "one", kNone);
  {
    Repository ra = open_ok(a.path());
    append_ok(ra, c, "shared approval");
  }
  TestRepo b(dir / "b", nullptr);
  b.git({"fetch", "-q", a.path(), "main:refs/heads/from-a", "refs/notes/vouch:refs/notes/vouch"});
  {
    Repository ra = open_ok(a.path());
    append_ok(ra, c, "zeta from a");
    Repository rb = open_ok(b.path());
    append_ok(rb, c, "alpha from b");
    append_ok(rb, c, "shared approval");  // already there
  }
  a.git({"fetch", "-q", b.path(), "refs/notes/vouch:refs/notes/vouch-b"});
  a.git({"notes", "--ref", "vouch", "merge", "-q", "-s", "cat_sort_uniq", "refs/notes/vouch-b"});

  Repository ra = open_ok(a.path());
  EXPECT_EQ(note_ok(ra, c),
            std::optional<std::string>("alpha from b\nshared approval\nzeta from a\n"));
  EXPECT_EQ(a.git({"rev-list", "--count", "--merges", "refs/notes/vouch"}), "1");
  append_ok(ra, c, "after the merge");
  EXPECT_EQ(git_show(a, c), "alpha from b\nshared approval\nzeta from a\nafter the merge\n");
}

// Points libgit2's global/XDG/system config lookup at an empty directory for
// the lifetime of the guard, so the user's ~/.gitconfig cannot leak in.
class NoOuterGitConfig {
 public:
  explicit NoOuterGitConfig(const std::string& empty_dir) {
    ensure_libgit2();
    for (int level : kLevels) {
      Buf old;
      git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, old.get());
      saved_.push_back(old.str());
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, empty_dir.c_str());
    }
  }
  ~NoOuterGitConfig() {
    for (size_t i = 0; i < saved_.size(); ++i) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, kLevels[i], saved_[i].c_str());
    }
  }
  NoOuterGitConfig(const NoOuterGitConfig&) = delete;
  NoOuterGitConfig& operator=(const NoOuterGitConfig&) = delete;

 private:
  static constexpr int kLevels[] = {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
                                    GIT_CONFIG_LEVEL_GLOBAL};
  std::vector<std::string> saved_;
};

TEST(NotesTest, FallbackAuthorWithoutGitIdentity) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a", "a\n"}}, "one", kNone);
  repo.git({"config", "--unset", "user.name"});
  repo.git({"config", "--unset", "user.email"});
  test::run_ok({"mkdir", dir / "empty"});
  NoOuterGitConfig guard(dir / "empty");
  Repository r = open_ok(repo.path());
  append_ok(r, c, "line");
  EXPECT_EQ(repo.git({"log", "-1", "--format=%an <%ae>|%cn <%ce>", "refs/notes/vouch"}),
            "vouch <vouch@localhost>|vouch <vouch@localhost>");
}

TEST(NotesTest, Errors) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c = repo.commit({{"a", "a\n"}}, "one", kNone);
  Repository r = open_ok(repo.path());

  auto expect_error = [](const Result<void>& res, ErrorKind kind, const std::string& msg) {
    ASSERT_FALSE(res.ok()) << msg;
    EXPECT_EQ(res.error().kind, kind);
    EXPECT_EQ(res.error().message, msg);
  };
  expect_error(append_note_line(r, c, "two\nlines"), ErrorKind::bad_input,
               "a note line must not contain a newline or NUL byte");
  expect_error(append_note_line(r, c, std::string("nul\0byte", 8)), ErrorKind::bad_input,
               "a note line must not contain a newline or NUL byte");
  expect_error(append_note_line(r, c, ""), ErrorKind::bad_input, "a note line must not be empty");
  expect_error(append_note_line(r, c, "x", "vouch"), ErrorKind::bad_input,
               "invalid notes ref 'vouch'");
  expect_error(append_note_line(r, c, "x", "refs/notes/bad..name"), ErrorKind::bad_input,
               "invalid notes ref 'refs/notes/bad..name'");
  expect_error(append_note_line(r, "HEAD", "x"), ErrorKind::bad_input,
               "invalid object id 'HEAD'");
  std::string absent(40, '0');
  expect_error(append_note_line(r, absent, "x"), ErrorKind::not_found, "no object " + absent);
  EXPECT_EQ(repo.git_raw({"rev-parse", "--verify", "-q", "refs/notes/vouch"}).exit_code, 1);

  auto bad_read = read_note(r, c, "notes/vouch");
  ASSERT_FALSE(bad_read.ok());
  EXPECT_EQ(bad_read.error().message, "invalid notes ref 'notes/vouch'");
}

}  // namespace
}  // namespace vouch::git
