// End to end, signatures (docs/signatures.md): borrowed OpenPGP subkeys
// (threat 31), DSA and small keys (threat 33), revocation certificates and
// multi-block key files, gpgsig-sha256, FIDO user presence and the SHA-1
// cut-off, with real gpg keys where gpg can make them and crafted packets
// (tests/support/pgp_forge.h) where it cannot.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <sstream>

#include "crypto/openpgp_key.h"
#include "e2e_support.h"
#include "pgp_forge.h"
#include "util/base64.h"

namespace vouch::test {
namespace {

using Signer = TestRepo::Signer;
using forge::EdKey;

constexpr int64_t kCutoff = 1359676800;  // 2013-02-01, the default SHA-1 cut-off

class SignaturesTest : public ::testing::Test {
 protected:
  TempDir dir;
  GpgHome gpg{dir.path()};
  TestRepo repo{dir / "r", &gpg};
  std::string keys = dir / "keyring";

  void SetUp() override { run_ok({"mkdir", "-p", keys}); }

  nlohmann::json verify(std::vector<std::string> args, int expected_exit) {
    args.insert(args.begin(), {"-C", repo.path(), "verify", "--keyring", keys});
    return vouch_json(args, expected_exit);
  }
  /// A commit of the current index on HEAD whose `gpgsig` is `sign(payload)`;
  /// moves HEAD to it and returns its oid.
  template <class SignFn>
  std::string commit_signed_by(const std::string& message, SignFn sign, const std::string& header = "gpgsig") {
    std::vector<std::string> args = {"commit-tree", repo.git({"write-tree"}), "-m", message};
    if (repo.git_raw({"rev-parse", "-q", "--verify", "HEAD"}).exit_code == 0) args.insert(args.end(), {"-p", "HEAD"});
    const std::string unsigned_oid = repo.git(args);
    const std::string raw = repo.git({"cat-file", "commit", unsigned_oid});
    std::string with = with_gpgsig(raw + "\n", sign(raw + "\n"));
    if (header != "gpgsig") with.replace(with.find("\ngpgsig ") + 1, 6, header);
    const std::string oid = repo.git({"hash-object", "-t", "commit", "-w", "--stdin"}, with);
    repo.git({"update-ref", "HEAD", oid});
    return oid;
  }
  /// The public EdDSA subkey `fpr` of a gpg certificate, as a forge key that
  /// can be bound (not used to sign: its secret stays in gpg).
  EdKey public_subkey(const std::string& primary_fpr, const std::string& fpr) {
    auto certs = crypto::pgp::parse_certificates(gpg.export_public(primary_fpr));
    EdKey k(0);
    for (const auto& s : certs->front().subkeys)
      if (s.key.fingerprint == fpr) {
        k.body = s.key.body;
        k.created = s.key.created;
        k.framed = "\x99" + forge::be16(static_cast<uint32_t>(k.body.size())) + k.body;
        k.fpr = crypto::digest(crypto::HashAlgo::sha1, k.framed);
      }
    EXPECT_EQ(k.fpr_hex(), fpr);
    return k;
  }
};

// ---- threat 31

TEST_F(SignaturesTest, threat_31_BorrowedGpgSubkeyStaysWithTheCertificateThatCrossCertifiedIt) {
  const std::string alice = gpg.gen_key("alice <alice@example.org>", "ed25519", "cert");
  const std::string alice_sub = gpg.add_subkey(alice, "ed25519", "sign");
  write_file(keys + "/alice.asc", gpg.export_public(alice));
  // mallory binds alice's public signing subkey to his own certificate; he
  // cannot make its back-signature, so he leaves it out.
  EdKey mallory(std::time(nullptr) - 3600);
  EdKey borrowed = public_subkey(alice, alice_sub);
  write_file(keys + "/0-mallory.asc",
             forge::armored_cert(forge::primary_with_uid(mallory, "mallory <m@example.org>") +
                                 forge::bound_subkey(mallory, borrowed, mallory, forge::subpacket(27, "\x02"))));
  const std::string c = repo.commit({{"a", "1"}}, "by alice's subkey", Signer::openpgp(alice));

  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["commits"][0]["commit"], c);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][0]["signature"]["key"], "openpgp:" + alice);
  EXPECT_EQ(j["commits"][0]["signature"]["signing_key"], "openpgp:" + alice_sub);
  EXPECT_EQ(j["warnings"], nlohmann::json::array({"OpenPGP subkey " + alice_sub + " of " + mallory.fpr_hex() +
                                                  " cannot sign: its binding signature carries no primary-key "
                                                  "binding signature (0x19 back-signature)"}));
}

TEST_F(SignaturesTest, threat_31_SubkeyWithoutBackSignatureMakesNoGoodSignature) {
  const int64_t t = std::time(nullptr) - 3600;
  EdKey pat(t), pat_sub(t);
  write_file(keys + "/pat.asc", forge::armored_cert(forge::primary_with_uid(pat, "pat <pat@example.org>") +
                                                    forge::bound_subkey(pat, pat_sub, pat, forge::subpacket(27, "\x02"))));
  write_file(repo.path() + "/a", "1");
  repo.git({"add", "a"});
  const std::string c =
      commit_signed_by("by pat's subkey", [&](const std::string& p) { return forge::sign_document(pat_sub, p, t + 60); });

  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["commit"], c);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "OpenPGP subkey " + pat_sub.fpr_hex() + " of " + pat.fpr_hex() +
                " cannot sign: its binding signature carries no primary-key binding signature (0x19 back-signature)");
}

TEST_F(SignaturesTest, threat_31_SubkeyValidlyBoundToTwoCertificatesIsAmbiguous) {
  const int64_t t = std::time(nullptr) - 3600;
  EdKey a(t), b(t), shared(t);
  for (const EdKey* p : {&a, &b})
    write_file(keys + "/" + p->fpr_hex() + ".asc",
               forge::armored_cert(forge::primary_with_uid(*p, "k <k@example.org>") +
                                   forge::bound_subkey(*p, shared, *p, forge::signing_binding(*p, shared))));
  write_file(repo.path() + "/a", "1");
  repo.git({"add", "a"});
  commit_signed_by("shared", [&](const std::string& p) { return forge::sign_document(shared, p, t + 60); });

  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad");
  const std::string first = a.fpr_hex() < b.fpr_hex() ? a.fpr_hex() : b.fpr_hex();
  const std::string second = a.fpr_hex() < b.fpr_hex() ? b.fpr_hex() : a.fpr_hex();
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "signing key " + shared.fpr_hex() +
                                                        " is validly bound to more than one certificate (" + first +
                                                        " and " + second + "): the signer is ambiguous");
}

// ---- threat 33

TEST_F(SignaturesTest, threat_33_Dsa1024FileSignatureIsWeakThroughTheGnupgFallback) {
  const std::string fpr = gpg.gen_key("dsa <dsa@example.org>", "dsa1024");
  write_file(keys + "/dsa.asc", gpg.export_public(fpr));
  write_file(dir / "file", "release\n");
  ASSERT_EQ(gpg.gpg({"--digest-algo", "SHA256", "-u", fpr, "--detach-sign", dir / "file"}).exit_code, 0);
  auto j = vouch_json({"verify-file", dir / "file", "--signature", dir / "file.sig", "--keyring", keys}, 1);
  EXPECT_EQ(j["signature"]["status"], "weak");
  EXPECT_EQ(j["signature"]["backend"], "gpgme");
  EXPECT_EQ(j["signature"]["reason"], "DSA key (1024 bits) is not accepted");
}

TEST_F(SignaturesTest, threat_33_Dsa2048IsWeakToo) {
  const std::string fpr = gpg.gen_key("dsa <dsa@example.org>", "dsa2048");
  write_file(keys + "/dsa.asc", gpg.export_public(fpr));
  repo.commit({{"a", "1"}}, "dsa", Signer::openpgp(fpr));
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "weak");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "DSA key (2048 bits) is not accepted");
}

TEST_F(SignaturesTest, threat_33_Rsa1024CommitIsWeak) {
  const std::string fpr = gpg.gen_key("small <s@example.org>", "rsa1024");
  write_file(keys + "/small.asc", gpg.export_public(fpr));
  repo.commit({{"a", "1"}}, "small", Signer::openpgp(fpr));
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "weak");
  EXPECT_EQ(j["commits"][0]["signature"]["backend"], "native");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "RSA key of 1024 bits is below the 2048-bit minimum");
}

// ---- revocation certificates, multi-block files, unreadable files

/// gpg's own revocation certificate for `fpr`, from openpgp-revocs.d.
std::string revocs_d(const GpgHome& gpg, const std::string& fpr) {
  return read_file(gpg.path() + "/openpgp-revocs.d/" + fpr + ".rev");
}

TEST_F(SignaturesTest, RevocationCertificateFileRevokesTheKey) {
  const std::string fpr = gpg.gen_key("k <k@example.org>");
  write_file(keys + "/key.asc", gpg.export_public(fpr));
  write_file(dir / "file", "data\n");
  ASSERT_EQ(gpg.gpg({"-u", fpr, "--detach-sign", dir / "file"}).exit_code, 0);
  const std::vector<std::string> args = {"verify-file", dir / "file", "--signature", dir / "file.sig", "--keyring", keys};
  EXPECT_EQ(vouch_json(args, 0)["signature"]["status"], "good");

  // Kept with GnuPG's ':' guard, the file is refused, naming it.
  std::string rev = revocs_d(gpg, fpr);
  write_file(keys + "/key.rev.asc", rev);
  RunResult guarded = vouch(args);
  EXPECT_EQ(guarded.exit_code, 2);
  EXPECT_EQ(guarded.err, "vouch: error: " + keys + "/key.rev.asc: OpenPGP key: no armored block; a revocation "
                         "certificate from GnuPG's openpgp-revocs.d keeps a ':' before -----BEGIN until you remove it\n");

  rev.erase(rev.find(":-----BEGIN"), 1);
  write_file(keys + "/key.rev.asc", rev);
  auto j = vouch_json(args, 1);
  EXPECT_EQ(j["signature"]["status"], "revoked-key");
  EXPECT_EQ(j["signature"]["reason"], "key openpgp:" + fpr + " is revoked (unspecified): every signature by it is void");
}

TEST_F(SignaturesTest, RevocationCertificateForAKeyNotInTheKeyringIsAWarning) {
  const std::string fpr = gpg.gen_key("k <k@example.org>");
  const std::string other = gpg.gen_key("o <o@example.org>");
  write_file(keys + "/key.asc", gpg.export_public(fpr));
  std::string rev = revocs_d(gpg, other);
  rev.erase(rev.find(":-----BEGIN"), 1);
  write_file(keys + "/other.rev.asc", rev);
  repo.commit({{"a", "1"}}, "k", Signer::openpgp(fpr));
  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["warnings"], nlohmann::json::array({keys + "/other.rev.asc: revocation certificate for OpenPGP key " +
                                                  other + ", which is not in the keyring; ignored"}));
}

TEST_F(SignaturesTest, EveryCertificateOfAMultiBlockKeyFileIsRead) {
  const std::string a = gpg.gen_key("a <a@example.org>");
  const std::string b = gpg.gen_key("b <b@example.org>", "rsa2048");
  // A project's KEYS file: text, then each key's block.
  write_file(keys + "/KEYS.asc", "This file contains the keys of our release managers.\n\npub  ed25519 " + a + "\n" +
                                     gpg.export_public(a) + "\npub  rsa2048 " + b + "\n" + gpg.export_public(b));
  repo.commit({{"a", "1"}}, "by a", Signer::openpgp(a));
  repo.commit({{"b", "1"}}, "by b", Signer::openpgp(b));
  auto j = verify({"HEAD"}, 0);
  EXPECT_EQ(j["commits"][0]["signature"]["key"], "openpgp:" + b);
  EXPECT_EQ(j["commits"][1]["signature"]["key"], "openpgp:" + a);
  EXPECT_EQ(j["warnings"], nlohmann::json::array());
}

TEST_F(SignaturesTest, AKeyFileWithNothingReadableIsAnError) {
  write_file(keys + "/README.asc", "our keys live on the key server\n");
  RunResult r = vouch({"-C", repo.path(), "verify", "--keyring", keys});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: " + keys + "/README.asc: OpenPGP key: armor: no \"-----BEGIN ...-----\" line\n");
}

// ---- gpgsig-sha256

TEST_F(SignaturesTest, CommitSignedOnlyInGpgsigSha256IsMissing) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  write_file(keys + "/alice.pub", alice.public_line + "\n");
  write_file(repo.path() + "/a", "1");
  repo.git({"add", "a"});
  const std::string c = commit_signed_by(
      "sha256 only", [&](const std::string& p) { return ssh_sign(alice, "git", p, dir.path()); }, "gpgsig-sha256");
  ASSERT_NE(repo.git({"cat-file", "commit", c}).find("\ngpgsig-sha256 -----BEGIN SSH SIGNATURE"), std::string::npos);
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "missing");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "not signed (its only signature is a gpgsig-sha256 header, which git ignores in a SHA-1 repository)");
}

// ---- FIDO user presence, policy mode

TEST_F(SignaturesTest, FidoSignatureWithoutUserPresenceIsBadWhenThePolicyRequiresIt) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  forge::SkKey sk;
  const std::string sk_fpr = [&] {
    write_file(dir / "sk.pub", sk.pub_line() + "\n");
    std::string line = run_ok({"ssh-keygen", "-lf", dir / "sk.pub"});
    return line.substr(line.find(' ') + 1, line.find(' ', line.find(' ') + 1) - line.find(' ') - 1);
  }();
  const std::string policy = "version = 1\nserial = 1\n[people.alice]\nkeys = [\"ssh:" + alice.fingerprint +
                             "\", \"ssh:" + sk_fpr + "\"]\n[groups]\nmaintainers = [\"alice\"]\n"
                             "[commits]\nrequire = [\"1 of maintainers\"]\n[signatures]\nrequire_user_presence = true\n";
  const std::string root = repo.commit({{".vouch/policy.toml", policy},
                                        {".vouch/keys/alice.pub", alice.public_line + "\n"},
                                        {".vouch/keys/sk.pub", sk.pub_line() + "\n"}},
                                       "root", Signer::ssh(alice));
  write_file(repo.path() + "/a", "1");
  repo.git({"add", "a"});
  const std::string touched =
      commit_signed_by("touched", [&](const std::string& p) { return sk.sign(p, "git", 0x01); });
  write_file(repo.path() + "/a", "2");
  repo.git({"add", "a"});
  const std::string untouched =
      commit_signed_by("untouched", [&](const std::string& p) { return sk.sign(p, "git", 0x04); });

  auto j = vouch_json({"-C", repo.path(), "--db", dir / "none.db", "verify", "--trust-root", root}, 1);
  ASSERT_EQ(j["commits"].size(), 3u);
  EXPECT_EQ(j["commits"][1]["commit"], touched);
  EXPECT_EQ(j["commits"][1]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][1]["signature"]["user_presence"], true);
  EXPECT_EQ(j["commits"][1]["signature"]["user_verification"], false);
  EXPECT_EQ(j["commits"][0]["commit"], untouched);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "bad");
  EXPECT_EQ(j["commits"][0]["signature"]["user_presence"], false);
  EXPECT_EQ(j["commits"][0]["signature"]["user_verification"], true);
  EXPECT_EQ(j["commits"][0]["signature"]["reason"],
            "FIDO signature made without user presence (flag 0x01), which the policy requires "
            "([signatures] require_user_presence)");
  EXPECT_FALSE(j["commits"][2]["signature"].contains("user_presence"));  // an ordinary key has no such flag
}

TEST_F(SignaturesTest, FidoApprovalWithoutUserPresenceDoesNotCountWhenThePolicyRequiresIt) {
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  forge::SkKey bob;
  write_file(dir / "bob.pub", bob.pub_line() + "\n");
  std::string line = run_ok({"ssh-keygen", "-lf", dir / "bob.pub"});
  const std::string bob_fpr = line.substr(line.find(' ') + 1, line.find(' ', line.find(' ') + 1) - line.find(' ') - 1);
  const std::string policy = "version = 1\nserial = 1\n[people.alice]\nkeys = [\"ssh:" + alice.fingerprint +
                             "\"]\n[people.bob]\nkeys = [\"ssh:" + bob_fpr + "\"]\n[groups]\n"
                             "maintainers = [\"alice\", \"bob\"]\n[commits]\nrequire = [\"1 of maintainers\"]\n"
                             "[[rules]]\nname = \"sensitive\"\npaths = [\"SECURITY.md\"]\n"
                             "require = [\"2 of maintainers\"]\n[signatures]\nrequire_user_presence = true\n";
  const std::string root = repo.commit({{".vouch/policy.toml", policy},
                                        {".vouch/keys/alice.pub", alice.public_line + "\n"},
                                        {".vouch/keys/bob.pub", bob.pub_line() + "\n"}},
                                       "root", Signer::ssh(alice));
  const std::string c = repo.commit({{"SECURITY.md", "report to alice\n"}}, "security policy", Signer::ssh(alice));
  // bob's approval, signed by his authenticator with the given flags.
  auto approve = [&](uint8_t flags) {
    const std::string statement = "vouch approval v1\nobject " + c + "\ntype commit\ntree " +
                                  repo.git({"rev-parse", c + "^{tree}"}) + "\nsigner ssh:" + bob_fpr + "\ncreated " +
                                  std::to_string(std::time(nullptr)) + "\n";  // not before the commit
    std::string armored = bob.sign(statement, "vouch-approval", flags), blob;
    std::istringstream in(armored);
    for (std::string l; std::getline(in, l);)
      if (l.rfind("-----", 0) != 0) blob += l;
    repo.git({"notes", "--ref", "vouch", "add", "-f", "-m",
              "vouch-approval v1 " + util::base64_encode(statement) + " " + blob, c});
  };
  const std::vector<std::string> args = {"-C", repo.path(), "--db", dir / "none.db", "verify", "--trust-root", root};
  approve(0x00);
  auto j = vouch_json(args, 1);
  ASSERT_EQ(j["commits"][0]["approvals"].size(), 1u);
  EXPECT_EQ(j["commits"][0]["approvals"][0]["status"], "bad");
  EXPECT_EQ(j["commits"][0]["approvals"][0]["reason"],
            "FIDO signature made without user presence (flag 0x01), which the policy requires "
            "([signatures] require_user_presence)");
  approve(0x01);
  auto ok = vouch_json(args, 0);
  EXPECT_EQ(ok["commits"][0]["approvals"][0]["status"], "good");
  EXPECT_EQ(ok["commits"][0]["approvals"][0]["person"], "bob");
}

// ---- SHA-1 cut-off

class Sha1CutoffTest : public SignaturesTest {
 protected:
  std::string bob;
  std::string before, after;  ///< SHA-1 commits made 2012-12-01 and 2014-01-01

  void SetUp() override {
    SignaturesTest::SetUp();
    bob = gpg.gen_key("Bob <bob@example.org>", "rsa2048", "sign", "never", "20120101T000000!");
    write_file(keys + "/bob.asc", gpg.export_public(bob));
    before = sha1_commit("20121201T000000!", "before");
    after = sha1_commit("20140101T000000!", "after");
  }
  std::string sha1_commit(const std::string& when, const std::string& message) {
    const std::string program = faked_gpg(dir.path(), "gpg-sha1-" + when.substr(0, 8), when, "--digest-algo SHA1");
    repo.git({"-c", "gpg.program=" + program, "-c", "user.signingkey=" + bob, "commit", "-q", "--allow-empty", "-S",
              "-m", message});
    return repo.git({"rev-parse", "HEAD"});
  }
  /// status and sha1_rule of the commits after, before.
  std::vector<std::string> verdicts(const nlohmann::json& j) {
    std::vector<std::string> out;
    for (const auto& c : j["commits"])
      out.push_back(c["signature"]["status"].get<std::string>() + " | " + c["signature"].value("sha1_rule", ""));
    return out;
  }
};

TEST_F(Sha1CutoffTest, DefaultAcceptsSha1OnlyBeforeTheCutoff) {
  auto j = verify({"HEAD"}, 1);
  EXPECT_EQ(verdicts(j), (std::vector<std::string>{"weak | rejected: created on or after 2013-02-01 (default)",
                                                  "good | allowed: created before 2013-02-01 (default)"}));
  EXPECT_EQ(j["commits"][1]["signature"]["digest"], "sha1");
  EXPECT_EQ(j["commits"][0]["signature"]["reason"], "SHA-1 digest in a signature created on or after 2013-02-01 (default)");
}

TEST_F(Sha1CutoffTest, FlagMovesTheCutoffEitherWay) {
  auto later = verify({"--allow-sha1-before", "2017-06-01", "HEAD"}, 0);
  EXPECT_EQ(verdicts(later), (std::vector<std::string>{"good | allowed: created before 2017-06-01 (--allow-sha1-before)",
                                                      "good | allowed: created before 2017-06-01 (--allow-sha1-before)"}));
  auto never = verify({"--allow-sha1-before", "never", "HEAD"}, 1);
  EXPECT_EQ(verdicts(never), (std::vector<std::string>{"weak | rejected: SHA-1 is never accepted (--allow-sha1-before)",
                                                      "weak | rejected: SHA-1 is never accepted (--allow-sha1-before)"}));
  RunResult bad = vouch({"-C", repo.path(), "verify", "--keyring", keys, "--allow-sha1-before", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "vouch: error: --allow-sha1-before soon: expected a date (YYYY-MM-DD), unix seconds or \"never\"\n");
}

TEST_F(Sha1CutoffTest, PolicyMovesTheCutoffAndTheFlagOverridesIt) {
  // A policy commit on top, signed with SHA-256 by bob today, whose [signatures] governs...
  const std::string policy = "version = 1\nserial = 1\n[people.bob]\nkeys = [\"openpgp:" + bob +
                             "\"]\n[groups]\nmaintainers = [\"bob\"]\n[commits]\nrequire = [\"1 of maintainers\"]\n"
                             "[signatures]\nallow_sha1_before = \"2015-01-01\"\n";
  const std::string root = repo.commit({{".vouch/policy.toml", policy}, {".vouch/keys/bob.asc", gpg.export_public(bob)}},
                                       "policy", Signer::openpgp(bob));
  // ...a SHA-1 commit made in 2014 after it (committer date in 2014, as gpg's clock).
  const std::string program = faked_gpg(dir.path(), "gpg-sha1-2014b", "20140601T000000!", "--digest-algo SHA1");
  repo.git({"-c", "gpg.program=" + program, "-c", "user.signingkey=" + bob, "commit", "-q", "--allow-empty", "-S",
            "-m", "sha1 in 2014"});
  const std::vector<std::string> base = {"-C", repo.path(), "--db", dir / "none.db", "verify", "--trust-root", root};
  auto j = vouch_json(base, 0);
  EXPECT_EQ(j["commits"][0]["signature"]["sha1_rule"], "allowed: created before 2015-01-01 (policy)");
  std::vector<std::string> flagged = base;
  flagged.insert(flagged.end(), {"--allow-sha1-before", "2014-01-01"});
  auto f = vouch_json(flagged, 1);
  EXPECT_EQ(f["commits"][0]["signature"]["status"], "weak");
  EXPECT_EQ(f["commits"][0]["signature"]["sha1_rule"], "rejected: created on or after 2014-01-01 (--allow-sha1-before)");
}

TEST_F(Sha1CutoffTest, VerifyFileFollowsTheSameRule) {
  write_file(dir / "old", "old release\n");
  ASSERT_EQ(gpg.gpg({"--faked-system-time", "20121201T000000!", "--digest-algo", "SHA1", "-u", bob, "--detach-sign",
                     dir / "old"}).exit_code, 0);
  const std::vector<std::string> args = {"verify-file", dir / "old", "--signature", dir / "old.sig", "--keyring", keys};
  auto j = vouch_json(args, 0);
  EXPECT_EQ(j["signature"]["sha1_rule"], "allowed: created before 2013-02-01 (default)");
  std::vector<std::string> never = args;
  never.insert(never.end(), {"--allow-sha1-before", "never"});
  EXPECT_EQ(vouch_json(never, 1)["signature"]["status"], "weak");
}

TEST_F(SignaturesTest, TheGnupgBackendAppliesTheSha1RuleBeforeTheKeyCheck) {
  // DSA is verified by GnuPG, not natively: the SHA-1 rule is applied to
  // what GnuPG reports, and the key is still weak.
  const std::string dsa = gpg.gen_key("dsa <dsa@example.org>", "dsa1024", "sign", "never", "20120101T000000!");
  write_file(keys + "/dsa.asc", gpg.export_public(dsa));
  write_file(dir / "old", "old release\n");
  ASSERT_EQ(gpg.gpg({"--faked-system-time", "20121201T000000!", "--digest-algo", "SHA1", "-u", dsa, "--detach-sign",
                     dir / "old"}).exit_code, 0);
  auto j = vouch_json({"verify-file", dir / "old", "--signature", dir / "old.sig", "--keyring", keys}, 1);
  EXPECT_EQ(j["signature"]["backend"], "gpgme");
  EXPECT_EQ(j["signature"]["status"], "weak");
  EXPECT_EQ(j["signature"]["digest"], "sha1");
  EXPECT_EQ(j["signature"]["sha1_rule"], "allowed: created before 2013-02-01 (default)");
  EXPECT_EQ(j["signature"]["reason"], "DSA key (1024 bits) is not accepted");
  auto never = vouch_json({"verify-file", dir / "old", "--signature", dir / "old.sig", "--keyring", keys,
                           "--allow-sha1-before", "never"}, 1);
  EXPECT_EQ(never["signature"]["reason"], "SHA-1 digests are never accepted (--allow-sha1-before)");
}

TEST_F(SignaturesTest, Rsa4096ReleaseTagsSignedBySubkeyWithSha1BeforeTheCutoff) {
  // Like git.git's release tags: an RSA-4096 primary, a signing subkey, SHA-1 until the cut-off.
  const std::string primary = gpg.gen_key("Release Manager <rm@example.org>", "rsa4096", "cert", "never",
                                          "20100101T000000!");
  ASSERT_EQ(gpg.gpg({"--faked-system-time", "20100101T000100!", "--quick-add-key", primary, "rsa2048", "sign",
                     "never"}).exit_code, 0);
  const std::string sub = gpg.fingerprints(primary).at(1);
  write_file(keys + "/rm.asc", gpg.export_public(primary));
  repo.commit({{"a", "1"}}, "release", Signer::none());
  auto tag_at = [&](const std::string& name, const std::string& when, const std::string& digest) {
    const std::string program = faked_gpg(dir.path(), "gpg-" + name, when, "--digest-algo " + digest);
    repo.git({"-c", "gpg.program=" + program, "-c", "user.signingkey=" + primary, "tag", "-s", "-m", name, name});
  };
  tag_at("v1.0", "20110301T000000!", "SHA1");
  tag_at("v1.1", "20121101T000000!", "SHA1");
  tag_at("v2.0", "20130301T000000!", "SHA1");
  tag_at("v2.1", "20130401T000000!", "SHA256");
  auto j = vouch_json({"-C", repo.path(), "verify-tag", "v1.0", "v1.1", "v2.0", "v2.1", "--keyring", keys}, 1);
  ASSERT_EQ(j["tags"].size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_EQ(j["tags"][i]["signature"]["status"], "good") << j["tags"][i];
    EXPECT_EQ(j["tags"][i]["signature"]["key"], "openpgp:" + primary);
    EXPECT_EQ(j["tags"][i]["signature"]["signing_key"], "openpgp:" + sub);
    EXPECT_EQ(j["tags"][i]["signature"]["sha1_rule"], "allowed: created before 2013-02-01 (default)");
  }
  EXPECT_EQ(j["tags"][2]["signature"]["status"], "weak");
  EXPECT_EQ(j["tags"][3]["signature"]["status"], "good");
  EXPECT_EQ(j["tags"][3]["signature"]["digest"], "sha256");
  auto moved = vouch_json({"-C", repo.path(), "verify-tag", "v2.0", "--keyring", keys, "--allow-sha1-before",
                           "2013-06-01"}, 0);
  EXPECT_EQ(moved["signature"]["sha1_rule"], "allowed: created before 2013-06-01 (--allow-sha1-before)");
}

}  // namespace
}  // namespace vouch::test
