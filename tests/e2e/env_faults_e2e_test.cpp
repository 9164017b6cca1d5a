// Faults of the world around vouch, end to end with the real binary:
// history missing from shallow and partial clones (exit 3, the missing
// commit or object named, never "pass"), and gpg or ssh-keygen missing from
// PATH for the commands that run them (exit 3, one line that says what to
// install). docs/testing.md lists every fault test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "e2e_support.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
using Signer = TestRepo::Signer;

constexpr const char* kPartialHint =
    " (partial clone: objects were left out by --filter; vouch reads them locally only, so clone without --filter)\n";

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

class HistoryFaultsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string policy = "version = 1\nserial = 1\nrepository = \"example/xz\"\n\n"
                               "[people.alice]\nkeys = [\"ssh:" + alice_.fingerprint + "\"]\n\n"
                               "[groups]\nmaintainers = [\"alice\"]\n\n[commits]\nrequire = [\"1 of maintainers\"]\n";
    c1_ = repo_.commit({{".vouch/policy.toml", policy}, {".vouch/keys/alice.pub", alice_.public_line + "\n"}},
                       "Adopt vouch", Signer::ssh(alice_));
    c2_ = repo_.commit({{"src/a.c", "int a;\n"}}, "second", Signer::ssh(alice_));
    c3_ = repo_.commit({{"src/b.c", "int b;\n"}}, "third", Signer::ssh(alice_));
    repo_.git({"config", "uploadpack.allowFilter", "true"});
    fs::create_directories(keys_);
    write_file(keys_ + "/alice.pub", alice_.public_line + "\n");
  }
  /// A clone of the repository made with extra `git clone` flags (file://,
  /// so that --depth and --filter apply).
  std::string clone(const std::string& name, const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"git", "clone", "-q"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"file://" + repo_.path(), dir_ / name});
    run_ok(args, {.env = repo_.env()});
    return dir_ / name;
  }
  RunResult v(const std::string& repo, std::vector<std::string> args) {
    args.insert(args.begin(), {"-C", repo, "--db", dir_ / "none.db"});
    return vouch(args, "", repo_.env());
  }

  TempDir dir_;
  SshKey alice_ = make_ssh_key(dir_.path(), "alice", "ed25519");
  TestRepo repo_{dir_ / "r", nullptr};
  std::string keys_ = dir_ / "keyring";
  std::string c1_, c2_, c3_;
};

TEST_F(HistoryFaultsE2E, ShallowCloneNamesTheMissingCommitAndNeverPasses) {
  const std::string shallow = clone("shallow", {"--depth", "1"});
  ASSERT_EQ(run({"git", "-C", shallow, "rev-parse", "--is-shallow-repository"}).out, "true\n");
  // Keyring mode: every commit reachable from HEAD, the cut-off parent included.
  RunResult r = v(shallow, {"verify", "--keyring", keys_});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("vouch: error: cannot walk history: ")) << r.err;
  EXPECT_NE(r.err.find(c2_), std::string::npos) << r.err;
  EXPECT_TRUE(r.err.ends_with(" (shallow clone: the history is cut off; fetch all of it with `git fetch "
                              "--unshallow`)\n")) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  // Policy mode from the trust root, which the clone does not have.
  r = v(shallow, {"verify", "--trust-root", c1_});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "vouch: error: --trust-root: commit " + c1_ + " is missing (shallow clone: the history is cut off; fetch all "
                   "of it with `git fetch --unshallow`)\n");
  // JSON: the same error, no verdict.
  r = v(shallow, {"--format", "json", "verify", "--keyring", keys_});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out.find("\"pass\""), std::string::npos) << r.out;
  // The full clone of the same history passes: the fault is the missing history.
  EXPECT_EQ(v(repo_.path(), {"verify", "--keyring", keys_}).exit_code, 0);
}

TEST_F(HistoryFaultsE2E, PartialCloneWithoutTreesNamesTheMissingObjectAndNeverPasses) {
  const std::string partial = clone("partial", {"--filter=tree:0", "--no-checkout"});
  const std::string tree = repo_.git({"rev-parse", c1_ + "^{tree}"});
  RunResult r = v(partial, {"verify", "--trust-root", c1_});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("vouch: error: cannot read the tree of commit " + c1_ + ": ")) << r.err;
  EXPECT_NE(r.err.find(tree), std::string::npos) << r.err;
  EXPECT_TRUE(r.err.ends_with(kPartialHint)) << r.err;
  EXPECT_EQ(v(repo_.path(), {"verify", "--trust-root", c1_}).exit_code, 0);
}

TEST_F(HistoryFaultsE2E, PartialCloneWithoutBlobsNamesTheMissingObjectAndNeverPasses) {
  const std::string partial = clone("partial", {"--filter=blob:none", "--no-checkout"});
  const std::string policy_blob = repo_.git({"rev-parse", c1_ + ":.vouch/policy.toml"});
  RunResult r = v(partial, {"verify", "--trust-root", c1_});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("object " + policy_blob + " is missing" + kPartialHint), std::string::npos) << r.err;
  // Keyring mode needs only the commits, which a blob-less clone has.
  EXPECT_EQ(v(partial, {"verify", "--keyring", keys_}).exit_code, 0);
}

/// A directory of links to every program on PATH except `missing`, to put
/// on PATH instead: the programs vouch runs look as if not installed.
std::string path_without(const std::string& dir, const std::vector<std::string>& missing) {
  const std::string bin = dir + "/bin-without";
  fs::create_directories(bin);
  const char* path = std::getenv("PATH");
  std::string rest = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find(':', start);
    if (end == std::string::npos) end = rest.size();
    const std::string d = rest.substr(start, end - start);
    start = end + 1;
    std::error_code ec;
    if (d.empty() || !fs::is_directory(d, ec)) continue;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string name = e.path().filename().string();
      if (std::find(missing.begin(), missing.end(), name) != missing.end()) continue;
      if (fs::exists(bin + "/" + name) || fs::is_symlink(bin + "/" + name)) continue;
      fs::create_symlink(e.path(), bin + "/" + name, ec);
    }
  }
  return bin;
}

constexpr const char* kGnupgHint =
    "install GnuPG 2.2 or later and GPGME (Debian/Ubuntu: apt install gnupg gpgconf libgpgme11)";
const std::vector<std::string> kGnupg = {"gpg", "gpg2", "gpgconf", "gpg-agent", "gpgsm", "gpgv", "gpg-connect-agent"};

class ToolFaultsE2E : public HistoryFaultsE2E {
 protected:
  RunResult without(const std::vector<std::string>& missing, const std::string& repo, std::vector<std::string> args,
                    std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"-C", repo, "--db", dir_ / "trust.db"});
    auto e = repo_.env();
    e["PATH"] = path_without(dir_.path() + "/" + std::to_string(++n_), missing);
    for (auto& [k, val] : env) e[k] = val;
    return vouch(args, "", e);
  }
  int n_ = 0;
};

TEST_F(ToolFaultsE2E, SshKeygenMissingForApproveAndEndorse) {
  RunResult r = without({"ssh-keygen"}, repo_.path(), {"approve", "HEAD", "--key", alice_.private_path});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: cannot run ssh-keygen: No such file or directory (install OpenSSH 8.2 or later)\n");
  EXPECT_NE(repo_.git_raw({"rev-parse", "-q", "--verify", "refs/notes/vouch"}).exit_code, 0) << "a note was written";

  SshKey bob = make_ssh_key(dir_.path(), "bob", "ed25519");
  ASSERT_EQ(vouch({"--db", dir_ / "trust.db", "key", "import", alice_.public_path, bob.public_path}).exit_code, 0);
  const std::string before = read_file(dir_ / "trust.db");
  r = without({"ssh-keygen"}, repo_.path(), {"endorse", bob.public_path, "--as", alice_.private_path});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: cannot run ssh-keygen: No such file or directory (install OpenSSH 8.2 or later)\n");
  RunResult log = vouch({"--db", dir_ / "trust.db", "--format", "json", "log"});
  EXPECT_EQ(log.out.find("endorsement.add"), std::string::npos) << log.out;
}

TEST_F(ToolFaultsE2E, GnupgMissingForOpenPgpApprovalsAndKeyrings) {
  GpgHome gpg(dir_.path());
  const std::string fpr = gpg.gen_key("Carol <carol@example.org>");
  write_file(dir_ / "carol.asc", gpg.export_public(fpr));
  auto genv = gpg.env();

  // Signing an approval with an OpenPGP key needs gpg.
  RunResult r = without(kGnupg, repo_.path(), {"approve", "HEAD", "--key", fpr}, genv);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("vouch: error: cannot ask gpg for the secret key of openpgp:" + fpr + " (GPGME: "))
      << r.err;
  EXPECT_TRUE(r.err.ends_with(std::string("): is GnuPG on PATH? ") + kGnupgHint + "\n")) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(repo_.git_raw({"rev-parse", "-q", "--verify", "refs/notes/vouch"}).exit_code, 0) << "a note was written";

  // Importing an OpenPGP certificate into the trust database.
  r = without(kGnupg, repo_.path(), {"key", "import", dir_ / "carol.asc"}, genv);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err, std::string("vouch: error: cannot use gpg (GPGME: Invalid crypto engine): is GnuPG on PATH? ") +
                       kGnupgHint + "\n");

  // Verifying an OpenPGP-signed commit against a keyring of .asc files:
  // the certificates go through GnuPG.
  TestRepo signed_repo(dir_ / "pgp", &gpg);
  signed_repo.commit({{"a", "1"}}, "signed", Signer::openpgp(fpr));
  fs::create_directories(dir_ / "pgpkeys");
  write_file(dir_ / "pgpkeys/carol.asc", gpg.export_public(fpr));
  r = without(kGnupg, signed_repo.path(), {"verify", "--keyring", dir_ / "pgpkeys"}, genv);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, std::string("vouch: error: cannot use gpg (GPGME: Invalid crypto engine): is GnuPG on PATH? ") +
                       kGnupgHint + "\n");

  // SSH signatures need no GnuPG at all.
  EXPECT_EQ(without(kGnupg, repo_.path(), {"verify", "--keyring", keys_}).exit_code, 0);
}

}  // namespace
}  // namespace vouch::test
