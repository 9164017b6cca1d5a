// Approvals signed with real ssh-keygen and GnuPG keys and checked against an
// expected object: good ones count; threat 13 (another object, tree,
// repository or type), another namespace, a signer line naming another key, a
// tampered statement, unknown keys and garbage lines count for nothing, each
// with its exact status and reason.
#include "policy/approval_check.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "keys/keyring.h"
#include "policy/approval_signer.h"
#include "statement/signer.h"
#include "test_env.h"
#include "trust/statement.h"
#include "util/base64.h"

namespace vouch::policy {
namespace {

using test::GpgHome;
using test::SshKey;
using test::TempDir;

constexpr int64_t kNow = 1770000000;
const std::string kCommit = "1111111111111111111111111111111111111111";
const std::string kOther = "2222222222222222222222222222222222222222";
const std::string kTree = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kOtherTree = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/// Points GNUPGHOME at a test home for one test (GPGME reads it per context).
class ScopedGnupgHome {
 public:
  explicit ScopedGnupgHome(const std::string& path) {
    if (const char* old = std::getenv("GNUPGHOME")) old_ = old;
    setenv("GNUPGHOME", path.c_str(), 1);
  }
  ~ScopedGnupgHome() {
    if (old_) setenv("GNUPGHOME", old_->c_str(), 1);
    else unsetenv("GNUPGHOME");
  }
  ScopedGnupgHome(const ScopedGnupgHome&) = delete;
  ScopedGnupgHome& operator=(const ScopedGnupgHome&) = delete;

 private:
  std::optional<std::string> old_;
};

ExpectedObject commit_object(std::optional<std::string> repository = "example/xz") {
  return ExpectedObject{kCommit, "commit", kTree, std::move(repository)};
}

class ApprovalCheck : public ::testing::Test {
 protected:
  TempDir dir;
  SshKey alice = test::make_ssh_key(dir.path(), "alice", "ed25519");
  SshKey bob = test::make_ssh_key(dir.path(), "bob", "ecdsa-256");
  KeyId alice_id{KeyKind::ssh, alice.fingerprint};
  KeyId bob_id{KeyKind::ssh, bob.fingerprint};

  keys::Keyring keyring_of(const std::vector<const SshKey*>& keys, const std::string& extra_asc = "") {
    std::string kdir = dir / ("keys" + std::to_string(++n_));
    test::run_ok({"mkdir", "-p", kdir});
    int i = 0;  // not named after the fingerprint: base64 may hold '/'
    for (const SshKey* k : keys) test::write_file(kdir + "/key" + std::to_string(++i) + ".pub", k->public_line + "\n");
    if (!extra_asc.empty()) test::write_file(kdir + "/pgp.asc", extra_asc);
    auto kr = keys::Keyring::load_directory(kdir);
    EXPECT_TRUE(kr.ok()) << kr.error().message;
    return std::move(*kr);
  }

  /// An approval line for `object` signed by `key` (alice unless given).
  std::string line_for(const ExpectedObject& object, const SshKey* key = nullptr, int64_t created = kNow) {
    const SshKey& k = key ? *key : alice;
    auto line = make_approval_line(object, k.private_path, KeyId{KeyKind::ssh, k.fingerprint}, created,
                                   "reviewed");
    EXPECT_TRUE(line.ok()) << line.error().message;
    return line.ok() ? *line : "";
  }

  /// A line for `text` signed by `key` under namespace `ns`, bypassing the checks of make_approval_line.
  static std::string raw_line(const std::string& text, const SshKey& key, const std::string& ns) {
    auto sig = statement::sign_statement(text, key.private_path, ns);
    EXPECT_TRUE(sig.ok()) << sig.error().message;
    return "vouch-approval v1 " + util::base64_encode(text) + " " + util::base64_encode(sig.ok() ? *sig : "x");
  }

  Approval approval_of(const KeyId& signer) const {
    return Approval{kCommit, "commit", kTree, std::nullopt, "example/xz", signer, kNow, std::nullopt};
  }

 private:
  int n_ = 0;
};

TEST_F(ApprovalCheck, GoodSshApprovalCounts) {
  auto kr = keyring_of({&alice});
  std::string line = line_for(commit_object());
  ApprovalStatus s = check_approval_line(line, commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "good") << s.reason;
  EXPECT_TRUE(s.counts);
  EXPECT_EQ(s.reason, "");
  EXPECT_EQ(s.key, alice_id);
  EXPECT_EQ(s.line, line);
  ASSERT_TRUE(s.approval);
  EXPECT_EQ(s.approval->comment, "reviewed");
  EXPECT_EQ(s.approval->repository, "example/xz");
  EXPECT_EQ(s.signature.kind, KeyKind::ssh);
}

TEST_F(ApprovalCheck, GoodOpenPgpApprovalCounts) {
  // gpg signs at the real time; a signature dated after the reference time
  // does not count, so this approval is made and checked as of now.
  const int64_t now = std::time(nullptr);
  GpgHome gpg(dir.path());
  ScopedGnupgHome scoped(gpg.path());
  std::string fpr = gpg.gen_key("Carol <carol@example.org>");
  auto id = resolve_signing_key(fpr);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->signer.str(), "openpgp:" + fpr);
  ExpectedObject tag{kOther, "tag", std::nullopt, std::nullopt};
  auto line = make_approval_line(tag, id->signing_key, id->signer, now, std::nullopt);
  ASSERT_TRUE(line.ok()) << line.error().message;
  auto kr = keyring_of({}, gpg.export_public(fpr));
  ApprovalStatus s = check_approval_line(*line, tag, kr, now);
  EXPECT_EQ(s.status, "good") << s.reason;
  EXPECT_TRUE(s.counts);
  EXPECT_EQ(s.key.str(), "openpgp:" + fpr);
  EXPECT_EQ(s.signature.kind, KeyKind::openpgp);
  // The same approval presented on a commit counts for nothing.
  ApprovalStatus other = check_approval_line(*line, commit_object(std::nullopt), kr, now);
  EXPECT_EQ(other.status, "mismatch");
  EXPECT_EQ(other.reason, "approval is of type tag, not commit");
}

TEST_F(ApprovalCheck, Threat13ApprovalOfAnotherObjectTreeRepositoryOrType) {
  auto kr = keyring_of({&alice});
  auto status = [&](const ExpectedObject& signed_for, const ExpectedObject& presented) {
    return check_approval_line(line_for(signed_for), presented, kr, kNow);
  };
  ExpectedObject other_commit{kOther, "commit", kTree, "example/xz"};
  ApprovalStatus s = status(other_commit, commit_object());
  EXPECT_EQ(s.status, "mismatch");
  EXPECT_FALSE(s.counts);
  EXPECT_EQ(s.reason, "approval is for commit 222222222222, not 111111111111");
  EXPECT_EQ(s.key, alice_id);

  ExpectedObject other_tree{kCommit, "commit", kOtherTree, "example/xz"};
  s = status(other_tree, commit_object());
  EXPECT_EQ(s.status, "mismatch");
  EXPECT_EQ(s.reason, "approval is for tree bbbbbbbbbbbb, not aaaaaaaaaaaa");

  s = status(commit_object("other/x"), commit_object());
  EXPECT_EQ(s.reason, "approval is for repository other/x, not example/xz");
  s = status(commit_object(std::nullopt), commit_object());
  EXPECT_EQ(s.reason, "approval names no repository, not example/xz");
  s = status(commit_object(), commit_object(std::nullopt));
  EXPECT_EQ(s.reason, "approval is for repository example/xz, but the policy sets no repository");
  EXPECT_FALSE(s.counts);

  ExpectedObject tag{kCommit, "tag", std::nullopt, "example/xz"};
  s = status(tag, commit_object());
  EXPECT_EQ(s.status, "mismatch");
  EXPECT_EQ(s.reason, "approval is of type tag, not commit");

  // Oids equal in their first 12 digits are shown in full.
  std::string near = kCommit.substr(0, 39) + "2";
  s = status(ExpectedObject{near, "commit", kTree, "example/xz"}, commit_object());
  EXPECT_EQ(s.reason, "approval is for commit " + near + ", not " + kCommit);
}

TEST_F(ApprovalCheck, SignatureUnderAnotherNamespaceIsBad) {
  auto kr = keyring_of({&alice});
  std::string text = serialize(approval_of(alice_id));
  ApprovalStatus s = check_approval_line(raw_line(text, alice, "git"), commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "bad");
  EXPECT_FALSE(s.counts);
  EXPECT_EQ(s.reason, "signature namespace \"git\" does not match expected \"vouch-approval\"");
  ApprovalStatus file = check_approval_line(raw_line(text, alice, "file"), commit_object(), kr, kNow);
  EXPECT_EQ(file.status, "bad");
}

TEST_F(ApprovalCheck, SignerLineNamingAnotherKeyIsAMismatch) {
  auto kr = keyring_of({&alice, &bob});
  // Bob signs a statement that claims alice as its signer.
  std::string text = serialize(approval_of(alice_id));
  ApprovalStatus s = check_approval_line(raw_line(text, bob, "vouch-approval"), commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "mismatch");
  EXPECT_FALSE(s.counts);
  EXPECT_EQ(s.reason, "signer line names " + alice_id.str() + " but " + bob_id.str() + " signed");
  EXPECT_EQ(s.key, bob_id);
  // make_approval_line refuses to write such a line in the first place.
  auto refused = make_approval_line(commit_object(), bob.private_path, alice_id, kNow, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "signing key " + bob.private_path + " is " + bob_id.str() + ", not the signer " + alice_id.str());
}

TEST_F(ApprovalCheck, UnknownKeyTamperedTextAndFutureTime) {
  auto only_bob = keyring_of({&bob});
  ApprovalStatus s = check_approval_line(line_for(commit_object()), commit_object(), only_bob, kNow);
  EXPECT_EQ(s.status, "unknown-key");
  EXPECT_FALSE(s.counts);
  EXPECT_EQ(s.key, alice_id);

  auto kr = keyring_of({&alice});
  // A statement altered after signing (another tree), with the original signature.
  std::string text = serialize(approval_of(alice_id));
  auto sig = statement::sign_statement(text, alice.private_path, "vouch-approval");
  ASSERT_TRUE(sig.ok());
  Approval altered = approval_of(alice_id);
  altered.tree = kOtherTree;
  std::string forged = "vouch-approval v1 " + util::base64_encode(serialize(altered)) + " " + util::base64_encode(*sig);
  s = check_approval_line(forged, ExpectedObject{kCommit, "commit", kOtherTree, "example/xz"}, kr, kNow);
  EXPECT_EQ(s.status, "bad");
  EXPECT_FALSE(s.counts);

  s = check_approval_line(line_for(commit_object(), &alice, kNow + 3600), commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "mismatch");
  EXPECT_EQ(s.reason, "approval created at " + std::to_string(kNow + 3600) + ", after now " + std::to_string(kNow));
  s = check_approval_line(line_for(commit_object(), &alice, kNow + 60), commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "good") << s.reason;
}

TEST_F(ApprovalCheck, GarbageAndMalformedLines) {
  auto kr = keyring_of({&alice});
  ApprovalStatus s = check_approval_line("Reviewed-by: someone", commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "unrecognised");
  EXPECT_FALSE(s.counts);
  EXPECT_EQ(s.reason, "not a vouch-approval v1 line: Reviewed-by: someone");
  s = check_approval_line("vouch-approval v2 abc def", commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "unrecognised");
  s = check_approval_line("vouch-approval v1 !!! AAAA", commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "malformed");
  EXPECT_EQ(s.reason, "statement line: the statement is not valid base64");
  std::string bad_text = "vouch approval v1\nobject 1\ntype commit\ntree " + kTree + "\nsigner " + alice_id.str() +
                         "\ncreated 1\n";
  s = check_approval_line("vouch-approval v1 " + util::base64_encode(bad_text) + " AAAA", commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "malformed");
  EXPECT_EQ(s.reason, "approval statement:2: object \"1\" is not an object id (40 or 64 lower-case hex digits)");
  // An endorsement line in a note is not an approval.
  s = check_approval_line("vouch-endorsement v1 AAAA AAAA", commit_object(), kr, kNow);
  EXPECT_EQ(s.status, "unrecognised");
}

TEST_F(ApprovalCheck, CheckNoteReportsEveryLineInOrder) {
  auto kr = keyring_of({&alice, &bob});
  std::string a = line_for(commit_object());
  std::string b = line_for(commit_object(), &bob);
  std::string note = a + "\n\ngarbage\n" + b + "\n";
  auto all = check_note(note, commit_object(), kr, kNow);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].status, "good");
  EXPECT_EQ(all[0].key, alice_id);
  EXPECT_EQ(all[1].status, "unrecognised");
  EXPECT_EQ(all[2].status, "good");
  EXPECT_EQ(all[2].key, bob_id);
  EXPECT_TRUE(check_note("", commit_object(), kr, kNow).empty());
}

TEST_F(ApprovalCheck, SigningKeyResolution) {
  auto priv = resolve_signing_key(alice.private_path);
  ASSERT_TRUE(priv.ok()) << priv.error().message;
  EXPECT_EQ(priv->signer, alice_id);
  EXPECT_EQ(priv->signing_key, alice.private_path);
  auto pub = resolve_signing_key(bob.public_path);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->signer, bob_id);
  auto missing = resolve_signing_key(dir / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "signing key " + dir / "nope" +
                                         ": no such file (give an SSH key file, the .pub file of an ssh-agent "
                                         "key, or an OpenPGP fingerprint)");
  test::write_file(dir / "junk", "hello\n");
  auto junk = resolve_signing_key(dir / "junk");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().message, "signing key " + dir / "junk" +
                                      ": not an OpenSSH key (expected a public key line, an OpenSSH private key, "
                                      "or a private key with its .pub beside it)");
  auto pgp = resolve_signing_key("openpgp:3690c240ce51b4670d30ad1c38ee757d69184620");
  ASSERT_TRUE(pgp.ok());
  EXPECT_EQ(pgp->signer.str(), "openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  EXPECT_FALSE(resolve_signing_key("openpgp:1234").ok());

  auto git_ssh = default_signing_key(alice.public_path, "ssh");
  ASSERT_TRUE(git_ssh.ok());
  EXPECT_EQ(git_ssh->signer, alice_id);
  auto none = default_signing_key(std::nullopt, std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "no signing key: pass --key KEY or set git config user.signingkey");
  auto email = default_signing_key("alice@example.org", std::nullopt);
  ASSERT_FALSE(email.ok());
  EXPECT_EQ(email.error().message,
            "user.signingkey \"alice@example.org\" is not an OpenPGP fingerprint; pass --key FINGERPRINT");
  auto x509 = default_signing_key("x", "x509");
  ASSERT_FALSE(x509.ok());
  EXPECT_EQ(x509.error().message, "gpg.format x509 is not supported for approvals (ssh or openpgp)");
}

TEST_F(ApprovalCheck, CommentWithLineBreakIsRefused) {
  auto r = make_approval_line(commit_object(), alice.private_path, alice_id, kNow, std::string("a\nb"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().message, "statement:9: unknown field \"b\"");
}

}  // namespace
}  // namespace vouch::policy

namespace vouch::policy {
namespace {

// Threat 27: an approval "created" before the object it approves counts for
// nothing, so a retired or expired key cannot approve new work by back-dating.
TEST_F(ApprovalCheck, Threat27ApprovalCannotPredateItsObject) {
  auto kr = keyring_of({&alice});
  ExpectedObject object = commit_object();
  object.time = kNow - 10;
  EXPECT_EQ(check_approval_line(line_for(object, nullptr, kNow - 10), object, kr, kNow).status, "good");
  ApprovalStatus early = check_approval_line(line_for(object, nullptr, kNow - 11), object, kr, kNow);
  EXPECT_EQ(early.status, "mismatch");
  EXPECT_FALSE(early.counts);
  EXPECT_EQ(early.reason, "approval created at " + std::to_string(kNow - 11) + ", before the commit's own time " +
                              std::to_string(kNow - 10));
  ExpectedObject tag{kOther, "tag", std::nullopt, std::nullopt, kNow};
  EXPECT_EQ(check_approval_line(line_for(tag, nullptr, kNow - 1), tag, kr, kNow).reason,
            "approval created at " + std::to_string(kNow - 1) + ", before the tag's own time " + std::to_string(kNow));
}

}  // namespace
}  // namespace vouch::policy
