#include "git/repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "git/signed_object.h"
#include "test_env.h"

namespace vouch::git {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::TestRepo;

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

Repository open_ok(const std::string& path) {
  auto r = Repository::open(path);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

TEST(RepositoryOpenTest, DiscoversUpwardsFromASubdirectory) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.commit({{"sub/a.txt", "a\n"}}, "one", TestRepo::Signer::none());
  Repository r = open_ok(dir / "repo/sub");
  std::string root = fs::canonical(dir / "repo").string();
  EXPECT_EQ(r.path(), root);
  EXPECT_EQ(r.git_dir(), root + "/.git");
}

TEST(RepositoryOpenTest, BareRepositoryPathIsTheGitDir) {
  TempDir dir;
  test::run_ok({"git", "init", "-q", "--bare", dir / "bare.git"});
  Repository r = open_ok(dir / "bare.git");
  std::string root = fs::canonical(dir / "bare.git").string();
  EXPECT_EQ(r.path(), root);
  EXPECT_EQ(r.git_dir(), root);
}

TEST(RepositoryOpenTest, NotARepository) {
  TempDir dir;
  fs::create_directories(dir / "plain");
  auto r = Repository::open(dir / "plain");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message, "not a git repository: " + (dir / "plain"));

  auto missing = Repository::open(dir / "missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "not a git repository: " + (dir / "missing"));
}

TEST(RepositoryOpenTest, Sha256RepositoryIsUnsupported) {
  TempDir dir;
  test::run_ok({"git", "init", "-q", "--object-format=sha256", dir / "sha"});
  auto r = Repository::open(dir / "sha");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unsupported);
  EXPECT_EQ(r.error().message,
            "SHA-256 object format repositories are not supported (libgit2 1.5)");
}

TEST(RepositoryTest, ResolveCommitPeelsAndNamesUnknownRevisions) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a", "1"}}, "one", TestRepo::Signer::none());
  std::string c2 = repo.commit({{"a", "2"}}, "two", TestRepo::Signer::none());
  repo.tag("v1", c1, TestRepo::Signer::none());
  Repository r = open_ok(repo.path());
  EXPECT_EQ(*r.resolve_commit("HEAD"), c2);
  EXPECT_EQ(*r.resolve_commit("HEAD~1"), c1);
  EXPECT_EQ(*r.resolve_commit("v1"), c1);
  EXPECT_EQ(*r.resolve_commit(c2.substr(0, 10)), c2);

  auto unknown = r.resolve_commit("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(unknown.error().message, "unknown revision 'nope'");
  EXPECT_EQ(r.resolve_commit("").error().message, "unknown revision ''");
  auto tree = r.resolve_commit("HEAD^{tree}");
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.error().message, "revision 'HEAD^{tree}' is not a commit");
}

TEST(RepositoryTest, ListCommitsFollowsGitRevListSemantics) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a", "1"}}, "c1", TestRepo::Signer::none(), 1600000000);
  std::string c2 = repo.commit({{"a", "2"}}, "c2", TestRepo::Signer::none(), 1600000100);
  repo.git({"checkout", "-q", "-b", "side", c1});
  std::string s1 = repo.commit({{"b", "1"}}, "s1", TestRepo::Signer::none(), 1600000200);
  repo.git({"checkout", "-q", "main"});
  std::string c3 = repo.commit({{"a", "3"}}, "c3", TestRepo::Signer::none(), 1600000300);
  Repository r = open_ok(repo.path());

  using V = std::vector<std::string>;
  EXPECT_EQ(*r.list_commits({"main"}), (V{c3, c2, c1}));
  EXPECT_EQ(*r.list_commits({c1 + "..main"}), (V{c3, c2}));
  EXPECT_EQ(*r.list_commits({"main", "side"}), (V{c3, s1, c2, c1}));
  EXPECT_EQ(*r.list_commits({"main..side"}), (V{s1}));
  EXPECT_EQ(*r.list_commits({"side.."}), (V{c3, c2}));  // empty side: HEAD
  EXPECT_EQ(*r.list_commits({"main", "^side"}), (V{c3, c2}));
  EXPECT_EQ(*r.list_commits({"main..main"}), V{});
  // git rev-list as the oracle for a combination of ranges.
  for (const V& specs : {V{c2 + "..main", "side"}, V{"side", "main"}, V{c1 + "..side", c2}}) {
    std::vector<std::string> argv = {"rev-list", "--date-order"};
    argv.insert(argv.end(), specs.begin(), specs.end());
    auto got = r.list_commits(specs);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(*got, lines(repo.git(argv)));
  }

  auto unknown = r.list_commits({"main", "main..nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(unknown.error().message, "unknown revision 'nope'");
  EXPECT_EQ(r.list_commits({"nope"}).error().message, "unknown revision 'nope'");
  EXPECT_EQ(r.list_commits({"main...side"}).error().message,
            "symmetric difference 'main...side' is not supported");
  EXPECT_EQ(r.list_commits({}).error().message, "no revisions given");
}

TEST(RepositoryTest, FirstParentChainOnAMergeHistory) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a", "1"}}, "c1", TestRepo::Signer::none());
  repo.git({"checkout", "-q", "-b", "side"});
  std::string s1 = repo.commit({{"b", "1"}}, "s1", TestRepo::Signer::none());
  std::string s2 = repo.commit({{"b", "2"}}, "s2", TestRepo::Signer::none());
  repo.git({"checkout", "-q", "main"});
  std::string c2 = repo.commit({{"a", "2"}}, "c2", TestRepo::Signer::none());
  repo.git({"merge", "-q", "--no-ff", "--no-edit", "-m", "merge side", "side"});
  std::string m = repo.git({"rev-parse", "HEAD"});
  std::string c3 = repo.commit({{"a", "3"}}, "c3", TestRepo::Signer::none());
  Repository r = open_ok(repo.path());

  using V = std::vector<std::string>;
  EXPECT_EQ(*r.first_parent_chain("main", ""), (V{c3, m, c2, c1}));
  EXPECT_EQ(*r.first_parent_chain("main", c1), (V{c3, m, c2}));
  EXPECT_EQ(*r.first_parent_chain("main", "main~1"), (V{c3}));
  EXPECT_EQ(*r.first_parent_chain("main", "main"), V{});
  EXPECT_EQ(*r.first_parent_chain("side", ""), (V{s2, s1, c1}));

  auto not_ancestor = r.first_parent_chain("main", "side~1");
  ASSERT_FALSE(not_ancestor.ok());
  EXPECT_EQ(not_ancestor.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(not_ancestor.error().message, "side~1 is not a first-parent ancestor of main");
  EXPECT_EQ(r.first_parent_chain("nope", "").error().message, "unknown revision 'nope'");
  EXPECT_EQ(r.first_parent_chain("main", "nope").error().message, "unknown revision 'nope'");
  (void)s1;
}

TEST(RepositoryTest, RawObjectIsWhatCatFilePrints) {
  TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "signer", "ed25519");
  TestRepo repo(dir / "repo", nullptr);
  std::string c1 = repo.commit({{"a", "1"}}, "c1", TestRepo::Signer::ssh(key));
  Repository r = open_ok(repo.path());
  auto raw = r.raw_object(c1);
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(*raw, repo.git_raw({"cat-file", "commit", c1}).out);

  auto bad = r.raw_object("xyz");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(bad.error().message, "invalid object id 'xyz'");
  std::string zero(40, '0');
  auto missing = r.raw_object(zero);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message, "no object " + zero);
}

TEST(RepositoryTest, TagsSignedUnsignedAndLightweight) {
  TempDir dir;
  test::GpgHome gpg(dir / "gnupg");
  // Signing key named by e-mail (git resolves it like a fingerprint), so the
  // test does not depend on parsing gpg's colon listing.
  gpg.gen_key("Tagger <tagger@example.org>");
  std::string fpr = "tagger@example.org";
  auto key = test::make_ssh_key(dir.path(), "signer", "ed25519");
  TestRepo repo(dir / "repo", &gpg);
  std::string c1 = repo.commit({{"a", "1"}}, "c1", TestRepo::Signer::none());
  repo.tag("v-ssh", c1, TestRepo::Signer::ssh(key));
  repo.tag("v-pgp", c1, TestRepo::Signer::openpgp(fpr));
  repo.tag("v-plain", c1, TestRepo::Signer::none());
  repo.tag("v-light", c1, TestRepo::Signer::none(), /*annotated=*/false);
  Repository r = open_ok(repo.path());

  auto ssh = r.tag("v-ssh");
  ASSERT_TRUE(ssh.ok()) << ssh.error().message;
  EXPECT_EQ(ssh->ref, "refs/tags/v-ssh");
  EXPECT_EQ(ssh->name, "v-ssh");
  EXPECT_TRUE(ssh->annotated);
  EXPECT_EQ(ssh->tag_oid, repo.git({"rev-parse", "refs/tags/v-ssh"}));
  EXPECT_EQ(ssh->target_oid, c1);
  EXPECT_EQ(ssh->target_type, "commit");
  EXPECT_EQ(ssh->raw, repo.git_raw({"cat-file", "tag", "v-ssh"}).out);
  auto ssh_sig = split_tag_signature(ssh->raw);
  ASSERT_TRUE(ssh_sig.present);
  test::write_file(dir / "allowed", "t@example.org " + key.public_line + "\n");
  test::write_file(dir / "tag.sig", ssh_sig.signature);
  auto v = test::run({"ssh-keygen", "-Y", "verify", "-f", dir / "allowed", "-I", "t@example.org",
                      "-n", "git", "-s", dir / "tag.sig"},
                     test::RunOptions{.cwd = "", .env = {}, .input = ssh_sig.payload});
  EXPECT_EQ(v.exit_code, 0) << v.err;

  auto pgp = r.tag("refs/tags/v-pgp");
  ASSERT_TRUE(pgp.ok()) << pgp.error().message;
  EXPECT_EQ(pgp->name, "v-pgp");
  EXPECT_TRUE(pgp->annotated);
  auto pgp_sig = split_tag_signature(pgp->raw);
  ASSERT_TRUE(pgp_sig.present);
  EXPECT_EQ(pgp_sig.signature.rfind("-----BEGIN PGP SIGNATURE-----\n", 0), 0u);
  test::write_file(dir / "tag.asc", pgp_sig.signature);
  test::write_file(dir / "tag.payload", pgp_sig.payload);
  auto g = gpg.gpg({"--verify", dir / "tag.asc", dir / "tag.payload"});
  EXPECT_EQ(g.exit_code, 0) << g.err;
  std::string tagger_unix =
      repo.git({"for-each-ref", "--format=%(taggerdate:unix)", "refs/tags/v-pgp"});
  EXPECT_EQ(tagger_time(pgp->raw), std::stoll(tagger_unix));

  auto plain = r.tag("v-plain");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->annotated);
  EXPECT_FALSE(split_tag_signature(plain->raw).present);

  auto light = r.tag("v-light");
  ASSERT_TRUE(light.ok());
  EXPECT_FALSE(light->annotated);
  EXPECT_EQ(light->tag_oid, "");
  EXPECT_EQ(light->target_oid, c1);
  EXPECT_EQ(light->target_type, "commit");
  EXPECT_EQ(light->raw, "");

  auto unknown = r.tag("v9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  EXPECT_EQ(unknown.error().message, "no tag 'v9'");
  EXPECT_EQ(r.tag("refs/tags/").error().message, "no tag 'refs/tags/'");
  EXPECT_EQ(r.tag("bad..name").error().message, "no tag 'bad..name'");
}

TEST(RepositoryTest, ConfigString) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  repo.git({"config", "vouch.trustRoot", "abc123"});
  Repository r = open_ok(repo.path());
  EXPECT_EQ(*r.config_string("vouch.trustRoot"), "abc123");
  EXPECT_EQ(*r.config_string("vouch.trustroot"), "abc123");  // keys are case-insensitive
  auto unset = r.config_string("vouch.policy");
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().kind, ErrorKind::not_found);
  EXPECT_EQ(unset.error().message, "config key 'vouch.policy' is not set");
  auto invalid = r.config_string("nodot");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(invalid.error().message, "invalid config key 'nodot'");
}

// 10,000 commits (packed, as a clone has them): walk, read and split them all.
// Functional only: speed is measured by bench/, never asserted in a unit test.
TEST(RepositoryScaleTest, ListsAndSplitsTenThousandPackedCommits) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  constexpr int kCommits = 10000;
  std::string stream;
  for (int i = 1; i <= kCommits; ++i) {
    stream += "commit refs/heads/main\nmark :" + std::to_string(i) +
              "\ncommitter C <c@example.org> " + std::to_string(1600000000 + i) +
              " +0000\ndata 2\nm\n";
    if (i > 1) stream += "from :" + std::to_string(i - 1) + "\n";
    stream += "\n";
  }
  repo.git({"fast-import", "--quiet"}, stream);
  Repository r = open_ok(repo.path());

  auto commits = r.list_commits({"main"});
  ASSERT_TRUE(commits.ok()) << commits.error().message;
  size_t payload_bytes = 0;
  for (const std::string& oid : *commits) {
    auto raw = r.raw_object(oid);
    ASSERT_TRUE(raw.ok());
    auto split = split_commit_signature(*raw);
    ASSERT_TRUE(split.ok());
    payload_bytes += split->payload.size();
  }
  EXPECT_EQ(commits->size(), static_cast<size_t>(kCommits));
  EXPECT_GT(payload_bytes, 0u);

  auto chain = r.first_parent_chain("main", "");
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(*chain, *commits);
}

}  // namespace
}  // namespace vouch::git
