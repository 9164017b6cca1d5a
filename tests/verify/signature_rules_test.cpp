// SignatureRules as signature::check_signature applies them: the SHA-1 cut-off on both
// backends, FIDO user presence, keys that are weak whatever verified them,
// and signing keys claimed by two certificates.
#include <gtest/gtest.h>

#include <limits>

#include "keys/keyring.h"
#include "pgp_forge.h"
#include "signature/signature_check.h"
#include "test_env.h"
#include "verify/signature_rules.h"

namespace vouch::verify {
namespace {

using test::forge::EdKey;
namespace forge = test::forge;

constexpr int64_t kCutoff = kDefaultSha1Cutoff;  // 2013-02-01
constexpr int64_t kNow = 1750000000;

SignatureRules rules_with(int64_t cutoff, Sha1RuleSource source) {
  SignatureRules r;
  r.sha1_cutoff = cutoff;
  r.sha1_source = source;
  return r;
}

class Sha1RuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir_ / "k.asc", forge::armored_cert(forge::primary_with_uid(key_, "k <k@example.org>", 0x03)));
    auto ring = keys::Keyring::load_directory(dir_.path());
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    ring_ = std::move(*ring);
  }
  SignatureResult check(int64_t made, uint8_t hash, const SignatureRules& rules) {
    return signature::check_signature(ring_, forge::sign_document(key_, "payload\n", made, hash), "payload\n",
                                      {"git", made, kNow, rules});
  }

  test::TempDir dir_;
  EdKey key_{kCutoff - 10 * 86400};
  keys::Keyring ring_;
};

TEST_F(Sha1RuleTest, Sha1BeforeTheDefaultCutoffIsGood) {
  auto r = check(kCutoff - 1, 2, {});
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_EQ(r.digest, "sha1");
  EXPECT_EQ(r.sha1_rule, "allowed: created before 2013-02-01 (default)");
}

TEST_F(Sha1RuleTest, Sha1OnTheDefaultCutoffIsWeak) {
  auto r = check(kCutoff, 2, {});
  EXPECT_EQ(r.status, SigStatus::weak);
  EXPECT_EQ(r.sha1_rule, "rejected: created on or after 2013-02-01 (default)");
  EXPECT_EQ(r.reason, "SHA-1 digest in a signature created on or after 2013-02-01 (default)");
}

TEST_F(Sha1RuleTest, PolicyAndFlagMoveTheCutoff) {
  const int64_t june2017 = 1496275200;
  auto later = check(kCutoff + 86400, 2, rules_with(june2017, Sha1RuleSource::policy));
  EXPECT_EQ(later.status, SigStatus::good) << later.reason;
  EXPECT_EQ(later.sha1_rule, "allowed: created before 2017-06-01 (policy)");
  auto never = check(kCutoff - 86400, 2, rules_with(std::numeric_limits<int64_t>::min(), Sha1RuleSource::flag));
  EXPECT_EQ(never.status, SigStatus::weak);
  EXPECT_EQ(never.sha1_rule, "rejected: SHA-1 is never accepted (--allow-sha1-before)");
}

TEST_F(Sha1RuleTest, Sha256NeedsNoRule) {
  auto r = check(kCutoff + 86400, 8, {});
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_EQ(r.digest, "sha256");
  EXPECT_EQ(r.sha1_rule, "");
}

TEST_F(Sha1RuleTest, Sha1BeforeTheCutoffStillFailsOtherChecks) {
  // Back-dated below the key's creation: bad, whatever the digest rule says.
  auto r = check(key_.created - 86400, 2, {});
  EXPECT_EQ(r.status, SigStatus::bad);
  EXPECT_EQ(r.sha1_rule, "allowed: created before 2013-02-01 (default)");
}

TEST_F(Sha1RuleTest, SignatureUpToADayAfterTheReferenceTimeIsGood) {
  auto r = signature::check_signature(ring_, forge::sign_document(key_, "payload\n", kNow + 86400), "payload\n",
                                      {"git", kNow, kNow, {}});
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
}

TEST_F(Sha1RuleTest, SignatureMoreThanADayAfterTheReferenceTimeIsBad) {
  auto r = signature::check_signature(ring_, forge::sign_document(key_, "payload\n", kNow + 86401), "payload\n",
                                      {"git", kNow, kNow, {}});
  EXPECT_EQ(r.status, SigStatus::bad);
  EXPECT_EQ(r.reason,
            "signature created 2025-06-16 15:06:41Z, more than a day after the reference time "
            "2025-06-15 15:06:40Z");
}

TEST(SignatureRulesTest, FromPolicyAndFlag) {
  policy::Policy p;
  auto d = signature_rules(p, std::nullopt);
  EXPECT_EQ(d.sha1_cutoff, kDefaultSha1Cutoff);
  EXPECT_EQ(d.sha1_source, Sha1RuleSource::default_cutoff);
  p.allow_sha1_before = 1496275200;
  p.require_user_presence = true;
  auto moved = signature_rules(p, std::nullopt);
  EXPECT_EQ(moved.sha1_source, Sha1RuleSource::policy);
  EXPECT_TRUE(moved.require_user_presence);
  auto flag = signature_rules(p, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(flag.sha1_cutoff, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(flag.sha1_source, Sha1RuleSource::flag);
  EXPECT_TRUE(flag.require_user_presence);
  EXPECT_EQ(parse_sha1_cutoff("never"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_sha1_cutoff("2017-06-01"), 1496275200);
  EXPECT_EQ(parse_sha1_cutoff("last year"), std::nullopt);
}

// ---- FIDO user presence

class UserPresenceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ring_.add_ssh_line(sk_.pub_line(), "sk.pub").ok()); }
  SignatureResult check(uint8_t flags, bool require) {
    SignatureRules rules;
    rules.require_user_presence = require;
    return signature::check_signature(ring_, sk_.sign("payload\n", "git", flags), "payload\n",
                                      {"git", kNow, kNow, rules});
  }
  forge::SkKey sk_;
  keys::Keyring ring_;
};

TEST_F(UserPresenceTest, FlagsAreReported) {
  auto touched = check(0x05, true);
  EXPECT_EQ(touched.status, SigStatus::good) << touched.reason;
  EXPECT_EQ(touched.user_presence, true);
  EXPECT_EQ(touched.user_verification, true);
  auto untouched = check(0x00, false);
  EXPECT_EQ(untouched.status, SigStatus::good) << untouched.reason;
  EXPECT_EQ(untouched.user_presence, false);
  EXPECT_EQ(untouched.user_verification, false);
}

TEST_F(UserPresenceTest, RequiredPresenceMissingIsBad) {
  auto r = check(0x04, true);
  EXPECT_EQ(r.status, SigStatus::bad);
  EXPECT_EQ(r.reason, "FIDO signature made without user presence (flag 0x01), which the policy requires "
                      "([signatures] require_user_presence)");
  EXPECT_EQ(r.user_presence, false);
  EXPECT_EQ(r.user_verification, true);
}

TEST(UserPresenceNonFidoTest, OrdinaryKeysCarryNoFlags) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "k", "ed25519");
  keys::Keyring ring;
  ASSERT_TRUE(ring.add_ssh_line(key.public_line, "k.pub").ok());
  SignatureRules rules;
  rules.require_user_presence = true;
  auto r = signature::check_signature(ring, test::ssh_sign(key, "git", "payload\n", dir.path()), "payload\n",
                                      {"git", kNow, kNow, rules});
  EXPECT_EQ(r.status, SigStatus::good) << r.reason;
  EXPECT_FALSE(r.user_presence.has_value());
  EXPECT_FALSE(r.user_verification.has_value());
}

// ---- a signing key bound to two certificates

TEST(RivalClaimTest, SignatureBySharedSubkeyIsBadNamingBoth) {
  test::TempDir dir;
  EdKey a(kNow - 1000), m(kNow - 900), sub(kNow - 800);
  for (const auto* p : {&a, &m})
    test::write_file(dir / (p == &a ? "a.asc" : "m.asc"),
                     forge::armored_cert(forge::primary_with_uid(*p, p == &a ? "a <a@x>" : "m <m@x>") +
                                         forge::bound_subkey(*p, sub, *p, forge::signing_binding(*p, sub))));
  auto ring = keys::Keyring::load_directory(dir.path());
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  auto r = signature::check_signature(*ring, forge::sign_document(sub, "payload\n", kNow - 10), "payload\n",
                                      {"git", kNow, kNow, {}});
  EXPECT_EQ(r.status, SigStatus::bad);
  const keys::SigningKey* k = ring->find_openpgp(sub.fpr_hex());
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(r.reason, "signing key " + sub.fpr_hex() + " is validly bound to more than one certificate (" + k->id.id +
                          " and " + k->rival_primaries.at(0) + "): the signer is ambiguous");
}

}  // namespace
}  // namespace vouch::verify
