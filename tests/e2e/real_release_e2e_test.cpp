// End to end, a REAL release tarball (docs/real-releases.md): a tiny
// autotools + gettext + libtool project, tagged and signed in a test
// repository, released with `autoreconf -i && ./configure && make dist`
// (built once per test binary), then checked with `verify-archive --known`
// against the system's aclocal, gettext, libtool and automake files. The
// XZ-style attack is the same tarball with one standard macro
// (m4/libtool.m4) modified: it comes out "unknown", listed before every
// known file, and without the [release] require approvals the archive fails.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;
namespace fs = std::filesystem;

// The project's sources: what the release tag's tree holds besides .vouch/.
const std::map<std::string, std::string> kSources = {
    {"configure.ac",
     "AC_INIT([hello-vouch], [1.0], [bugs@example.org])\nAC_CONFIG_AUX_DIR([build-aux])\n"
     "AC_CONFIG_MACRO_DIR([m4])\nAM_INIT_AUTOMAKE([foreign -Wall])\nAM_PROG_AR\nLT_INIT\n"
     "AM_GNU_GETTEXT([external])\nAM_GNU_GETTEXT_VERSION([0.21])\nAC_PROG_CC\n"
     "AC_CONFIG_FILES([Makefile src/Makefile po/Makefile.in])\nAC_OUTPUT\n"},
    {"Makefile.am",
     "SUBDIRS = po src\nACLOCAL_AMFLAGS = -I m4\nEXTRA_DIST = m4/gitkeep ChangeLog\n"
     "# The release's ChangeLog is generated, as many projects do from git log.\n"
     "dist-hook:\n\trm -f $(distdir)/ChangeLog && echo '2024-01-01 hello-vouch 1.0 released' > $(distdir)/ChangeLog\n"},
    {"ChangeLog", "See git log.\n"},
    {"src/Makefile.am", "lib_LTLIBRARIES = libhello.la\nlibhello_la_SOURCES = hello.c\n"},
    {"src/hello.c", "int hello(void) { return 42; }\n"},
    {"m4/gitkeep", "\n"},
    {"po/POTFILES.in", "src/hello.c\n"},
    {"po/LINGUAS", "# languages\n"},
    {"po/Makevars",
     "DOMAIN = $(PACKAGE)\nsubdir = po\ntop_builddir = ..\nXGETTEXT_OPTIONS = --keyword=_\n"
     "COPYRIGHT_HOLDER = nobody\nMSGID_BUGS_ADDRESS = bugs@example.org\nEXTRA_LOCALE_CATEGORIES =\n"},
    {".gitignore", "*.o\n/configure\n"},
    {".gitattributes", ".gitattributes export-ignore\n.vouch export-ignore\n"},
};

const std::vector<std::string> kKnownDirs = {"/usr/share/aclocal", "/usr/share/gettext", "/usr/share/libtool",
                                             "/usr/share/automake-1.16"};

/// Builds the release tarball once for the whole binary; empty when the
/// autotools are not installed (scripts/bootstrap installs them).
class Release {
 public:
  static const Release& get() {
    static Release r;
    return r;
  }
  std::string tarball;  ///< hello-vouch-1.0.tar.gz
  std::string tampered;  ///< the same, with m4/libtool.m4 modified
  std::string why_not;

 private:
  Release() {
    for (const auto* tool : {"autoreconf", "make", "autopoint", "libtoolize"}) {
      if (run({"sh", "-c", std::string("command -v ") + tool}).exit_code != 0) {
        why_not = std::string(tool) + " is not installed (run scripts/bootstrap)";
        return;
      }
    }
    dir_ = std::make_unique<TempDir>();
    std::string src = *dir_ / "hello-vouch";
    for (const auto& [path, content] : kSources) {
      fs::create_directories(fs::path(src + "/" + path).parent_path());
      write_file(src + "/" + path, content);
    }
    RunOptions in{.cwd = src};
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"autoreconf", "-i"}, {"./configure", "-q"}, {"make", "-s", "dist"}}) {
      RunResult r = run(step, in);
      if (r.exit_code != 0) {
        why_not = step[0] + " failed: " + r.err.substr(0, 400);
        return;
      }
    }
    tarball = *dir_ / "hello-vouch-1.0.tar.gz";
    fs::copy_file(src + "/hello-vouch-1.0.tar.gz", tarball);
    // XZ 5.6.0: a standard macro, shipped modified in the tarball only.
    std::string x = *dir_ / "x";
    fs::create_directories(x);
    run_ok({"tar", "-xzf", tarball, "-C", x});
    std::string m4 = x + "/hello-vouch-1.0/m4/libtool.m4";
    write_file(m4, read_file(m4) + "dnl gl_BUILD_TO_HOST: sets up the payload's loader\n");
    tampered = *dir_ / "tampered" ;
    fs::create_directories(tampered);
    tampered += "/hello-vouch-1.0.tar.gz";
    run_ok({"tar", "-czf", tampered, "-C", x, "hello-vouch-1.0"});
  }
  std::unique_ptr<TempDir> dir_;
};

class RealReleaseTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  SshKey lasse = make_ssh_key(dir.path(), "lasse", "ed25519");
  SshKey jia = make_ssh_key(dir.path(), "jia", "ed25519");

  void SetUp() override {
    if (!Release::get().why_not.empty()) GTEST_SKIP() << Release::get().why_not;
    auto files = kSources;
    files[".vouch/keys/lasse.pub"] = lasse.public_line + "\n";
    files[".vouch/keys/jia.pub"] = jia.public_line + "\n";
    files[".vouch/policy.toml"] =
        "version = 1\nserial = 1\nrepository = \"example/hello\"\n\n"
        "[people.lasse]\nkeys = [\"ssh:" + lasse.fingerprint + "\"]\n"
        "[people.jia]\nkeys = [\"ssh:" + jia.fingerprint + "\"]\n\n"
        "[groups]\nmaintainers = [\"lasse\", \"jia\"]\n\n"
        "[commits]\nrequire = [\"1 of maintainers\"]\n\n"
        "[[tags]]\nrefs = [\"refs/tags/v*\"]\nrequire = [\"1 of maintainers\"]\n\n"
        "[release]\n"
        "archive_may_add = [\"configure\", \"aclocal.m4\", \"Makefile.in\", \"*/Makefile.in\", \"ABOUT-NLS\",\n"
        "                   \"build-aux/*\", \"m4/*.m4\", \"po/*\"]\n"
        "archive_may_change = [\"ChangeLog\"]\n"
        "archive_may_omit = [\".gitignore\"]\n"
        "require = [\"2 of maintainers\"]\n";
    std::string c = repo.commit(files, "hello-vouch 1.0", Signer::ssh(lasse));
    repo.git({"config", "vouch.trustRoot", c});
    repo.tag("v1.0", c, Signer::ssh(lasse));
  }
  std::vector<std::string> args(const std::string& archive, bool known = true) {
    std::vector<std::string> a = {"-C", repo.path(), "--db", dir / "none.db", "verify-archive", archive, "--tag", "v1.0"};
    if (known)
      for (const auto& d : kKnownDirs) a.insert(a.end(), {"--known", d});
    return a;
  }
  void approve(const SshKey& who, const std::string& archive) {
    RunResult r = vouch({"-C", repo.path(), "approve", "--archive", archive, "--tag", "v1.0", "--key", who.private_path});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  static std::vector<std::string> paths(const nlohmann::json& j, bool known) {
    std::vector<std::string> out;
    for (const auto& f : j["findings"])
      if (f["kind"] == "allowed" && f["origin"] != "omitted" && f["known_as"].is_null() != known)
        out.push_back(f["path"]);
    return out;
  }
};

TEST_F(RealReleaseTest, GenuineTarballIsExplainedKnownFilesMatchAndTwoApprovalsPass) {
  const std::string tarball = Release::get().tarball;
  auto j = vouch_json(args(tarball), 1);
  EXPECT_EQ(j["tag_verdict"]["verdict"], "pass");
  EXPECT_EQ(j["summary"]["added"], 0);
  EXPECT_EQ(j["summary"]["changed"], 0);
  EXPECT_EQ(j["summary"]["missing"], 0);
  EXPECT_EQ(j["summary"]["unsafe"], 0);
  EXPECT_EQ(j["summary"]["omitted"], 1);
  EXPECT_EQ(j["export_ignored"], (nlohmann::json{".gitattributes", ".vouch/keys/jia.pub", ".vouch/keys/lasse.pub",
                                                 ".vouch/policy.toml"}));
  // What nobody can match with a standard copy: the generated files and the
  // regenerated ChangeLog. Every macro and helper script is known.
  EXPECT_EQ(paths(j, false), (std::vector<std::string>{"ChangeLog", "Makefile.in", "aclocal.m4", "configure",
                                                       "src/Makefile.in"}));
  EXPECT_GT(paths(j, true).size(), 25u);
  for (const auto& f : j["findings"]) {
    if (f["path"] == "m4/libtool.m4") {
      EXPECT_EQ(f["known_as"], "/usr/share/aclocal/libtool.m4");
    }
  }
  EXPECT_EQ(j["approvals"]["required"], true);
  EXPECT_EQ(j["errors"].back(), "archive " + tarball + ": [release] require needs 2 more of maintainers (have 0: -)");

  approve(lasse, tarball);
  approve(jia, tarball);
  RunResult text = vouch(args(tarball));
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  size_t known = paths(j, true).size();
  size_t matched = j["summary"]["matched"];
  std::string summary = tarball + ": ok " + std::to_string(j["summary"]["members"].get<size_t>()) + " members: " +
                        std::to_string(matched) + " matched, " + std::to_string(known + 6) + " allowed (" +
                        std::to_string(known) + " known, 5 unknown, 1 omitted), 0 added, 0 changed, 0 missing, "
                        "0 unsafe; approvals 2 of 2\n";
  EXPECT_NE(text.out.find(summary + "unknown  ChangeLog (archive_may_change: ChangeLog; content differs)\n"
                                    "unknown  Makefile.in (archive_may_add: Makefile.in)\n"),
            std::string::npos)
      << text.out;

  RunResult list = vouch({"-C", repo.path(), "approvals", "v1.0", "--archive", tarball});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("good ssh:" + lasse.fingerprint + " (lasse) archive sha256 "), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("good ssh:" + jia.fingerprint + " (jia) archive sha256 "), std::string::npos) << list.out;
}

TEST_F(RealReleaseTest, XzStyleModifiedMacroIsUnknownListedFirstAndFailsWithoutItsOwnApprovals) {
  const std::string tarball = Release::get().tarball;
  const std::string tampered = Release::get().tampered;
  // The genuine tarball was approved; the tampered one has another SHA-256.
  approve(lasse, tarball);
  approve(jia, tarball);
  auto j = vouch_json(args(tampered), 1);
  EXPECT_EQ(paths(j, false), (std::vector<std::string>{"ChangeLog", "Makefile.in", "aclocal.m4", "configure",
                                                       "m4/libtool.m4", "src/Makefile.in"}));
  EXPECT_EQ(j["approvals"]["requirements"][0]["have"], 0);
  EXPECT_EQ(j["approvals"]["list"][0]["status"], "mismatch");
  RunResult text = vouch(args(tampered));
  EXPECT_EQ(text.exit_code, 1);
  size_t unknown = text.out.find("unknown  m4/libtool.m4 (archive_may_add: m4/*.m4)\n");
  size_t first_known = text.out.find("\nknown    ");
  ASSERT_NE(unknown, std::string::npos) << text.out;
  ASSERT_NE(first_known, std::string::npos) << text.out;
  EXPECT_LT(unknown, first_known);
  EXPECT_NE(text.out.find("approvals 0 of 2"), std::string::npos) << text.out;
  // --format github: one annotation per unknown file.
  RunResult gh = vouch([&] {
    auto a = args(tampered);
    a.insert(a.begin(), {"--format", "github"});
    return a;
  }());
  EXPECT_NE(gh.out.find("::notice title=vouch::unknown file m4/libtool.m4 in " + tampered), std::string::npos) << gh.out;
}

}  // namespace
}  // namespace vouch::test
