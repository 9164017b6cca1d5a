#include "git/signed_object.h"

#include <gtest/gtest.h>

#include "git/handles.h"
#include "test_env.h"

namespace vouch::git {
namespace {

using test::TempDir;
using test::TestRepo;

constexpr std::string_view kHead =
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    "author A U Thor <a@example.org> 1700000000 +0100\n"
    "committer C O Mitter <c@example.org> 1700000123 -0500\n";

// Oracle written independently of the code under test: drop the gpgsig and
// gpgsig-sha256 header lines and the continuation lines that follow them.
std::string strip_gpgsig_lines(const std::string& raw) {
  std::string out;
  size_t pos = 0;
  bool dropping = false;
  bool in_headers = true;
  while (pos < raw.size()) {
    size_t eol = raw.find('\n', pos);
    size_t next = eol == std::string::npos ? raw.size() : eol + 1;
    std::string line = raw.substr(pos, next - pos);
    if (in_headers && line == "\n") in_headers = false;
    if (in_headers && (line.rfind("gpgsig ", 0) == 0 || line.rfind("gpgsig-sha256 ", 0) == 0)) {
      dropping = true;
    } else if (in_headers && dropping && line[0] == ' ') {
      // continuation of a dropped header
    } else {
      dropping = false;
      out += line;
    }
    pos = next;
  }
  return out;
}

// The raw bytes exactly as git prints them (TestRepo::git trims newlines).
std::string cat_file(TestRepo& repo, const std::string& type, const std::string& oid) {
  auto r = repo.git_raw({"cat-file", type, oid});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

void expect_ssh_verifies(const test::SshKey& key, const std::string& signature,
                         const std::string& payload, const TempDir& dir) {
  test::write_file(dir / "allowed_signers", "signer@example.org " + key.public_line + "\n");
  test::write_file(dir / "payload.sig", signature);
  auto r = test::run({"ssh-keygen", "-Y", "verify", "-f", dir / "allowed_signers", "-I",
                      "signer@example.org", "-n", "git", "-s", dir / "payload.sig"},
                     test::RunOptions{.cwd = "", .env = {}, .input = payload});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

void expect_gpg_verifies(test::GpgHome& gpg, const std::string& signature,
                         const std::string& payload, const TempDir& dir) {
  test::write_file(dir / "payload.asc", signature);
  test::write_file(dir / "payload", payload);
  auto r = gpg.gpg({"--verify", dir / "payload.asc", dir / "payload"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Makes an OpenPGP key and returns what git's user.signingkey should name.
// The e-mail rather than gen_key's fingerprint: git resolves it the same way,
// and it does not depend on parsing gpg's colon listing.
std::string gen_openpgp_key(test::GpgHome& gpg, const std::string& email) {
  gpg.gen_key("Signer <" + email + ">");
  return email;
}

TEST(SplitCommitSignatureTest, UnsignedCommitIsNotPresentAndPayloadIsEverything) {
  std::string raw = std::string(kHead) + "\nmessage\n\nbody\n";
  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->present);
  EXPECT_EQ(r->payload, raw);
  EXPECT_EQ(r->signature, "");
  EXPECT_FALSE(r->only_sha256_signature);
}

TEST(SplitCommitSignatureTest, RemovesGpgsigAndGpgsigSha256KeepsEverythingElse) {
  std::string raw = std::string(kHead) +
                    "gpgsig -----BEGIN SSH SIGNATURE-----\n"
                    " U1NIU0lH\n"
                    " \n"
                    " -----END SSH SIGNATURE-----\n"
                    "encoding ISO-8859-1\n"
                    "gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n"
                    " iQ==\n"
                    " -----END PGP SIGNATURE-----\n"
                    "\n"
                    "msg\n gpgsig in the body stays\n";
  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->only_sha256_signature);
  EXPECT_EQ(r->signature,
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n\n-----END SSH SIGNATURE-----\n");
  EXPECT_EQ(r->payload, std::string(kHead) +
                            "encoding ISO-8859-1\n\nmsg\n gpgsig in the body stays\n");
}

// In a SHA-1 repository git ignores gpgsig-sha256: such a commit is unsigned.
TEST(SplitCommitSignatureTest, OnlyGpgsigSha256IsUnsigned) {
  std::string raw = std::string(kHead) + "gpgsig-sha256 X\n Y\n\nm\n";
  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  EXPECT_TRUE(r->only_sha256_signature);
  EXPECT_EQ(r->signature, "");
  EXPECT_EQ(r->payload, std::string(kHead) + "\nm\n");
}

TEST(SplitCommitSignatureTest, MalformedCommitsAreErrors) {
  auto two = split_commit_signature(std::string(kHead) + "gpgsig a\n b\ngpgsig c\n\nm\n");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().kind, ErrorKind::malformed);
  EXPECT_EQ(two.error().message, "commit has two gpgsig headers");

  auto two256 = split_commit_signature(std::string(kHead) + "gpgsig-sha256 a\ngpgsig-sha256 c\n\n");
  ASSERT_FALSE(two256.ok());
  EXPECT_EQ(two256.error().message, "commit has two gpgsig-sha256 headers");

  auto unterminated = split_commit_signature(std::string(kHead) + "gpgsig a\n b\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.error().kind, ErrorKind::malformed);
  EXPECT_EQ(unterminated.error().message, "commit header is not terminated by a blank line");

  auto no_newline = split_commit_signature("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  ASSERT_FALSE(no_newline.ok());
  EXPECT_EQ(no_newline.error().message, "commit header is not terminated by a blank line");

  auto empty = split_commit_signature("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "commit header is not terminated by a blank line");

  auto leading = split_commit_signature(" gpgsig a\ntree x\n\nm\n");
  ASSERT_FALSE(leading.ok());
  EXPECT_EQ(leading.error().kind, ErrorKind::malformed);
  EXPECT_EQ(leading.error().message, "commit header continuation line without a header");
}

TEST(SplitCommitSignatureTest, HeaderNameMustMatchExactly) {
  std::string raw = std::string(kHead) + "gpgsigx a\n b\n\nm\n";
  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  EXPECT_EQ(r->payload, raw);
}

TEST(SplitTagSignatureTest, SplitsAtTheLastKnownArmorLine) {
  std::string head = "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1\n"
                     "tagger T <t@example.org> 1700000456 +0000\n\nrelease\n";
  for (std::string armor : {"-----BEGIN PGP SIGNATURE-----", "-----BEGIN SSH SIGNATURE-----",
                            "-----BEGIN SIGNED MESSAGE-----", "-----BEGIN PGP MESSAGE-----"}) {
    std::string sig = armor + "\nAAAA\n-----END-----\n";
    auto t = split_tag_signature(head + sig);
    EXPECT_TRUE(t.present) << armor;
    EXPECT_EQ(t.payload, head) << armor;
    EXPECT_EQ(t.signature, sig) << armor;
  }
  // A quoted armor line in the message: the last one wins, like git.
  std::string quoted = head + "-----BEGIN PGP SIGNATURE-----\nquoted\n";
  std::string sig = "-----BEGIN SSH SIGNATURE-----\nAA==\n-----END SSH SIGNATURE-----\n";
  auto t = split_tag_signature(quoted + sig);
  EXPECT_TRUE(t.present);
  EXPECT_EQ(t.payload, quoted);
  EXPECT_EQ(t.signature, sig);
  // Not at the start of a line: not a signature.
  auto inline_armor = split_tag_signature(head + "see -----BEGIN PGP SIGNATURE-----\n");
  EXPECT_FALSE(inline_armor.present);
  EXPECT_EQ(inline_armor.payload, head + "see -----BEGIN PGP SIGNATURE-----\n");
}

TEST(SplitTagSignatureTest, UnsignedTagIsNotPresent) {
  std::string raw = "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1\n\nm\n";
  auto t = split_tag_signature(raw);
  EXPECT_FALSE(t.present);
  EXPECT_EQ(t.payload, raw);
  EXPECT_EQ(t.signature, "");
}

TEST(MergetagsTest, UnfoldsEachMergetagHeader) {
  std::string raw = std::string(kHead) +
                    "mergetag object aaaa\n type commit\n tag v1\n \n msg\n"
                    "mergetag object bbbb\n tag v2\n"
                    "encoding UTF-8\n"
                    "\n"
                    "mergetag object not-a-header\n";
  auto tags = mergetags(raw);
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0], "object aaaa\ntype commit\ntag v1\n\nmsg\n");
  EXPECT_EQ(tags[1], "object bbbb\ntag v2\n");
  EXPECT_TRUE(mergetags(kHead).empty());
  EXPECT_TRUE(mergetags("").empty());
}

TEST(HeaderTimeTest, ReadsCommitterAndTaggerTimes) {
  std::string commit = std::string(kHead) + "\nm\n";
  EXPECT_EQ(committer_time(commit), 1700000123);
  EXPECT_EQ(tagger_time("object x\ntagger T <t@x> 42 +0000\n\nm\n"), 42);
  EXPECT_EQ(tagger_time("object x\ntype commit\n\ntagger T <t@x> 42 +0000\n"), std::nullopt);
  EXPECT_EQ(committer_time("committer C <c@x> notanumber +0000\n\n"), std::nullopt);
  EXPECT_EQ(committer_time("committer C <c@x> 99999999999999999999 +0000\n\n"), std::nullopt);
  EXPECT_EQ(committer_time("committer C no email 5 +0000\n\n"), std::nullopt);
  EXPECT_EQ(committer_time(""), std::nullopt);
}

// --- real signatures made by git; `git cat-file` and ssh-keygen/gpg are the oracles

TEST(SignedObjectGitTest, SshSignedCommitPayloadMatchesGitAndVerifies) {
  TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "signer", "ed25519");
  TestRepo repo(dir / "repo", nullptr);
  std::string oid = repo.commit({{"a.txt", "a\n"}}, "signed", TestRepo::Signer::ssh(key));
  std::string raw = cat_file(repo, "commit", oid);

  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->only_sha256_signature);
  EXPECT_EQ(r->payload, strip_gpgsig_lines(raw));
  EXPECT_EQ(r->signature.rfind("-----BEGIN SSH SIGNATURE-----\n", 0), 0u);
  expect_ssh_verifies(key, r->signature, r->payload, dir);
  EXPECT_EQ(committer_time(raw), std::stoll(repo.git({"log", "-1", "--format=%ct", oid})));

  // Cross-check against libgit2's own extraction.
  ensure_libgit2();
  RepositoryHandle handle;
  ASSERT_EQ(git_repository_open(handle.out(), repo.path().c_str()), 0);
  git_oid id;
  ASSERT_EQ(git_oid_fromstr(&id, oid.c_str()), 0);
  Buf sig, payload;
  ASSERT_EQ(git_commit_extract_signature(sig.get(), payload.get(), handle.get(), &id, nullptr), 0);
  EXPECT_EQ(payload.str(), r->payload);
  // libgit2 drops the last line's newline; git (and vouch) keep it.
  EXPECT_EQ(sig.str() + "\n", r->signature);
}

TEST(SignedObjectGitTest, OpenPgpSignedCommitPayloadVerifiesWithGpg) {
  TempDir dir;
  test::GpgHome gpg(dir / "gnupg");
  std::string fpr = gen_openpgp_key(gpg, "signer@example.org");
  TestRepo repo(dir / "repo", &gpg);
  std::string oid = repo.commit({{"a.txt", "a\n"}}, "signed", TestRepo::Signer::openpgp(fpr));
  std::string raw = cat_file(repo, "commit", oid);

  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->present);
  EXPECT_EQ(r->payload, strip_gpgsig_lines(raw));
  EXPECT_EQ(r->signature.rfind("-----BEGIN PGP SIGNATURE-----\n", 0), 0u);
  expect_gpg_verifies(gpg, r->signature, r->payload, dir);
}

TEST(SignedObjectGitTest, UnsignedCommitFromGitIsNotPresent) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string oid = repo.commit({{"a.txt", "a\n"}}, "plain", TestRepo::Signer::none());
  std::string raw = cat_file(repo, "commit", oid);
  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  EXPECT_EQ(r->payload, raw);
}

TEST(SignedObjectGitTest, MergetagAndEncodingStayInTheSignedPayload) {
  TempDir dir;
  test::GpgHome gpg(dir / "gnupg");
  std::string fpr = gen_openpgp_key(gpg, "tagger@example.org");
  auto key = test::make_ssh_key(dir.path(), "signer", "ed25519");
  TestRepo repo(dir / "repo", &gpg);
  repo.commit({{"a.txt", "a\n"}}, "base", TestRepo::Signer::none());
  repo.git({"checkout", "-q", "-b", "side"});
  std::string side = repo.commit({{"b.txt", "b\n"}}, "side", TestRepo::Signer::none());
  repo.tag("v1", side, TestRepo::Signer::openpgp(fpr));
  repo.git({"checkout", "-q", "main"});
  repo.commit({{"c.txt", "c\n"}}, "main", TestRepo::Signer::none());
  repo.git({"-c", "i18n.commitEncoding=ISO-8859-1", "-c", "gpg.format=ssh", "-c",
            "user.signingkey=" + key.private_path, "merge", "-q", "--no-ff", "--no-edit", "-S",
            "-m", "merge caf\xe9", "v1"});
  std::string oid = repo.git({"rev-parse", "HEAD"});
  std::string raw = cat_file(repo, "commit", oid);
  ASSERT_NE(raw.find("\nmergetag object "), std::string::npos) << raw;
  ASSERT_NE(raw.find("\nencoding ISO-8859-1\n"), std::string::npos) << raw;

  auto r = split_commit_signature(raw);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->present);
  EXPECT_EQ(r->payload, strip_gpgsig_lines(raw));
  EXPECT_NE(r->payload.find("\nmergetag object "), std::string::npos);
  EXPECT_NE(r->payload.find("\nencoding ISO-8859-1\n"), std::string::npos);
  expect_ssh_verifies(key, r->signature, r->payload, dir);

  auto tags = mergetags(raw);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0], cat_file(repo, "tag", "v1"));
  auto t = split_tag_signature(tags[0]);
  ASSERT_TRUE(t.present);
  expect_gpg_verifies(gpg, t.signature, t.payload, dir);
}

}  // namespace
}  // namespace vouch::git
