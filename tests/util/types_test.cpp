#include "vouch/types.h"

#include <gtest/gtest.h>

namespace vouch {
namespace {

TEST(KeyIdTest, ParsesEveryAcceptedSpelling) {
  auto a = KeyId::parse("openpgp:3690c240ce51b4670d30ad1c38ee757d69184620");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->str(), "openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  auto b = KeyId::parse("3690C240CE51B4670D30AD1C38EE757D69184620");
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
  auto c = KeyId::parse("ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, KeyKind::ssh);
  EXPECT_EQ(c->str(), "ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q");
  EXPECT_EQ(KeyId::parse("SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q"), c);
}

TEST(KeyIdTest, RejectsNearMisses) {
  EXPECT_FALSE(KeyId::parse("openpgp:3690C240"));                      // key id, not fingerprint
  EXPECT_FALSE(KeyId::parse("ssh:SHA256:short"));
  EXPECT_FALSE(KeyId::parse("ssh:MD5:aa:bb"));
  EXPECT_FALSE(KeyId::parse("3690C240CE51B4670D30AD1C38EE757D6918462G"));  // not hex
  EXPECT_FALSE(KeyId::parse(""));
}

TEST(SigStatusTest, SpellsVerdictsAsTheSpec) {
  EXPECT_EQ(to_string(SigStatus::unknown_key), "unknown-key");
  EXPECT_EQ(to_string(SigStatus::expired_key), "expired-key");
  EXPECT_EQ(to_string(SigStatus::revoked_key), "revoked-key");
  EXPECT_EQ(to_string(SigStatus::malformed), "malformed");
}

}  // namespace
}  // namespace vouch
