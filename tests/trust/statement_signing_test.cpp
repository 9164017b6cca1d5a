// Signing statements with real ssh-keygen and GnuPG keys, and verifying them:
// good signatures, altered text, wrong namespace, wrong signer, revocations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "keys/keyring.h"
#include "statement/signer.h"
#include "statement/verifier.h"
#include "test_env.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"

namespace vouch::trust {
namespace {

using test::GpgHome;
using test::SshKey;
using test::TempDir;

constexpr int64_t kNow = 1770000000;

/// Points GNUPGHOME at a test home for the scope of one test (GPGME reads it
/// when a context is created), restoring the previous value afterwards.
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

KeyId ssh_id(const SshKey& k) { return KeyId{KeyKind::ssh, k.fingerprint}; }

Endorsement endorsement(const KeyId& issuer, const KeyId& target) {
  Endorsement e;
  e.issuer = issuer;
  e.target = target;
  e.person = "jia";
  e.emails = {"jia@example.org"};
  e.amount = 120;
  e.depth = 1;
  e.created = 1764000000;
  e.comment = "met in person at FOSDEM";
  return e;
}

SignedStatement sign_or_fail(const std::string& type, const std::string& text, const std::string& key,
                             const std::string& ns) {
  auto sig = statement::sign_statement(text, key, ns);
  EXPECT_TRUE(sig.ok()) << sig.error().message;
  return SignedStatement{type, text, sig.ok() ? *sig : ""};
}

class SshStatements : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = test::make_ssh_key(dir.path(), "alice", "ed25519");
    bob = test::make_ssh_key(dir.path(), "bob", "ed25519");
    ASSERT_TRUE(keyring.add_ssh_line(alice.public_line, "alice.pub").ok());
    ASSERT_TRUE(keyring.add_ssh_line(bob.public_line, "bob.pub").ok());
  }
  TempDir dir;
  SshKey alice, bob;
  keys::Keyring keyring;
};

TEST_F(SshStatements, SignedEndorsementVerifies) {
  Endorsement e = endorsement(ssh_id(alice), ssh_id(bob));
  std::string text = *serialize_checked(e);
  SignedStatement st = sign_or_fail("vouch-endorsement", text, alice.private_path, "vouch-endorsement");
  ASSERT_TRUE(st.signature.starts_with("SSHSIG"));

  SignatureResult r = statement::verify_statement(st, keyring, "vouch-endorsement", kNow);
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_EQ(r.key, ssh_id(alice).str());

  auto v = verify_endorsement(st, keyring, kNow);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(serialize(*v), text);

  // Through the transport line and back.
  auto line = statement::parse_transport_line(statement::to_transport_line(st));
  ASSERT_TRUE(line.ok()) << line.error().message;
  auto v2 = verify_endorsement(*line, keyring, kNow);
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->target, ssh_id(bob));
}

TEST_F(SshStatements, SignsWithAgentHeldKeyViaPubFile) {
  TempDir agent_dir;
  std::string sock = agent_dir / "agent.sock";
  auto started = test::run({"ssh-agent", "-a", sock});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  struct AgentStop {
    std::string sock;
    ~AgentStop() { test::run({"ssh-agent", "-k"}, {.env = {{"SSH_AUTH_SOCK", sock}, {"SSH_AGENT_PID", pid}}}); }
    std::string pid;
  } stop{sock, ""};
  // "SSH_AGENT_PID=1234; export ..." in the agent's output.
  auto p = started.out.find("SSH_AGENT_PID=");
  ASSERT_NE(p, std::string::npos);
  stop.pid = started.out.substr(p + 14, started.out.find(';', p) - p - 14);
  ASSERT_EQ(test::run({"ssh-add", alice.private_path}, {.env = {{"SSH_AUTH_SOCK", sock}}}).exit_code, 0);

  std::optional<std::string> old;
  if (const char* o = std::getenv("SSH_AUTH_SOCK")) old = o;
  setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
  // Only the public half is given: ssh-keygen asks the agent.
  std::string pub = dir / "agent-alice.pub";
  test::write_file(pub, alice.public_line + "\n");
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  auto sig = statement::sign_statement(text, pub, "vouch-endorsement");
  if (old) setenv("SSH_AUTH_SOCK", old->c_str(), 1);
  else unsetenv("SSH_AUTH_SOCK");
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  auto v = verify_endorsement({"vouch-endorsement", text, *sig}, keyring, kNow);
  EXPECT_TRUE(v.ok()) << v.error().message;
}

TEST_F(SshStatements, AlteredTextIsBad) {
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, alice.private_path, "vouch-endorsement");
  st.text.replace(st.text.find("amount 120"), 10, "amount 119");
  EXPECT_EQ(statement::verify_statement(st, keyring, "vouch-endorsement", kNow).status, SigStatus::bad);
  auto v = verify_endorsement(st, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(v.error().message, "endorsement signature is bad: signature does not verify");
}

TEST_F(SshStatements, WrongNamespaceIsRefused) {
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, alice.private_path, "vouch-revocation");
  auto v = verify_endorsement(st, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(v.error().message,
            "endorsement signature is bad: signature namespace \"vouch-revocation\" does not match expected "
            "\"vouch-endorsement\"");
}

TEST_F(SshStatements, SignedByAnotherKeyThanTheIssuerIsRefused) {
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, bob.private_path, "vouch-endorsement");
  auto v = verify_endorsement(st, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(v.error().message,
            "endorsement issuer " + ssh_id(alice).str() + " but signed by " + ssh_id(bob).str());
}

TEST_F(SshStatements, UnknownIssuerKeyIsRefused) {
  SshKey carol = test::make_ssh_key(dir.path(), "carol", "ed25519");
  std::string text = *serialize_checked(endorsement(ssh_id(carol), ssh_id(bob)));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, carol.private_path, "vouch-endorsement");
  auto v = verify_endorsement(st, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message,
            "endorsement signature is unknown-key: key " + ssh_id(carol).str() + " is not in the keyring");
}

TEST_F(SshStatements, MalformedStatementsAndSignatures) {
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, alice.private_path, "vouch-endorsement");

  SignedStatement wrong_type = st;
  wrong_type.type = "vouch-revocation";
  auto v = verify_endorsement(wrong_type, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::malformed);
  EXPECT_EQ(v.error().message, "expected a vouch-endorsement statement, found \"vouch-revocation\"");

  SignedStatement bad_text = st;
  bad_text.text += "\n";
  v = verify_endorsement(bad_text, keyring, kNow);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::malformed);
  EXPECT_EQ(v.error().message, "statement:10: blank line");

  SignedStatement garbage = st;
  garbage.signature = "not a signature";
  SignatureResult r = statement::verify_statement(garbage, keyring, "vouch-endorsement", kNow);
  EXPECT_EQ(r.status, SigStatus::malformed);
  EXPECT_EQ(r.reason, "statement signature is neither an SSHSIG blob nor an OpenPGP signature packet");

  garbage.signature.clear();
  EXPECT_EQ(statement::verify_statement(garbage, keyring, "vouch-endorsement", kNow).status, SigStatus::missing);

  garbage.signature = st.signature.substr(0, 40);
  EXPECT_EQ(statement::verify_statement(garbage, keyring, "vouch-endorsement", kNow).status, SigStatus::malformed);
}

TEST_F(SshStatements, RevocationBySelfOrRootOnly) {
  SshKey root = test::make_ssh_key(dir.path(), "root", "ed25519");
  ASSERT_TRUE(keyring.add_ssh_line(root.public_line, "root.pub").ok());
  RevocationStatement rev{ssh_id(bob), RevocationReason::compromised, 1765000000, "stolen laptop"};
  std::string text = *serialize_checked(rev);
  const std::vector<KeyId> roots = {ssh_id(root)};

  auto self = verify_revocation(sign_or_fail("vouch-revocation", text, bob.private_path, "vouch-revocation"),
                                keyring, roots, kNow);
  ASSERT_TRUE(self.ok()) << self.error().message;
  EXPECT_EQ(self->reason, RevocationReason::compromised);

  auto by_root = verify_revocation(sign_or_fail("vouch-revocation", text, root.private_path, "vouch-revocation"),
                                   keyring, roots, kNow);
  EXPECT_TRUE(by_root.ok()) << by_root.error().message;

  auto other = verify_revocation(sign_or_fail("vouch-revocation", text, alice.private_path, "vouch-revocation"),
                                 keyring, roots, kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(other.error().message, "revocation of " + ssh_id(bob).str() + " signed by " + ssh_id(alice).str() +
                                       ", which is neither the revoked key nor a root");

  auto wrong_ns = verify_revocation(
      sign_or_fail("vouch-revocation", text, bob.private_path, "vouch-endorsement"), keyring, roots, kNow);
  ASSERT_FALSE(wrong_ns.ok());
  EXPECT_EQ(wrong_ns.error().message,
            "revocation signature is bad: signature namespace \"vouch-endorsement\" does not match expected "
            "\"vouch-revocation\"");
}

TEST_F(SshStatements, SigningErrorsNameTheKey) {
  std::string text = *serialize_checked(endorsement(ssh_id(alice), ssh_id(bob)));
  std::string missing = dir / "nope";
  auto r = statement::sign_statement(text, missing, "vouch-endorsement");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message, "signing key " + missing +
                                   ": no such file (give an SSH key file, or the .pub of an ssh-agent key, or an "
                                   "OpenPGP fingerprint)");

  std::string junk = dir / "junk";
  test::write_file(junk, "not a key\n");
  r = statement::sign_statement(text, junk, "vouch-endorsement");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_TRUE(r.error().message.starts_with("ssh-keygen -Y sign failed for " + junk + ": ")) << r.error().message;

  r = statement::sign_statement(text, "openpgp:nothex", "vouch-endorsement");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signing key openpgp:nothex is not an OpenPGP fingerprint (40 or 64 hex digits)");
}

TEST(SshArmor, RoundTripsThroughDearmor) {
  std::string blob(200, '\x5a');
  std::string armored = statement::armor_sshsig(blob);
  EXPECT_TRUE(armored.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
  EXPECT_TRUE(armored.ends_with("\n-----END SSH SIGNATURE-----\n"));
  EXPECT_EQ(armored.find('\n', 30) - 30, 70u);  // 70-column lines
  auto back = statement::dearmor_sshsig(armored);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, blob);
  EXPECT_EQ(statement::dearmor_sshsig("junk").error().message, "SSH signature: no BEGIN SSH SIGNATURE line");
}

class PgpStatements : public ::testing::Test {
 protected:
  void SetUp() override {
    gpg.emplace(dir.path());
    alice = gpg->gen_key("Alice <alice@example.org>", "ed25519");
    mallory = gpg->gen_key("Mallory <mallory@example.org>", "ed25519");
    ASSERT_TRUE(keyring.add_openpgp(gpg->export_public(alice), "alice.asc").ok());
    ASSERT_TRUE(keyring.add_openpgp(gpg->export_public(mallory), "mallory.asc").ok());
    auto fin = keyring.finish_openpgp();
    ASSERT_TRUE(fin.ok()) << fin.error().message;
    home.emplace(gpg->path());
  }
  void TearDown() override { home.reset(); }
  TempDir dir;
  std::optional<GpgHome> gpg;
  std::optional<ScopedGnupgHome> home;
  std::string alice, mallory;
  keys::Keyring keyring;
  const KeyId target = *KeyId::parse("ssh:SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
  // gpg signs at the real time, and a signature dated after the reference
  // time does not count: these statements are checked as of now.
  const int64_t now = std::time(nullptr);
};

TEST_F(PgpStatements, SignedEndorsementVerifies) {
  KeyId issuer{KeyKind::openpgp, alice};
  std::string text = *serialize_checked(endorsement(issuer, target));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, "openpgp:" + alice, "vouch-endorsement");
  ASSERT_FALSE(st.signature.empty());
  EXPECT_TRUE(static_cast<unsigned char>(st.signature[0]) & 0x80);  // binary packet, not armor

  SignatureResult r = statement::verify_statement(st, keyring, "vouch-endorsement", now);
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_EQ(r.key, issuer.str());

  auto line = statement::parse_transport_line(statement::to_transport_line(st));
  ASSERT_TRUE(line.ok());
  auto v = verify_endorsement(*line, keyring, now);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->issuer, issuer);

  // A bare lower-case fingerprint works too.
  std::string lower = alice;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  SignedStatement st2 = sign_or_fail("vouch-endorsement", text, lower, "vouch-endorsement");
  EXPECT_TRUE(verify_endorsement(st2, keyring, now).ok());
}

TEST_F(PgpStatements, AlteredTextIsBad) {
  std::string text = *serialize_checked(endorsement({KeyKind::openpgp, alice}, target));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, alice, "vouch-endorsement");
  st.text.replace(st.text.find("depth 1"), 7, "depth 9");
  SignatureResult r = statement::verify_statement(st, keyring, "vouch-endorsement", now);
  EXPECT_EQ(r.status, SigStatus::bad) << r.reason;
  auto v = verify_endorsement(st, keyring, now);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(v.error().message, "endorsement signature is bad: " + r.reason);
}

TEST_F(PgpStatements, SignedByAnotherKeyThanTheIssuerIsRefused) {
  std::string text = *serialize_checked(endorsement({KeyKind::openpgp, alice}, target));
  SignedStatement st = sign_or_fail("vouch-endorsement", text, mallory, "vouch-endorsement");
  auto v = verify_endorsement(st, keyring, now);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "endorsement issuer openpgp:" + alice + " but signed by openpgp:" + mallory);
}

TEST_F(PgpStatements, RevocationSelfSigned) {
  RevocationStatement rev{{KeyKind::openpgp, alice}, RevocationReason::superseded, 1765000000, std::nullopt};
  std::string text = *serialize_checked(rev);
  auto ok = verify_revocation(sign_or_fail("vouch-revocation", text, alice, "vouch-revocation"), keyring, {}, now);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->reason, RevocationReason::superseded);

  auto other = verify_revocation(sign_or_fail("vouch-revocation", text, mallory, "vouch-revocation"), keyring, {}, now);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "revocation of openpgp:" + alice + " signed by openpgp:" + mallory +
                                       ", which is neither the revoked key nor a root");
}

TEST_F(PgpStatements, NoSecretKeyIsABadInput) {
  const std::string unknown = "0123456789ABCDEF0123456789ABCDEF01234567";
  auto r = statement::sign_statement("vouch revocation v1\n", unknown, "vouch-revocation");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message, "no secret key for openpgp:" + unknown +
                                   " in your GnuPG keyring (check gpg --list-secret-keys " + unknown + ")");
}

}  // namespace
}  // namespace vouch::trust
