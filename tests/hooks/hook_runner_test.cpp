// hooks/hook_runner and hooks/proposed_repo in process: parsing what git
// hands the hooks (exact errors), ref-name checks, the quarantine
// environment, the proposed repository (objects from an extra directory, refs
// as the push proposes them, removed afterwards), and check_push on a real
// repository with a real SSH-signed policy commit.
#include "hooks/hook_runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "hooks/proposed_repo.h"
#include "test_env.h"

namespace vouch::hooks {
namespace {

using test::TempDir;
using test::TestRepo;

const std::string A(40, 'a');
const std::string B(40, 'b');
const std::string Z(kZeroOid);

TEST(ParseReceiveLines, ReadsEveryLineAndSkipsBlankOnes) {
  auto r = parse_receive_lines(A + " " + B + " refs/heads/main\n\n" + Z + " " + A + " refs/tags/v1.0\r\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].old_oid, A);
  EXPECT_EQ((*r)[0].new_oid, B);
  EXPECT_EQ((*r)[0].ref, "refs/heads/main");
  EXPECT_TRUE((*r)[1].is_create());
  EXPECT_FALSE((*r)[1].is_delete());
  EXPECT_TRUE(parse_receive_lines("")->empty());
}

TEST(ParseReceiveLines, ExactErrors) {
  EXPECT_EQ(parse_receive_lines(A + " " + B + " refs/heads/x\n" + A + " refs/heads/y\n").error().message,
            "line 2: expected 'OLD NEW REF'");
  EXPECT_EQ(parse_receive_lines(A + "  " + B + " refs/heads/x\n").error().message, "line 1: expected 'OLD NEW REF'");
  EXPECT_EQ(parse_receive_lines("xyz " + B + " refs/heads/x").error().message, "line 1: invalid object id 'xyz'");
  EXPECT_EQ(parse_receive_lines(std::string(40, 'A') + " " + B + " refs/heads/x").error().message,
            "line 1: invalid object id '" + std::string(40, 'A') + "'");
  EXPECT_EQ(parse_receive_lines(A + " " + B + " refs/heads/a..b").error().message,
            "line 1: invalid ref name 'refs/heads/a..b'");
  EXPECT_EQ(parse_receive_lines(A + " " + B + " HEAD").error().kind, ErrorKind::bad_input);
}

TEST(ParsePushLines, RemoteSideBecomesTheUpdate) {
  auto r = parse_push_lines("refs/heads/topic " + B + " refs/heads/main " + A + "\n(delete) " + Z +
                            " refs/heads/old " + A + "\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].ref, "refs/heads/main");
  EXPECT_EQ((*r)[0].old_oid, A);
  EXPECT_EQ((*r)[0].new_oid, B);
  EXPECT_TRUE((*r)[1].is_delete());
  EXPECT_EQ(parse_push_lines(A + " " + B + " refs/heads/x\n").error().message,
            "line 1: expected 'LOCAL_REF LOCAL_SHA REMOTE_REF REMOTE_SHA'");
}

TEST(ParseUpdateArgs, ValidatesLikeTheLines) {
  auto u = parse_update_args("refs/heads/main", A, B);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ref, "refs/heads/main");
  EXPECT_EQ(parse_update_args("refs/heads/main", A, "HEAD").error().message, "invalid object id 'HEAD'");
}

TEST(ValidRefName, GitRules) {
  for (const char* ok : {"refs/heads/main", "refs/tags/v1.0", "refs/notes/vouch", "refs/heads/feature/x-1"})
    EXPECT_TRUE(valid_ref_name(ok)) << ok;
  for (const char* bad : {"HEAD", "refs/", "refs//x", "refs/heads/.x", "refs/heads/x.lock", "refs/heads/a b",
                          "refs/heads/a\nb", "refs/heads/a~1", "refs/heads/a@{1}", "refs/heads/x.", "refs/heads/a:b",
                          "refs/heads/a\\b", "refs/heads/*"})
    EXPECT_FALSE(valid_ref_name(bad)) << bad;
}

TEST(ObjectDirsFromEnv, QuarantineThenAlternatesWithoutDuplicates) {
  setenv("GIT_QUARANTINE_PATH", "/srv/x.git/objects/incoming-1", 1);
  setenv("GIT_OBJECT_DIRECTORY", "/srv/x.git/objects/incoming-1/", 1);
  setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", "/srv/x.git/objects:\"/srv/shared/objects\"", 1);
  EXPECT_EQ(object_dirs_from_env(),
            (std::vector<std::string>{"/srv/x.git/objects/incoming-1", "/srv/x.git/objects", "/srv/shared/objects"}));
  unsetenv("GIT_QUARANTINE_PATH");
  unsetenv("GIT_OBJECT_DIRECTORY");
  unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
  EXPECT_TRUE(object_dirs_from_env().empty());
}

TEST(ProposedRepository, SeesObjectsOfExtraDirectoriesAndTheProposedRefs) {
  TempDir dir;
  TestRepo base(dir / "base", nullptr);
  std::string b1 = base.commit({{"a", "1\n"}}, "base", TestRepo::Signer::none());
  TestRepo other(dir / "other", nullptr);  // stands in for the quarantine
  std::string o1 = other.commit({{"b", "2\n"}}, "pushed", TestRepo::Signer::none());

  auto opened = git::Repository::open(dir / "base");
  ASSERT_TRUE(opened);
  auto refs = opened->list_refs();
  ASSERT_TRUE(refs) << refs.error().message;
  EXPECT_EQ(*refs, (std::map<std::string, std::string>{{"refs/heads/main", b1}}));

  std::string made;
  {
    auto p = ProposedRepository::create(dir / "base/.git", {{"refs/heads/main", b1}, {"refs/tags/t", o1}},
                                        {dir / "other/.git/objects"});
    ASSERT_TRUE(p) << p.error().message;
    made = p->dir();
    EXPECT_EQ(*p->repo().resolve_commit("refs/tags/t"), o1);
    EXPECT_EQ(*p->repo().resolve_commit("refs/heads/main"), b1);
    EXPECT_FALSE(p->repo().resolve_commit(B));
  }
  EXPECT_FALSE(std::filesystem::exists(made));

  auto bad = ProposedRepository::create(dir / "base/.git", {{"refs/heads/a..b", b1}}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "invalid ref name 'refs/heads/a..b'");
  bad = ProposedRepository::create(dir / "base/.git", {}, {"relative/objects"});
  EXPECT_EQ(bad.error().message, "unusable object directory 'relative/objects'");
}

class CheckPushTest : public ::testing::Test {
 protected:
  TempDir dir;
  test::SshKey lasse = test::make_ssh_key(dir.path(), "lasse", "ed25519");
  TestRepo repo{dir / "r", nullptr};
  std::string root;

  void SetUp() override {
    root = repo.commit({{".vouch/policy.toml",
                         "version = 1\nserial = 1\n[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint +
                             "\"]\n[groups]\nmaintainers = [\"lasse\"]\n[commits]\nrequire = [\"1 of maintainers\"]\n"
                             "[refs]\nprotected = [\"refs/heads/main\"]\nmax_clock_skew = \"1h\"\n"},
                        {".vouch/keys/lasse.pub", lasse.public_line + "\n"}},
                       "adopt", TestRepo::Signer::ssh(lasse));
  }
  HookOutcome check(const std::vector<RefUpdate>& updates, int64_t now = 0) {
    auto r = git::Repository::open(repo.path());
    EXPECT_TRUE(r);
    HookOptions opts;
    opts.now = now;
    opts.trust_root = root;
    auto out = check_push(*r, updates, opts);
    EXPECT_TRUE(out) << out.error().message;
    return out ? *out : HookOutcome{};
  }
};

TEST_F(CheckPushTest, GoodCommitAcceptedProtectedDeletionRefused) {
  std::string c = repo.commit({{"x", "x\n"}}, "x", TestRepo::Signer::ssh(lasse));
  auto out = check({{root, c, "refs/heads/main"}});
  EXPECT_TRUE(out.accepted()) << (out.problems.empty() ? "" : out.problems[0]);
  out = check({{c, Z, "refs/heads/main"}, {c, Z, "refs/heads/scratch"}});
  EXPECT_EQ(out.problems, (std::vector<std::string>{"refs/heads/main: deleting a protected ref is refused (protected "
                                                    "by \"refs/heads/main\" in " +
                                                    c.substr(0, 12) + ":.vouch/policy.toml)"}));
}

// refs/notes/vouch holds approvals only: a line that is not one is refused.
// Other refs outside refs/heads/ and refs/tags/ are refused (threat 28).
TEST_F(CheckPushTest, NotesHoldOnlyApprovalsAndOtherNamespacesAreRefused) {
  std::string c = repo.commit({{"x", "x\n"}}, "x", TestRepo::Signer::ssh(lasse));
  repo.git({"notes", "--ref", "vouch", "add", "-m", "a note", c});
  std::string notes = repo.git({"rev-parse", "refs/notes/vouch"}).substr(0, 40);
  repo.git({"update-ref", "-d", "refs/notes/vouch"});  // the receiver does not have it yet
  auto out = check({{Z, notes, "refs/notes/vouch"}, {Z, c, "refs/notes/launder"}, {Z, c, "refs/keep/x"}});
  const std::string outside = ": only refs/heads/*, refs/tags/* and refs/notes/vouch are accepted; add a pattern for "
                              "it to [refs] unchecked in the policy to allow it without verification";
  EXPECT_EQ(out.problems, (std::vector<std::string>{
                              "refs/notes/vouch: approval of " + c.substr(0, 12) +
                                  ": not a well-formed vouch-approval v1 line",
                              "refs/notes/launder" + outside, "refs/keep/x" + outside}));
}
TEST_F(CheckPushTest, ClockSkewOnlyForCommitsNewToTheReceiver) {
  std::string c = repo.commit({{"x", "x\n"}}, "x", TestRepo::Signer::ssh(lasse));
  auto raw_time = repo.git({"log", "-1", "--format=%ct", c});
  int64_t t = std::stoll(raw_time);
  // Three hours later: c is new (main still at root on the receiver) and too old.
  repo.git({"update-ref", "refs/heads/main", root});
  auto out = check({{root, c, "refs/heads/main"}}, t + 3 * 3600);
  EXPECT_EQ(out.problems, (std::vector<std::string>{"refs/heads/main: commit " + c.substr(0, 12) + ": signature time " +
                                                    std::to_string(t) +
                                                    " is more than max_clock_skew (3600 s) away from now"}));
  // Once c is on a ref of the receiver, a new branch at c is not back-dating.
  repo.git({"update-ref", "refs/heads/other", c});
  out = check({{Z, c, "refs/heads/feature"}}, t + 3 * 3600);
  EXPECT_TRUE(out.accepted()) << out.problems[0];
}

TEST_F(CheckPushTest, RefToABlobIsRefused) {
  std::string blob = repo.git({"hash-object", "-w", "--stdin"}, "data\n").substr(0, 40);
  auto out = check({{Z, blob, "refs/heads/blob"}});
  EXPECT_EQ(out.problems, (std::vector<std::string>{"refs/heads/blob: revision '" + blob + "' is not a commit"}));
}

}  // namespace
}  // namespace vouch::hooks
