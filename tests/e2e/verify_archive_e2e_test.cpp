// End to end, `vouch verify-archive`: real repositories with a real policy,
// tags signed with real SSH keys, archives made by `git archive` and by
// libarchive's write API (for the hostile ones), the real binary. Threat 15
// (a file in the archive that the tag's tree does not have) and the archive
// half of threat 19 (hostile and malformed archives).
#include <gtest/gtest.h>

#include <filesystem>

#include "../archive/archive_writer.h"
#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;
namespace fs = std::filesystem;

const std::map<std::string, std::string> kFiles = {
    {"README", "p: a release\n"}, {"src/x.c", "int x;\n"}, {"m4/ax_check.m4", "dnl upstream macro\n"},
    {"configure.ac", "AC_INIT([p], [1.0])\n"}};

std::string policy_toml(const SshKey& lasse, const SshKey& jia) {
  return "version = 1\nserial = 1\n\n"
         "[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint + "\"]\n"
         "[people.jia]\nkeys = [\"ssh:" + jia.fingerprint + "\"]\n\n"
         "[groups]\nmaintainers = [\"lasse\", \"jia\"]\n\n"
         "[commits]\nrequire = [\"1 of maintainers\"]\n\n"
         "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"1 of maintainers\"]\n\n"
         "[release]\narchive_may_add = [\"configure\", \"Makefile.in\", \"aclocal.m4\", \"build-aux/*\"]\n";
}

/// Every regular file below `root`, relative, with its size: what a test
/// compares before and after a run to prove nothing was written.
std::map<std::string, uintmax_t> snapshot(const std::string& root) {
  std::map<std::string, uintmax_t> out;
  for (const auto& e : fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied)) {
    if (e.is_socket()) continue;  // gpg-agent
    out[fs::relative(e.path(), root).string()] = e.is_regular_file() ? e.file_size() : 0;
  }
  return out;
}

class ArchiveTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  SshKey lasse = make_ssh_key(dir.path(), "lasse", "ed25519");
  SshKey jia = make_ssh_key(dir.path(), "jia", "ed25519");
  std::map<std::string, std::string> tree;  // every file of v1.0's tree

  void SetUp() override {
    tree = kFiles;
    tree[".vouch/policy.toml"] = policy_toml(lasse, jia);
    tree[".vouch/keys/lasse.pub"] = lasse.public_line + "\n";
    tree[".vouch/keys/jia.pub"] = jia.public_line + "\n";
    std::string c = repo.commit(tree, "release 1.0", Signer::ssh(lasse));
    repo.git({"config", "vouch.trustRoot", c});
    repo.tag("v1.0", c, Signer::ssh(lasse));
    repo.tag("v1.1", c, Signer::none());
    fs::create_directories(dir / "work");
  }

  /// The archive git archive --prefix=p-1.0/ would make, as fixture members.
  std::vector<FixtureMember> release_members() const {
    std::vector<FixtureMember> out = {{"p-1.0/", "", FixtureMember::Type::dir, 0775}};
    for (const auto& [path, content] : tree) out.push_back(member("p-1.0/" + path, content, 0664));
    return out;
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    write_file(dir / name, bytes);
    return dir / name;
  }
  std::string fixture(const std::string& name, const std::vector<FixtureMember>& members,
                      FixtureFormat format = FixtureFormat::tar_gz) const {
    return write(name, write_archive(members, format));
  }
  /// vouch --format json verify-archive ARCHIVE --tag TAG ..., run in dir/work.
  nlohmann::json verify(const std::string& archive, const std::string& tag, int expected_exit,
                        std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-C", repo.path(), "--db", dir / "none.db", "verify-archive", archive, "--tag", tag};
    args.insert(args.end(), extra.begin(), extra.end());
    return vouch_json(args, expected_exit, dir / "work");
  }
  RunResult verify_text(const std::string& archive, const std::string& tag, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-C", repo.path(), "--db", dir / "none.db", "verify-archive", archive, "--tag", tag};
    args.insert(args.end(), extra.begin(), extra.end());
    return vouch(args, dir / "work");
  }
  static nlohmann::json finding(const std::string& kind, const std::string& path, const std::string& detail = "") {
    nlohmann::json j = {{"kind", kind}, {"path", path}, {"detail", detail}};
    if (kind == "allowed") {  // an added file no --known copy matches
      j["origin"] = "added";
      j["known_as"] = nullptr;
    }
    return j;
  }
};

TEST_F(ArchiveTest, ExactGitArchivePassesInEveryCompression) {
  std::vector<std::string> archives;
  for (const std::string fmt : {"tar", "tar.gz", "zip"}) {
    std::string out = dir / ("p-1.0." + fmt);
    repo.git({"archive", "--format=" + fmt, "--prefix=p-1.0/", "-o", out, "v1.0"});
    archives.push_back(out);
  }
  run_ok({"xz", "-k", dir / "p-1.0.tar"});
  run_ok({"bzip2", "-k", dir / "p-1.0.tar"});
  archives.push_back(dir / "p-1.0.tar.xz");
  archives.push_back(dir / "p-1.0.tar.bz2");
  const std::vector<std::string> formats = {"POSIX pax interchange format", "gzip, POSIX pax interchange format",
                                            "ZIP", "xz, POSIX pax interchange format",
                                            "bzip2, POSIX pax interchange format"};
  for (size_t i = 0; i < archives.size(); ++i) {
    SCOPED_TRACE(archives[i]);
    auto j = verify(archives[i], "v1.0", 0);
    EXPECT_EQ(j["verdict"], "pass");
    EXPECT_EQ(j["format"], formats[i]);
    EXPECT_EQ(j["prefix"], "p-1.0/");
    EXPECT_EQ(j["commit"], repo.git({"rev-parse", "v1.0^{commit}"}));
    EXPECT_EQ(j["tag_verdict"]["verdict"], "pass");
    EXPECT_EQ(j["summary"]["matched"], 7);
    EXPECT_EQ(j["summary"]["added"], 0);
    EXPECT_EQ(j["findings"], nlohmann::json::array());
    EXPECT_EQ(j["errors"], nlohmann::json::array());
  }
  // Also in-memory-made tar.xz and tar.bz2, independent of the CLI tools.
  verify(fixture("w.tar.xz", release_members(), FixtureFormat::tar_xz), "v1.0", 0);
  verify(fixture("w.tar.bz2", release_members(), FixtureFormat::tar_bz2), "v1.0", 0);

  RunResult text = verify_text(archives[1], "v1.0");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("archive " + archives[1] + " (gzip, POSIX pax interchange format), prefix p-1.0/ stripped\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(archives[1] + ": ok 12 members: 7 matched, 0 allowed (0 known, 0 unknown), 0 added, 0 changed, 0 missing, 0 unsafe\n"),
            std::string::npos)
      << text.out;
}

TEST_F(ArchiveTest, Threat15FileNotInTheTagsTreeFailsNamingIt) {
  auto members = release_members();
  members.push_back(member("p-1.0/m4/build-to-host.m4", "dnl gl_BUILD_TO_HOST: the backdoor's loader\n"));
  std::string archive = fixture("xz-5.6.0.tar.gz", members);
  auto j = verify(archive, "v1.0", 1);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["tag_verdict"]["verdict"], "pass");
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("added", "m4/build-to-host.m4")}));
  EXPECT_EQ(j["errors"], nlohmann::json::array({"archive " + archive +
                                                ": added m4/build-to-host.m4 (not in the tag's tree)"}));
  EXPECT_EQ(j["summary"]["added"], 1);
  EXPECT_EQ(j["summary"]["matched"], 7);

  RunResult text = verify_text(archive, "v1.0");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("\nadded    m4/build-to-host.m4\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(archive + ": FAIL 9 members: 7 matched, 0 allowed (0 known, 0 unknown), 1 added, 0 changed, 0 missing, 0 unsafe\n"),
            std::string::npos)
      << text.out;
}

TEST_F(ArchiveTest, GeneratedFilesAllowedByArchiveMayAddPass) {
  auto members = release_members();
  members.push_back(member("p-1.0/configure", "#!/bin/sh\n# generated by autoconf\n", 0775));
  members.push_back(member("p-1.0/build-aux/install-sh", "#!/bin/sh\n", 0775));
  std::string archive = fixture("p-1.0.tar.gz", members);
  auto j = verify(archive, "v1.0", 0);
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("allowed", "build-aux/install-sh", "archive_may_add: build-aux/*"),
                                                  finding("allowed", "configure", "archive_may_add: configure")}));
  EXPECT_EQ(j["summary"]["allowed"], 2);
  RunResult text = verify_text(archive, "v1.0");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("\nunknown  configure (archive_may_add: configure)\n"), std::string::npos) << text.out;
  // Quiet still lists the unknown files: they are what a person must review.
  text = verify_text(archive, "v1.0", {"-q"});
  EXPECT_NE(text.out.find("\nunknown  configure (archive_may_add: configure)\n"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("archive "), std::string::npos) << text.out;
}

TEST_F(ArchiveTest, ChangedAndMissingFilesFail) {
  auto members = release_members();
  for (auto& m : members) {
    if (m.path == "p-1.0/src/x.c") m.content = "int x = 1; /* tampered */\n";
    if (m.path == "p-1.0/configure.ac") m.content = "AC_INIT([evil])\n";  // a may_add pattern would not excuse it
  }
  std::erase_if(members, [](const FixtureMember& m) { return m.path == "p-1.0/README"; });
  std::string archive = fixture("p-1.0.tar", members, FixtureFormat::tar);
  auto j = verify(archive, "v1.0", 1);
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("missing", "README"),
                                                  finding("changed", "configure.ac", "content differs"),
                                                  finding("changed", "src/x.c", "content differs")}));
  EXPECT_EQ(j["errors"], nlohmann::json::array({"archive " + archive + ": missing README",
                                                "archive " + archive + ": changed configure.ac (content differs)",
                                                "archive " + archive + ": changed src/x.c (content differs)"}));
  RunResult text = verify_text(archive, "v1.0");
  EXPECT_NE(text.out.find("\nmissing  README\nchanged  configure.ac (content differs)\nchanged  src/x.c (content differs)\n"),
            std::string::npos)
      << text.out;
}

TEST_F(ArchiveTest, HostileMembersAreReportedAndNothingIsWritten) {
  auto members = release_members();
  using T = FixtureMember::Type;
  members.push_back(member("../x", "escaped\n"));
  members.push_back(member("/etc/passwd", "root::0:0::/:/bin/sh\n"));
  members.push_back({"p-1.0/etc", "../../etc", T::symlink, 0777});
  members.push_back({"p-1.0/shadow", "/etc/shadow", T::hardlink});
  members.push_back({"p-1.0/tty", "", T::chardev});
  members.push_back({"p-1.0/pipe", "", T::fifo});
  std::string archive = fixture("hostile.tar", members, FixtureFormat::tar);
  auto before = snapshot(dir.path());
  auto j = verify(archive, "v1.0", 1);
  EXPECT_EQ(snapshot(dir.path()), before);
  EXPECT_TRUE(fs::is_empty(dir / "work"));
  EXPECT_FALSE(fs::exists(dir / "x"));
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("unsafe", "../x", "path escapes the archive root"),
                                                  finding("unsafe", "/etc/passwd", "absolute path"),
                                                  finding("unsafe", "etc", "symbolic link to ../../etc escapes the archive root"),
                                                  finding("unsafe", "p-1.0/pipe", "fifo"),
                                                  finding("unsafe", "p-1.0/shadow", "hard link to /etc/shadow"),
                                                  finding("unsafe", "p-1.0/tty", "character device")}));
  EXPECT_EQ(j["summary"]["unsafe"], 6);
  EXPECT_EQ(j["summary"]["matched"], 7);
  RunResult text = verify_text(archive, "v1.0");
  EXPECT_NE(text.out.find("\nunsafe   ../x (path escapes the archive root)\n"), std::string::npos) << text.out;
}

TEST_F(ArchiveTest, NamesThatCouldForgeOutputAreEscaped) {
  auto members = release_members();
  members.push_back(member("p-1.0/a\nallowed  configure", "x"));
  members.push_back(member("p-1.0/caf\xe9", "latin-1"));
  std::string archive = fixture("names.tar", members, FixtureFormat::tar);
  auto j = verify(archive, "v1.0", 1);
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("added", "a\\x0aallowed  configure"),
                                                  finding("added", "caf\\xe9")}));
  RunResult text = verify_text(archive, "v1.0");
  EXPECT_NE(text.out.find("\nadded    a\\x0aallowed  configure\nadded    caf\\xe9\n"), std::string::npos) << text.out;
}

TEST_F(ArchiveTest, NonAsciiNamesCompareByteWiseInTarAndZip) {
  std::string c = repo.commit({{"caf\xe9.txt", "latin-1 name\n"}, {"caf\xc3\xa9.txt", "utf-8 name\n"}},
                              "non-ASCII names", Signer::ssh(lasse));
  repo.tag("v2.0", c, Signer::ssh(lasse));
  for (const std::string fmt : {"tar", "zip"}) {
    SCOPED_TRACE(fmt);
    std::string out = dir / ("p-2.0." + fmt);
    repo.git({"archive", "--format=" + fmt, "--prefix=p-2.0/", "-o", out, "v2.0"});
    auto j = verify(out, "v2.0", 0);
    EXPECT_EQ(j["summary"]["matched"], 9);
  }
}

TEST_F(ArchiveTest, HugeSparseOrTruncatedMembersFailCleanly) {
  FixtureMember sparse = member("p-1.0/big", "x");
  sparse.sparse_size = int64_t{1} << 30;
  auto members = release_members();
  members.push_back(sparse);
  std::string archive = fixture("sparse.tar.gz", members);
  EXPECT_LT(read_file(archive).size(), 100u * 1024);
  RunResult r = verify_text(archive, "v1.0", {"--max-bytes", "64M"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: archive " + archive +
                       ": member p-1.0/big declares 1073741824 bytes, over the limit of 67108864 bytes in total "
                       "(raise --max-bytes to read it)\n");
  // Within the default limit it is read (streamed) and is an ordinary addition.
  auto j = verify(archive, "v1.0", 1);
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("added", "big")}));

  std::string tar = write_archive({member("p-1.0/claims-1g", std::string(100, 'x'))}, FixtureFormat::ustar);
  patch_ustar_size(tar, 0, uint64_t{1} << 30);
  std::string truncated = write("truncated.tar", tar);
  r = verify_text(truncated, "v1.0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read archive " + truncated + ": Truncated tar archive\n");

  r = verify_text(truncated, "v1.0", {"--max-bytes", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: --max-bytes lots: expected a size such as 500M or 4G\n");
  r = verify_text(archive, "v1.0", {"--max-members", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: archive " + archive + ": more than 3 members (raise --max-members to read it)\n");
}

TEST_F(ArchiveTest, CorruptOrAbsentArchiveIsBadInput) {
  std::string garbage = write("garbage.tar.gz", std::string("\x1f\x8b\x08\x00garbage", 11));
  RunResult r = verify_text(garbage, "v1.0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("vouch: error: cannot read archive " + garbage + ": ", 0), 0u) << r.err;
  std::string text = write("notes.txt", "just some text, not an archive\n");
  r = verify_text(text, "v1.0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read archive " + text + ": Unrecognized archive format\n");
  auto j = verify(dir / "absent.tar", "v1.0", 2);
  EXPECT_EQ(j["errors"][0], "cannot read archive " + (dir / "absent.tar") + ": Failed to open '" + (dir / "absent.tar") + "'");
}

TEST_F(ArchiveTest, UnsignedTagFailsEvenWithAPerfectArchive) {
  std::string archive = fixture("p-1.0.tar.gz", release_members());
  auto j = verify(archive, "v1.1", 1);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["tag_verdict"]["verdict"], "fail");
  EXPECT_EQ(j["tag_verdict"]["signature"]["status"], "missing");
  EXPECT_EQ(j["findings"], nlohmann::json::array());
  ASSERT_FALSE(j["errors"].empty());
  EXPECT_EQ(j["errors"][0], "tag v1.1: signature missing: tag is not signed");
  RunResult text = verify_text(archive, "v1.1");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("; tag v1.1 does not verify\n"), std::string::npos) << text.out;
}

TEST_F(ArchiveTest, UnknownTagIsBadInput) {
  std::string archive = fixture("p-1.0.tar.gz", release_members());
  RunResult r = verify_text(archive, "v9.9");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: no tag 'v9.9'\n");
}

TEST_F(ArchiveTest, KeyringModeVerifiesTheTagWithTheKeyringAndStillHonoursMayAdd) {
  fs::create_directories(dir / "keys");
  write_file(dir / "keys/lasse.pub", lasse.public_line + "\n");
  auto members = release_members();
  members.push_back(member("p-1.0/aclocal.m4", "dnl generated\n"));
  std::string archive = fixture("p-1.0.zip", members, FixtureFormat::zip);
  auto j = verify(archive, "v1.0", 0, {"--keyring", dir / "keys"});
  EXPECT_EQ(j["tag_verdict"]["signature"]["key"], "ssh:" + lasse.fingerprint);
  EXPECT_EQ(j["findings"], nlohmann::json::array({finding("allowed", "aclocal.m4", "archive_may_add: aclocal.m4")}));
  fs::remove(dir / "keys/lasse.pub");
  write_file(dir / "keys/jia.pub", jia.public_line + "\n");
  j = verify(archive, "v1.0", 1, {"--keyring", dir / "keys"});
  EXPECT_EQ(j["tag_verdict"]["signature"]["status"], "unknown-key");
}

}  // namespace
}  // namespace vouch::test
