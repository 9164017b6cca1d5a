// Differential test against git (docs/signatures.md, "Compared with git"):
// one generated history mixing SSH, OpenPGP Ed25519 and RSA, an expired key
// (signatures before and after its expiry, made with --faked-system-time),
// unsigned and tampered commits and unknown signers, with the OpenPGP keys in
// one multi-block key file. vouch's verdict per commit (`verify --keyring`)
// must match `git log --format='%H %G?'` run with the same keys (an
// allowed-signers file, a GNUPGHOME with the keys imported and trusted):
//   G, U -> good; Y -> good or expired-key by the signature's time;
//   E -> unknown-key; N -> missing; B -> bad.
// vouch may be stricter only where docs/signatures.md lists why; each such
// commit is named below with that reason.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "e2e_support.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;

constexpr int64_t kDaveExpires = 1609459200;  // 2021-01-01

TEST(GitDifferentialTest, VerdictsMatchGitLogPerCommit) {
  TempDir dir;
  GpgHome gpg(dir.path());
  GpgHome strangers(dir / "strangers");  // keys git and vouch do not know
  TestRepo repo(dir / "r", &gpg);
  const std::string keys = dir / "keyring";
  run_ok({"mkdir", "-p", keys});

  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  SshKey mallory = make_ssh_key(dir.path(), "mallory", "ed25519");
  const std::string bob = gpg.gen_key("Bob <bob@example.org>", "ed25519");
  const std::string carol = gpg.gen_key("Carol <carol@example.org>", "rsa3072");
  const std::string dave = gpg.gen_key("Dave <dave@example.org>", "ed25519", "sign", "never", "20200101T000000!");
  const std::string eve = strangers.gen_key("Eve <eve@example.org>", "ed25519");

  auto commit_with = [&](const std::string& program, const std::string& key, const std::string& message) {
    std::vector<std::string> args = {"-c", "user.signingkey=" + key, "commit", "-q", "--allow-empty", "-S", "-m", message};
    if (!program.empty()) args.insert(args.begin(), {"-c", "gpg.program=" + program});
    repo.git(args);
    return repo.git({"rev-parse", "HEAD"});
  };
  std::map<std::string, std::string> label;  // oid -> what it is, for messages
  auto note = [&](const std::string& oid, const std::string& what) { label[oid] = what; };

  note(repo.commit({{"a", "1"}}, "alice (ssh)", Signer::ssh(alice)), "ssh alice");
  note(repo.commit({{"b", "1"}}, "bob (ed25519)", Signer::openpgp(bob)), "openpgp ed25519 bob");
  note(repo.commit({{"c", "1"}}, "carol (rsa)", Signer::openpgp(carol)), "openpgp rsa carol");
  note(repo.commit({{"d", "1"}}, "unsigned", Signer::none()), "unsigned");
  note(commit_with(faked_gpg(dir.path(), "gpg-2020", "20200901T000000!"), dave, "dave before expiry"),
       "dave before expiry");
  note(commit_with(faked_gpg(dir.path(), "gpg-2021", "20210601T000000!"), dave, "dave after expiry"),
       "dave after expiry");
  note(commit_with(faked_gpg(dir.path(), "gpg-eve", "", "--homedir " + strangers.path()), eve, "eve"),
       "openpgp unknown key");
  note(repo.commit({{"m", "1"}}, "mallory (ssh)", Signer::ssh(mallory)), "ssh unknown key");
  const std::string sha1 = commit_with(faked_gpg(dir.path(), "gpg-sha1", "", "--digest-algo SHA1"), bob, "bob sha1");
  note(sha1, "openpgp sha1 after the cut-off");
  // A signed commit whose message was edited afterwards.
  commit_with("", bob, "bob, original");
  std::string raw = repo.git({"cat-file", "commit", "HEAD"}) + "\n";
  raw.replace(raw.find("bob, original"), 13, "bob, rewritten");
  const std::string tampered = repo.git({"hash-object", "-t", "commit", "-w", "--stdin"}, raw);
  repo.git({"update-ref", "HEAD", tampered});
  note(tampered, "tampered");

  // Dave's key expires on 2021-01-01, by a self-signature dated between his two signatures' keys' creation.
  ASSERT_EQ(gpg.gpg({"--faked-system-time", "20200601T000000!", "--quick-set-expire", dave, "2021-01-01"}).exit_code, 0);

  // vouch: SSH keys as .pub, every OpenPGP key in one multi-block KEYS file.
  write_file(keys + "/alice.pub", alice.public_line + "\n");
  write_file(keys + "/KEYS.asc", "Keys of this project.\n\n" + gpg.export_public(bob) + "\n" +
                                     gpg.export_public(carol) + "\nand dave's:\n" + gpg.export_public(dave));
  // git: the same keys, trusted.
  write_file(dir / "allowed_signers", "alice@example.org " + alice.public_line + "\n");
  repo.git({"config", "gpg.ssh.allowedSignersFile", dir / "allowed_signers"});
  ASSERT_EQ(gpg.gpg({"--import-ownertrust"}, bob + ":6:\n" + carol + ":6:\n" + dave + ":6:\n").exit_code, 0);

  std::map<std::string, char> git_says;
  std::istringstream lines(repo.git({"log", "--format=%H %G?", "HEAD"}));
  for (std::string line; std::getline(lines, line);) git_says[line.substr(0, 40)] = line.at(41);

  auto j = vouch_json({"-C", repo.path(), "verify", "--keyring", keys}, 1);
  EXPECT_EQ(j["warnings"], nlohmann::json::array());
  ASSERT_EQ(j["commits"].size(), git_says.size());
  // Where vouch is stricter than git, and the docs/signatures.md reason.
  const std::map<std::string, std::pair<std::string, std::string>> stricter = {
      {sha1, {"weak", "SHA-1 digests after the cut-off (git accepts what gpg accepts)"}},
  };
  int compared = 0;
  for (const auto& c : j["commits"]) {
    const std::string oid = c["commit"];
    const std::string vouch_status = c["signature"]["status"];
    ASSERT_TRUE(git_says.count(oid)) << oid;
    const char g = git_says[oid];
    std::string want;
    switch (g) {
      case 'G': want = "good"; break;
      case 'U':  // OpenPGP: good, validity unknown. SSH: good, but no allowed-signers principal.
        want = c["signature"]["kind"] == "ssh" ? "unknown-key" : "good";
        break;
      case 'Y': want = c["signature"]["created"].get<int64_t>() <= kDaveExpires ? "good" : "expired-key"; break;
      case 'E': want = "unknown-key"; break;
      case 'N': want = "missing"; break;
      case 'B': want = "bad"; break;
      default: want = std::string("(git %G? ") + g + ")"; break;
    }
    if (auto s = stricter.find(oid); s != stricter.end() && want == "good") {
      EXPECT_EQ(vouch_status, s->second.first) << label[oid] << ": " << s->second.second;
    } else {
      EXPECT_EQ(vouch_status, want) << label[oid] << " (git: " << g << "): " << c["signature"];
    }
    ++compared;
  }
  EXPECT_EQ(compared, 10);
  // The history covers what it claims to: each git answer at least once.
  std::string letters;
  for (const auto& [oid, g] : git_says) letters += g;
  for (char g : std::string("GYENB")) EXPECT_NE(letters.find(g), std::string::npos) << "no commit git calls " << g;
}

}  // namespace
}  // namespace vouch::test
