// End to end, the archive threats of docs/threat-model.md: 30 (names that
// collide case-insensitively or after Unicode normalisation), 32 (trees
// nested deeper than 4,096 levels) and 36 (names that extractors read
// differently). Real repositories, tags signed with real SSH keys, archives
// from `git archive` and `tar`, ambiguous ones written byte by byte
// (tests/archive/tar_bytes.h), the real binary.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <tuple>

#include "../archive/tar_bytes.h"
#include "../git/deep_tree.h"
#include "e2e_support.h"
#include "git/repository.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;
namespace b = bytes;

const std::string kCafeNfc = "caf\xc3\xa9.txt";
const std::string kCafeNfd = "cafe\xcc\x81.txt";

class ArchiveThreatTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  SshKey lasse = make_ssh_key(dir.path(), "lasse", "ed25519");
  std::map<std::string, std::string> tree;
  std::string root;

  void SetUp() override {
    tree = {{"README", "p\n"},
            {"configure.ac", "AC_INIT([p], [1.0])\n"},
            {"build-aux/ltmain.sh", "#!/bin/sh\necho good\n"},
            {kCafeNfc, "nfc\n"},
            {".vouch/keys/lasse.pub", lasse.public_line + "\n"},
            {".vouch/policy.toml",
             "version = 1\nserial = 1\n\n[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint +
                 "\"]\n\n[groups]\nmaintainers = [\"lasse\"]\n\n[commits]\nrequire = [\"1 of maintainers\"]\n\n"
                 "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"1 of maintainers\"]\n\n"
                 "[release]\narchive_may_add = [\"configure\", \"build-aux/*\"]\n"}};
    root = repo.commit(tree, "release 1.0", Signer::ssh(lasse));
    repo.git({"config", "vouch.trustRoot", root});
    repo.tag("v1.0", root, Signer::ssh(lasse));
  }

  /// `git archive --format=tar --prefix=p/ v1.0` without its end-of-archive
  /// blocks, so that records can be appended.
  std::string open_tar() {
    std::string out = dir / "base.tar";
    repo.git({"archive", "--format=tar", "--prefix=p/", "-o", out, "v1.0"});
    std::string t = read_file(out);
    while (!t.empty() && t.back() == '\0') t.pop_back();
    t.resize((t.size() + 511) / 512 * 512, '\0');
    return t;
  }
  std::string write(const std::string& name, const std::string& data) {
    write_file(dir / name, data);
    return dir / name;
  }
  nlohmann::json verify(const std::string& archive, int expected_exit) {
    return vouch_json({"-C", repo.path(), "--db", dir / "none.db", "verify-archive", archive, "--tag", "v1.0"},
                      expected_exit);
  }
  /// The unsafe findings as "PATH | DETAIL".
  static std::vector<std::string> unsafe(const nlohmann::json& j) {
    std::vector<std::string> out;
    for (const auto& f : j["findings"])
      if (f["kind"] == "unsafe") out.push_back(f["path"].get<std::string>() + " | " + f["detail"].get<std::string>());
    return out;
  }
};

TEST_F(ArchiveThreatTest, threat_30_CaseCollisionWithATrackedDirectoryIsUnsafe) {
  std::string tar = dir / "rel.tar";
  repo.git({"archive", "--format=tar", "--prefix=p/", "-o", tar, "v1.0"});
  verify(tar, 0);
  write_file(dir / "x/p/BUILD-AUX/ltmain.sh", "#!/bin/sh\necho EVIL\n");
  run_ok({"tar", "-rf", tar, "-C", dir / "x", "p/BUILD-AUX/ltmain.sh"});
  auto j = verify(tar, 1);
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "BUILD-AUX/ltmain.sh | directory BUILD-AUX collides with tracked build-aux "
                           "case-insensitively"}));
  EXPECT_EQ(j["summary"]["unsafe"], 1);
  EXPECT_EQ(j["summary"]["allowed"], 0);
}

TEST_F(ArchiveThreatTest, threat_30_NfdNameBesideTrackedNfcAndUnicodeCaseFolding) {
  std::string t = open_tar() + b::record("p/" + kCafeNfd, '0', "evil\n") +
                  b::record("p/build-aux/\xce\xa3.sh", '0', "1") + b::record("p/build-aux/\xcf\x82.sh", '0', "2") +
                  b::end_of_archive();
  auto j = verify(write("nfd.tar", t), 1);
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "build-aux/\xce\xa3.sh | name collides with build-aux/\xcf\x82.sh case-insensitively",
                           "build-aux/\xcf\x82.sh | name collides with build-aux/\xce\xa3.sh case-insensitively",
                           kCafeNfd + " | name collides with tracked " + kCafeNfc +
                               " after Unicode NFC normalisation"}));
}

TEST_F(ArchiveThreatTest, threat_36_GnuLongNameAndPaxPathForOneMember) {
  std::string t = open_tar() + b::record("././@LongLink", 'L', std::string("p/build-aux/evil.sh") + '\0', "", true) +
                  b::record("PaxHeaders/configure", 'x', b::pax_record("path", "p/configure")) +
                  b::record("p/configure", '0', "#!/bin/sh\n") + b::end_of_archive();
  auto j = verify(write("longname.tar", t), 1);
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "p/build-aux/evil.sh | name from both a GNU long-name record (p/build-aux/evil.sh) and a "
                           "pax path (p/configure)"}));
}

TEST_F(ArchiveThreatTest, threat_36_PaxGlobalPathAndDisagreeingUstarPrefix) {
  std::string t = open_tar() + b::record("pax_global_header", 'g', b::pax_record("path", "p/configure")) +
                  b::record("p/configure", '0', "#!/bin/sh\n") +
                  b::record("PaxHeaders/x", 'x', b::pax_record("path", "p/build-aux/install-sh")) +
                  b::record("install-sh", '0', "#!/bin/sh\n", "p/build-aux/other") + b::end_of_archive();
  auto j = verify(write("global.tar", t), 1);
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "p/build-aux/install-sh | the ustar name p/build-aux/other/install-sh (prefix and name) "
                           "disagrees with p/build-aux/install-sh",
                           "p/configure | a pax global header sets path=p/configure: extractors disagree on whether "
                           "it names the members that follow"}));
}

TEST_F(ArchiveThreatTest, threat_36_ZipLocalAndCentralNamesDiffer) {
  std::vector<b::ZipEntry> entries;
  for (const auto& [path, content] : tree) entries.push_back({"p/" + path, "p/" + path, content, ""});
  std::string good = write("good.zip", b::zip(entries));
  auto ok = verify(good, 0);
  EXPECT_EQ(ok["summary"]["matched"], 6);
  entries.push_back({"p/configure", "p/build-aux/evil.sh", "#!/bin/sh\n", ""});
  auto j = verify(write("bad.zip", b::zip(entries)), 1);
  // libarchive reads the local header's name; Info-ZIP the central one.
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "p/build-aux/evil.sh | the local header names it p/build-aux/evil.sh, the central directory "
                           "p/configure"}));
}

TEST_F(ArchiveThreatTest, threat_36_MixedSeparatorsThatClimbOut) {
  std::string t = open_tar() + b::record("p/build-aux/..\\..\\..\\evil.sh", '0', "x") +
                  b::record("p/build-aux\\ltmain.sh", '0', "evil") + b::end_of_archive();
  auto j = verify(write("sep.tar", t), 1);
  // JSON shows '\' doubled (report/render.h display_name).
  EXPECT_EQ(unsafe(j), (std::vector<std::string>{
                           "build-aux\\\\ltmain.sh | name collides with tracked build-aux/ltmain.sh as Windows reads "
                           "'\\\\'",
                           "p/build-aux/..\\\\..\\\\..\\\\evil.sh | path escapes the archive root (\\\\-separated, as "
                           "Windows reads it)"}));
}

TEST_F(ArchiveThreatTest, threat_32_TreeNested100000LevelsFailsAsMalformedInSeconds) {
  std::string deep;
  {
    auto r = git::Repository::open(repo.path());
    ASSERT_TRUE(r.ok());
    deep = write_deep_tree(*r, 100'000);
  }
  std::string rel = dir / "rel.tar";
  repo.git({"archive", "--format=tar", "-o", rel, "v1.0"});
  auto sign = [&](const std::vector<std::string>& args) {
    std::vector<std::string> a = {"-c", "gpg.format=ssh", "-c", "user.signingKey=" + lasse.private_path};
    a.insert(a.end(), args.begin(), args.end());
    return repo.git(a);
  };
  std::string with_deep = repo.git({"mktree"}, repo.git({"ls-tree", "HEAD"}) + "\n040000 tree " + deep + "\tdeep\n");
  std::string c = sign({"commit-tree", "-S", with_deep, "-p", "HEAD", "-m", "deep"});
  sign({"tag", "-s", "-m", "v2", "v2.0", c});
  // The same tree inside the keyring directory of the commit that governs the tip.
  std::string keys = repo.git({"mktree"}, repo.git({"ls-tree", "HEAD:.vouch/keys"}) + "\n040000 tree " + deep + "\tdeep\n");
  std::string dotvouch = repo.git({"mktree"}, "040000 tree " + keys + "\tkeys\n100644 blob " +
                                                  repo.git({"rev-parse", "HEAD:.vouch/policy.toml"}) + "\tpolicy.toml\n");
  std::string top = repo.git({"mktree"}, "100644 blob " + repo.git({"rev-parse", "HEAD:README"}) +
                                             "\tREADME\n040000 tree " + dotvouch + "\t.vouch\n");
  std::string c1 = sign({"commit-tree", "-S", top, "-p", "HEAD", "-m", "deep keyring"});
  std::string c2 = sign({"commit-tree", "-S", top, "-p", c1, "-m", "child"});
  repo.git({"update-ref", "refs/heads/main", c2});
  repo.git({"symbolic-ref", "HEAD", "refs/heads/main"});  // no checkout: the tree is too deep for a file system

  auto start = std::chrono::steady_clock::now();
  RunResult a = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify-archive", rel, "--tag", "v2.0"});
  EXPECT_EQ(a.exit_code, 2) << a.out << a.err;
  EXPECT_NE(a.err.find("tree nested deeper than 4096 levels at deep/d/d/d/"), std::string::npos) << a.err;
  RunResult v = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify", "HEAD~1..HEAD"});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE(v.err.find("tree nested deeper than 4096 levels at .vouch/keys/deep/d/d/"), std::string::npos) << v.err;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 20 * test::kSlowdown);
}

// A tree entry named "build-aux/evil.sh" (a name holding '/', which git
// refuses to check out): vouch's path would not be the checkout's, so every
// walk refuses the tree as malformed (found by fuzz/fuzz_git_tree).
TEST_F(ArchiveThreatTest, TreeEntryNamesGitRefusesFailAsMalformed) {
  std::string odd;
  {
    auto r = git::Repository::open(repo.path());
    ASSERT_TRUE(r.ok());
    std::map<std::string, std::tuple<std::string, std::string, std::string>> sorted;  // git's order
    std::istringstream lines(repo.git({"ls-tree", "HEAD"}));
    for (std::string line; std::getline(lines, line);) {
      std::string mode = line.substr(0, line.find(' ')), name = line.substr(line.find('\t') + 1);
      std::string oid = line.substr(line.find('\t') - 40, 40);
      if (mode == "040000") mode = "40000";
      sorted[name + (mode == "40000" ? "/" : "")] = {mode, name, oid};
    }
    sorted["build-aux/evil.sh"] = {"100644", "build-aux/evil.sh", repo.git({"rev-parse", "HEAD:README"})};
    std::vector<std::tuple<std::string, std::string, std::string>> entries;
    entries.reserve(sorted.size());
    for (const auto& [key, entry] : sorted) entries.push_back(entry);
    odd = write_raw_tree(*r, entries);
  }
  auto sign = [&](const std::vector<std::string>& args) {
    std::vector<std::string> a = {"-c", "gpg.format=ssh", "-c", "user.signingKey=" + lasse.private_path};
    a.insert(a.end(), args.begin(), args.end());
    return repo.git(a);
  };
  std::string c = sign({"commit-tree", "-S", odd, "-p", "HEAD", "-m", "odd name"});
  sign({"tag", "-s", "-m", "v2", "v2.0", c});
  repo.git({"update-ref", "refs/heads/main", c});
  repo.git({"symbolic-ref", "HEAD", "refs/heads/main"});
  std::string rel = dir / "rel.tar";
  repo.git({"archive", "--format=tar", "-o", rel, "v1.0"});
  const std::string expected = "tree of commit " + c.substr(0, 12) +
                               " has an entry named \"build-aux/evil.sh\" in the top directory (git "
                               "refuses such names)";
  RunResult v = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify", "HEAD~1..HEAD"});
  EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
  EXPECT_NE(v.err.find(expected), std::string::npos) << v.err;
  RunResult a = vouch({"-C", repo.path(), "--db", dir / "none.db", "verify-archive", rel, "--tag", "v2.0"});
  EXPECT_EQ(a.exit_code, 2) << a.out << a.err;
  EXPECT_NE(a.err.find(expected), std::string::npos) << a.err;
}

}  // namespace
}  // namespace vouch::test
