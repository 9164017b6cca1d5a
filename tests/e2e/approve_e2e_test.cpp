// End to end: `vouch approve`, `vouch approvals`, `vouch approvals sync` on
// real repositories with real ssh-keygen and gpg keys. Threat 13 of
// docs/threat-model.md: approvals copied onto another commit, or made for another tree,
// repository or type, count for nothing and say why.
#include <gtest/gtest.h>

#include "e2e_support.h"
#include "git/notes.h"
#include "git/repository.h"
#include "policy/approval_signer.h"
#include "statement/signer.h"
#include "util/base64.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t lf = text.find('\n', start);
    if (lf == std::string::npos) lf = text.size();
    if (lf > start) out.push_back(text.substr(start, lf - start));
    start = lf + 1;
  }
  return out;
}

class ApproveTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "a", &gpg};
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  SshKey bob = make_ssh_key(dir.path(), "bob", "ed25519");
  std::string alice_id = "ssh:" + alice.fingerprint;
  std::string bob_id = "ssh:" + bob.fingerprint;
  std::string c1, c2;

  /// A policy binding approvals to "example/xz", alice and bob maintainers,
  /// `extra_people` appended verbatim; then a second commit.
  void make_history(const std::string& extra_people = "", const std::map<std::string, std::string>& extra_files = {}) {
    std::string policy = "version = 1\nserial = 1\nrepository = \"example/xz\"\n\n"
                         "[people.alice]\nkeys = [\"" + alice_id + "\"]\n"
                         "[people.bob]\nkeys = [\"" + bob_id + "\"]\n" + extra_people +
                         "\n[groups]\nmaintainers = [\"alice\", \"bob\"]\n\n[commits]\nrequire = [\"1 of maintainers\"]\n";
    std::map<std::string, std::string> files = {{".vouch/policy.toml", policy},
                                                {".vouch/keys/alice.pub", alice.public_line + "\n"},
                                                {".vouch/keys/bob.pub", bob.public_line + "\n"}};
    files.insert(extra_files.begin(), extra_files.end());
    c1 = repo.commit(files, "policy", Signer::ssh(alice));
    c2 = repo.commit({{"src.c", "int main;\n"}}, "change", Signer::ssh(alice));
  }

  std::map<std::string, std::string> env() const {
    auto e = repo.env();
    e["VOUCH_DB"] = dir / "no-trust.db";  // never the user's database; absent: no database
    return e;
  }
  RunResult v(const TestRepo& r, std::vector<std::string> args) {
    args.insert(args.begin(), {"-C", r.path()});
    return vouch(args, "", env());
  }
  RunResult v(std::vector<std::string> args) { return v(repo, std::move(args)); }
  nlohmann::json vj(std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), {"-C", repo.path(), "--format", "json"});
    RunResult r = vouch(args, "", env());
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << r.err;
    return j;
  }
  std::vector<std::string> note_lines(TestRepo& r, const std::string& rev) {
    RunResult n = r.git_raw({"notes", "--ref", "vouch", "show", rev});
    return n.exit_code == 0 ? lines_of(n.out) : std::vector<std::string>{};
  }
  /// A signed approval line made by the library (for crafted statements).
  std::string crafted(const policy::ExpectedObject& o, const SshKey& key) {
    auto line = policy::make_approval_line(o, key.private_path, KeyId{KeyKind::ssh, key.fingerprint}, 1770000000,
                                           std::nullopt);
    EXPECT_TRUE(line.ok()) << line.error().message;
    return line.ok() ? *line : "";
  }
};

TEST_F(ApproveTest, ApproveWithSshKeysOneNoteLineEach) {
  make_history();
  RunResult r = v({"approve", "HEAD", "--key", alice.private_path, "--comment", "reviewed m4 changes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + c2.substr(0, 12) + " as " + alice_id + "\n");
  auto lines = note_lines(repo, "HEAD");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("vouch-approval v1 ")) << lines[0];

  // Bob approves with his public key file (the key an agent would hold): a second line.
  r = v({"approve", c2, "--key", bob.private_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + c2.substr(0, 12) + " as " + bob_id + "\n");
  ASSERT_EQ(note_lines(repo, "HEAD").size(), 2u);

  auto j = vj({"approvals", "HEAD"});
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["object"], c2);
  EXPECT_EQ(j["type"], "commit");
  EXPECT_EQ(j["repository"], "example/xz");
  EXPECT_EQ(j["tree"], repo.git({"rev-parse", "HEAD^{tree}"}));
  ASSERT_EQ(j["approvals"].size(), 2u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");
  EXPECT_EQ(j["approvals"][0]["counts"], true);
  EXPECT_EQ(j["approvals"][0]["key"], alice_id);
  EXPECT_EQ(j["approvals"][0]["person"], "alice");
  EXPECT_EQ(j["approvals"][0]["comment"], "reviewed m4 changes");
  EXPECT_EQ(j["approvals"][1]["status"], "good");
  EXPECT_EQ(j["approvals"][1]["person"], "bob");

  RunResult text = v({"approvals", "HEAD"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out, "good " + alice_id + " (alice)  # reviewed m4 changes\ngood " + bob_id + " (bob)\n");

  // The statement binds the repository id and the tree.
  auto st = statement::parse_transport_line(lines[0]);
  ASSERT_TRUE(st.ok());
  EXPECT_NE(st->text.find("\nrepository example/xz\n"), std::string::npos) << st->text;
  EXPECT_NE(st->text.find("\ntree " + repo.git({"rev-parse", "HEAD^{tree}"}) + "\n"), std::string::npos);

  // No approvals on the first commit.
  RunResult none = v({"approvals", "HEAD~1"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "no approvals of commit " + c1.substr(0, 12) + "\n");
}

TEST_F(ApproveTest, ApproveWithOpenPgpKeyAndGitDefaultKey) {
  std::string carol = gpg.gen_key("Carol <carol@example.org>");
  make_history("[people.carol]\nkeys = [\"openpgp:" + carol + "\"]\n",
               {{".vouch/keys/carol.asc", gpg.export_public(carol)}});
  RunResult r = v({"approve", "HEAD", "--key", carol});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + c2.substr(0, 12) + " as openpgp:" + carol + "\n");

  // Without --key: git's user.signingkey (gpg.format defaults to openpgp).
  repo.git({"config", "user.signingkey", carol});
  r = v({"approve", "HEAD~1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + c1.substr(0, 12) + " as openpgp:" + carol + "\n");
  // gpg.format ssh with a key file path.
  repo.git({"config", "gpg.format", "ssh"});
  repo.git({"config", "user.signingkey", bob.public_path});
  r = v({"approve", "HEAD"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + c2.substr(0, 12) + " as " + bob_id + "\n");

  auto j = vj({"approvals", "HEAD"});
  ASSERT_EQ(j["approvals"].size(), 2u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");
  EXPECT_EQ(j["approvals"][0]["key"], "openpgp:" + carol);
  EXPECT_EQ(j["approvals"][0]["person"], "carol");
  EXPECT_EQ(j["approvals"][1]["status"], "good");
  EXPECT_EQ(j["approvals"][1]["key"], bob_id);
  j = vj({"approvals", "HEAD~1"});
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");
}

TEST_F(ApproveTest, ApproveAnnotatedTagApprovesTheTagObject) {
  make_history();
  repo.tag("v1.0", "HEAD", Signer::ssh(alice));
  std::string tag_oid = repo.git({"rev-parse", "v1.0"});
  RunResult r = v({"approve", "v1.0", "--key", bob.private_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approved " + tag_oid.substr(0, 12) + " as " + bob_id + "\n");
  auto j = vj({"approvals", "v1.0"});
  EXPECT_EQ(j["object"], tag_oid);
  EXPECT_EQ(j["type"], "tag");
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");

  // The tag approval copied onto the tagged commit counts for nothing.
  std::string line = note_lines(repo, tag_oid).at(0);
  repo.git({"notes", "--ref", "vouch", "add", "-f", "-m", line, c2});
  j = vj({"approvals", "HEAD"});
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["status"], "mismatch");
  EXPECT_EQ(j["approvals"][0]["counts"], false);
  EXPECT_EQ(j["approvals"][0]["reason"], "approval is of type tag, not commit");
}

TEST_F(ApproveTest, Threat13MisboundApprovalsCountForNothing) {
  make_history();
  ASSERT_EQ(v({"approve", c1, "--key", alice.private_path}).exit_code, 0);
  std::string for_c1 = note_lines(repo, c1).at(0);
  std::string tree = repo.git({"rev-parse", "HEAD^{tree}"});
  std::string other_tree = repo.git({"rev-parse", "HEAD~1^{tree}"});

  // Presented on c2: the approval of c1, and statements made for c2 but with
  // another tree, another repository, another type; one under the git
  // namespace; one naming alice but signed by bob; a garbage line.
  std::string text_for_c2 = "vouch approval v1\nobject " + c2 + "\ntype commit\ntree " + tree +
                            "\nrepository example/xz\nsigner " + alice_id + "\ncreated 1770000000\n";
  auto git_ns = statement::sign_statement(text_for_c2, alice.private_path, "git");
  auto by_bob = statement::sign_statement(text_for_c2, bob.private_path, "vouch-approval");
  ASSERT_TRUE(git_ns.ok() && by_bob.ok());
  std::vector<std::string> presented = {
      for_c1,
      crafted({c2, "commit", other_tree, "example/xz"}, alice),
      crafted({c2, "commit", tree, "other/x"}, alice),
      crafted({c2, "tag", std::nullopt, "example/xz"}, alice),
      "vouch-approval v1 " + util::base64_encode(text_for_c2) + " " + util::base64_encode(*git_ns),
      "vouch-approval v1 " + util::base64_encode(text_for_c2) + " " + util::base64_encode(*by_bob),
      "LGTM from someone",
  };
  for (const auto& line : presented) repo.git({"notes", "--ref", "vouch", "append", "-m", line, c2});
  // `git notes append` separates paragraphs with a blank line; they are skipped.

  auto j = vj({"approvals", c2});
  ASSERT_EQ(j["approvals"].size(), presented.size());
  auto expect = [&](size_t i, const std::string& status, const std::string& reason) {
    SCOPED_TRACE(i);
    EXPECT_EQ(j["approvals"][i]["status"], status);
    EXPECT_EQ(j["approvals"][i]["counts"], false);
    EXPECT_EQ(j["approvals"][i]["reason"], reason);
  };
  expect(0, "mismatch", "approval is for commit " + c1.substr(0, 12) + ", not " + c2.substr(0, 12));
  expect(1, "mismatch", "approval is for tree " + other_tree.substr(0, 12) + ", not " + tree.substr(0, 12));
  expect(2, "mismatch", "approval is for repository other/x, not example/xz");
  expect(3, "mismatch", "approval is of type tag, not commit");
  expect(4, "bad", "signature namespace \"git\" does not match expected \"vouch-approval\"");
  expect(5, "mismatch", "signer line names " + alice_id + " but " + bob_id + " signed");
  expect(6, "unrecognised", "not a vouch-approval v1 line: LGTM from someone");
  EXPECT_EQ(j["approvals"][5]["key"], bob_id);
  EXPECT_EQ(j["approvals"][6]["key"], nullptr);

  // The original approval still counts where it belongs.
  j = vj({"approvals", c1});
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");
}

TEST_F(ApproveTest, KeyringOptionAndAppendIsIdempotent) {
  make_history();
  ASSERT_EQ(v({"approve", "HEAD", "--key", alice.private_path}).exit_code, 0);
  std::string line = note_lines(repo, "HEAD").at(0);
  {
    auto r = git::Repository::open(repo.path());
    ASSERT_TRUE(r.ok());
    auto again = git::append_note_line(*r, c2, line, "refs/notes/vouch");
    ASSERT_TRUE(again.ok()) << again.error().message;
  }
  EXPECT_EQ(note_lines(repo, "HEAD"), std::vector<std::string>{line});

  // --keyring DIR without alice: her approval is by an unknown key.
  std::string kdir = dir / "only-bob";
  run_ok({"mkdir", "-p", kdir});
  write_file(kdir + "/bob.pub", bob.public_line + "\n");
  auto j = vj({"approvals", "HEAD", "--keyring", kdir});
  ASSERT_EQ(j["approvals"].size(), 1u);
  EXPECT_EQ(j["approvals"][0]["status"], "unknown-key");
  EXPECT_EQ(j["approvals"][0]["key"], alice_id);
}

TEST_F(ApproveTest, BadInputExitsTwo) {
  make_history();
  RunResult r = v({"approve", "nope", "--key", alice.private_path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: unknown revision 'nope'\n");
  r = v({"approve", "HEAD", "--key", dir / "missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: signing key " + dir / "missing" +
                       ": no such file (give an SSH key file, the .pub file of an ssh-agent key, or an OpenPGP "
                       "fingerprint)\n");
  r = v({"approve", "HEAD"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: no signing key: pass --key KEY or set git config user.signingkey\n");
  EXPECT_TRUE(note_lines(repo, "HEAD").empty());
  r = v({"approvals"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: approvals: REV is required (or `approvals sync`)\n");
}

class SyncTest : public ApproveTest {
 protected:
  void SetUp() override {
    make_history();
    run_ok({"git", "init", "-q", "--bare", dir / "origin.git"}, {.env = env()});
    repo.git({"remote", "add", "origin", dir / "origin.git"});
    repo.git({"push", "-q", "origin", "main"});
  }
  /// A clone of origin with its own identity.
  void clone_to(const std::string& path) {
    run_ok({"git", "clone", "-q", dir / "origin.git", path}, {.env = env()});
    run_ok({"git", "-C", path, "config", "user.name", "Clone"}, {.env = env()});
    run_ok({"git", "-C", path, "config", "user.email", "clone@example.org"}, {.env = env()});
  }
};

TEST_F(SyncTest, ApprovalsTravelThroughOrigin) {
  TestRepo b(dir / "b", &gpg);  // for its git() helpers; the repository itself is replaced by a clone
  run_ok({"rm", "-rf", dir / "b"});
  clone_to(dir / "b");

  // A approves and syncs: origin has no notes yet, A's are pushed.
  ASSERT_EQ(v({"approve", c2, "--key", alice.private_path}).exit_code, 0);
  RunResult r = v({"approvals", "sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "approvals synced with origin\n");
  // B has no notes: it takes origin's.
  r = v(b, {"approvals", "sync", "origin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(note_lines(b, c2), note_lines(repo, c2));
  // B approves too and syncs: merged (union), pushed.
  ASSERT_EQ(v(b, {"approve", c2, "--key", bob.private_path}).exit_code, 0);
  ASSERT_EQ(v(b, {"approvals", "sync"}).exit_code, 0);
  ASSERT_EQ(note_lines(b, c2).size(), 2u);
  // A approves c1 meanwhile, then syncs: a real merge of diverged notes.
  ASSERT_EQ(v({"approve", c1, "--key", alice.private_path}).exit_code, 0);
  r = v({"approvals", "sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(note_lines(repo, c2).size(), 2u);
  EXPECT_EQ(note_lines(repo, c2), note_lines(b, c2));
  auto j = vj({"approvals", c2});
  ASSERT_EQ(j["approvals"].size(), 2u);
  EXPECT_EQ(j["approvals"][0]["status"], "good");
  EXPECT_EQ(j["approvals"][1]["status"], "good");
  // B syncs again and sees A's approval of c1; the temporary ref is gone.
  ASSERT_EQ(v(b, {"approvals", "sync"}).exit_code, 0);
  EXPECT_EQ(note_lines(b, c1).size(), 1u);
  EXPECT_NE(b.git_raw({"rev-parse", "--verify", "-q", "refs/notes/vouch-sync-tmp"}).exit_code, 0);
  EXPECT_NE(repo.git_raw({"rev-parse", "--verify", "-q", "refs/notes/vouch-sync-tmp"}).exit_code, 0);
  // Once both have synced, both hold the same notes commit.
  ASSERT_EQ(v({"approvals", "sync"}).exit_code, 0);
  EXPECT_EQ(repo.git({"rev-parse", "refs/notes/vouch"}), b.git({"rev-parse", "refs/notes/vouch"}));
}

TEST_F(SyncTest, RemoteNamesStartingWithDashAreRefused) {
  RunResult r = v({"approvals", "sync", "--", "--upload-pack=touch /tmp/x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: remote \"--upload-pack=touch /tmp/x\" must not be empty or start with '-'\n");
  r = v({"approvals", "sync", "nosuchremote"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(r.err.starts_with("vouch: error: git ls-remote nosuchremote refs/notes/vouch failed: ")) << r.err;
  // Nothing anywhere yet: nothing to do.
  r = v({"approvals", "sync"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no approvals here or on origin\n");
}

}  // namespace
}  // namespace vouch::test

namespace vouch::test {
namespace {

// "Nothing can be undone" no more: a signed retraction voids the same key's
// earlier approvals of the object; a later approval stands again.
TEST_F(ApproveTest, WithdrawnApprovalStopsCountingUntilApprovedAgain) {
  make_history();
  ASSERT_EQ(v({"approve", c2, "--key", bob.private_path}).exit_code, 0);
  auto j = vj({"approvals", c2});
  EXPECT_EQ(j["approvals"][0]["status"], "good");
  RunResult w = v({"approve", c2, "--key", bob.private_path, "--withdraw", "--comment", "found a problem"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(w.out, "withdrew the approval of " + c2.substr(0, 12) + " as " + bob_id + "\n");
  ASSERT_EQ(note_lines(repo, c2).size(), 2u);
  j = vj({"approvals", c2});
  ASSERT_EQ(j["approvals"].size(), 2u);
  EXPECT_EQ(j["approvals"][0]["status"], "withdrawn");
  EXPECT_EQ(j["approvals"][1]["status"], "withdrawal");
  // Approving again (a newer statement) counts again; alice's approvals were never affected.
  ASSERT_EQ(v({"approve", c2, "--key", alice.private_path}).exit_code, 0);
  j = vj({"approvals", c2});
  EXPECT_EQ(j["approvals"][2]["status"], "good");
  EXPECT_EQ(j["approvals"][2]["key"], alice_id);
}

}  // namespace
}  // namespace vouch::test
