// Signing subkeys count only with a valid binding and back-signature
// (threat 31), judged natively from crafted certificates: each test leaves
// out or bends one thing gpg would always write.
#include "crypto/openpgp_binding.h"

#include <gtest/gtest.h>

#include "crypto/openpgp_key.h"
#include "pgp_forge.h"

namespace vouch::crypto::pgp {
namespace {

using test::forge::EdKey;
using test::forge::subpacket;
namespace forge = test::forge;

constexpr int64_t kT = 1700000000;

struct Judged {
  SubkeyBinding binding;
  std::string error;
};

/// Parses `packets` (one certificate with one subkey) and judges the subkey.
Judged judge(const std::string& packets) {
  auto certs = parse_certificates(packets);
  if (!certs) return {{}, certs.error().message};
  const Certificate& c = certs->front();
  if (c.subkeys.size() != 1) return {{}, "expected one subkey"};
  std::vector<const Signature*> bindings;
  for (const auto& b : c.subkeys[0].binding_sigs) bindings.push_back(&b);
  return {check_subkey_binding(c.primary.key, c.subkeys[0].key, bindings), ""};
}

class SubkeyBindingTest : public ::testing::Test {
 protected:
  EdKey primary{kT - 1000};
  EdKey subkey{kT - 500};
  EdKey other{kT - 800};  ///< another certificate's primary
  std::string head = forge::primary_with_uid(primary, "alice <alice@example.org>");
};

TEST_F(SubkeyBindingTest, BindingWithBackSignatureSigns) {
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, forge::signing_binding(primary, subkey)));
  ASSERT_EQ(j.error, "");
  EXPECT_TRUE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "");
  EXPECT_FALSE(j.binding.expires.has_value());
}

TEST_F(SubkeyBindingTest, NoBackSignatureCannotSign) {
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x02")));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its binding signature carries no primary-key binding signature (0x19 back-signature)");
}

TEST_F(SubkeyBindingTest, BackSignatureInTheUnhashedAreaCounts) {
  // Only the subkey can make it, wherever it sits (GnuPG looks in both areas).
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x02"),
                                            subpacket(32, forge::back_signature(primary, subkey, subkey.created))));
  EXPECT_TRUE(j.binding.can_sign) << j.binding.problem;
}

TEST_F(SubkeyBindingTest, BackSignatureCopiedFromAnotherCertificateDoesNotVerify) {
  // The subkey's genuine back-signature for `other` is worthless for `primary`.
  const std::string copied = forge::back_signature(other, subkey, subkey.created);
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary,
                                            subpacket(27, "\x02") + subpacket(32, copied)));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem.rfind("its back-signature (0x19) does not verify: ", 0), 0u) << j.binding.problem;
}

TEST_F(SubkeyBindingTest, BackSignatureMadeByThePrimaryDoesNotCount) {
  // Whoever binds someone else's subkey can sign a "back-signature" only with their own key.
  const std::string fake = primary.sign(0x19, primary.framed + subkey.framed, "", subkey.created);
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x02") + subpacket(32, fake)));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its back-signature (0x19) does not verify: issuer fingerprint " + primary.fpr_hex() +
                                   " is not key " + subkey.fpr_hex());
}

TEST_F(SubkeyBindingTest, EmbeddedSignatureOfAnotherTypeDoesNotCount) {
  const std::string wrong = subkey.sign(0x18, primary.framed + subkey.framed, "", subkey.created);
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x02") + subpacket(32, wrong)));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its embedded signature is not a primary-key binding signature (0x19)");
}

// A valid back-signature beside another embedded signature: GnuPG refused
// the subkey, Sequoia and vouch took it (found by an attack). Which one is
// "the" back-signature is the verifier's choice, so vouch takes neither.
TEST_F(SubkeyBindingTest, TwoEmbeddedSignaturesNameNoBackSignature) {
  const std::string good = forge::back_signature(primary, subkey, subkey.created);
  const std::string wrong = forge::back_signature(other, subkey, subkey.created);
  for (const auto& [hashed, unhashed] : {std::pair{subpacket(32, good), subpacket(32, wrong)},
                                         std::pair{subpacket(32, good) + subpacket(32, good), std::string()},
                                         std::pair{std::string(), subpacket(32, good) + subpacket(32, wrong)}}) {
    auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x02") + hashed, unhashed));
    ASSERT_EQ(j.error, "");
    EXPECT_FALSE(j.binding.can_sign);
    EXPECT_EQ(j.binding.problem, "its binding signature carries 2 embedded signatures, not one back-signature");
  }
}

TEST_F(SubkeyBindingTest, BindingByAnotherPrimaryDoesNotVerify) {
  // `other` signs a binding of the subkey into `primary`'s certificate.
  auto j = judge(head + forge::bound_subkey(primary, subkey, other, forge::signing_binding(primary, subkey)));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "no binding signature by its primary key verifies (issuer fingerprint " +
                                   other.fpr_hex() + " is not key " + primary.fpr_hex() + ")");
}

TEST_F(SubkeyBindingTest, KeyFlagsOnlyInTheUnhashedAreaDoNotGrantSigning) {
  const std::string back = subpacket(32, forge::back_signature(primary, subkey, subkey.created));
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, back, subpacket(27, "\x02")));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its binding signature has no hashed key flags");
}

TEST_F(SubkeyBindingTest, RepeatedHashedKeyFlagsCountAtTheirStrictest) {
  const std::string hashed = subpacket(27, "\x02") + subpacket(27, "\x0C") +
                             subpacket(32, forge::back_signature(primary, subkey, subkey.created));
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, hashed));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its binding signature does not grant signing (key flags)");
}

TEST_F(SubkeyBindingTest, EncryptionOnlyBindingCannotSign) {
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, subpacket(27, "\x0C")));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "its binding signature does not grant signing (key flags)");
}

TEST_F(SubkeyBindingTest, TheLatestBindingDecides) {
  // A later binding that withdraws signing wins over the earlier one that granted it.
  std::string c = head + forge::bound_subkey(primary, subkey, primary, forge::signing_binding(primary, subkey));
  c += forge::packet(2, primary.sign(0x18, primary.framed + subkey.framed, subpacket(27, "\x0C"), subkey.created + 10));
  auto j = judge(c);
  EXPECT_FALSE(j.binding.can_sign);
}

TEST_F(SubkeyBindingTest, ExpirationsOfBindingKeyAndBackSignatureBoundIt) {
  const std::string back = subkey.sign(0x19, primary.framed + subkey.framed, subpacket(3, forge::be32(3000)),
                                       subkey.created);
  const std::string hashed = subpacket(27, "\x02") + subpacket(9, forge::be32(5000)) + subpacket(3, forge::be32(4000)) +
                             subpacket(32, back);
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, hashed));
  ASSERT_TRUE(j.binding.can_sign) << j.binding.problem;
  EXPECT_EQ(j.binding.expires, subkey.created + 3000);
}

TEST_F(SubkeyBindingTest, BindingOlderThanTheSubkeyDoesNotCount) {
  auto j = judge(head + forge::bound_subkey(primary, subkey, primary, forge::signing_binding(primary, subkey), "",
                                            subkey.created - 100));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "no binding signature by its primary key verifies (binding signature predates the keys it binds)");
}

TEST_F(SubkeyBindingTest, NoBindingAtAll) {
  auto j = judge(head + forge::packet(14, subkey.body));
  EXPECT_FALSE(j.binding.can_sign);
  EXPECT_EQ(j.binding.problem, "it has no binding signature");
}

}  // namespace
}  // namespace vouch::crypto::pgp
