// Differential test (docs/signatures.md): every OpenPGP fixture is verified by the
// native verifier and by GnuPG through GPGME; both must give the same verdict,
// the same signing key and the same creation time.
#include <gtest/gtest.h>

#include "crypto/gpgme_backend.h"
#include "crypto/openpgp_key.h"
#include "crypto/openpgp_signature.h"
#include "crypto/openpgp_verify.h"
#include "test_env.h"

namespace vouch::test {
namespace {

using crypto::GpgVerifyFacts;
using crypto::pgp::NativeResult;

/// The verdict both backends are compared on.
std::string native_verdict(NativeResult r) { return std::string(crypto::pgp::to_string(r)); }
std::string gpgme_verdict(GpgVerifyFacts::Crypto c) { return std::string(crypto::to_string(c)); }

struct Fixture {
  std::string label;
  std::string algo;
  std::vector<std::string> sign_args;  ///< extra gpg arguments
  bool alter_payload = false;
};

class DifferentialTest : public ::testing::TestWithParam<Fixture> {};

TEST_P(DifferentialTest, NativeAndGpgmeAgree) {
  const Fixture& f = GetParam();
  TempDir dir;
  GpgHome gpg(dir.path());
  std::string fpr = gpg.gen_key("D <d@example.org>", f.algo);
  ASSERT_FALSE(fpr.empty());
  const std::string payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor D <d@example.org> 1 +0000\n\nmsg\n";
  write_file(dir / "payload", payload);
  std::vector<std::string> args = {"--armor", "--local-user", fpr, "--output", dir / "payload.asc"};
  args.insert(args.end(), f.sign_args.begin(), f.sign_args.end());
  args.insert(args.end(), {"--detach-sign", dir / "payload"});
  RunResult signed_ = gpg.gpg(args);
  ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
  std::string signature = read_file(dir / "payload.asc");
  std::string checked = f.alter_payload ? payload + "tampered\n" : payload;

  // Native
  auto certs = crypto::pgp::parse_certificates(gpg.export_public(fpr));
  ASSERT_TRUE(certs.ok()) << certs.error().message;
  auto sig = crypto::pgp::parse_detached_signature(signature);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  auto native = crypto::pgp::verify_document(*sig, certs->front().primary.key, checked);

  // GnuPG through GPGME, in its own private home
  auto store = crypto::GpgmeKeystore::create();
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->import(gpg.export_public(fpr)).ok());
  auto facts = store->verify_detached(signature, checked);

  EXPECT_EQ(native_verdict(native.result), gpgme_verdict(facts.crypto))
      << "native: " << native.reason << "\ngpgme: " << facts.reason;
  if (native.result == NativeResult::good || native.result == NativeResult::weak) {
    EXPECT_EQ(sig->issuer_fingerprint, facts.signing_fingerprint);
    EXPECT_EQ(sig->created, facts.created);
    EXPECT_EQ(sig->hash_algo, facts.hash_algo);
  }
}

INSTANTIATE_TEST_SUITE_P(
    OpenPgpFixtures, DifferentialTest,
    ::testing::Values(Fixture{"ed25519_good", "ed25519", {}}, Fixture{"ed25519_bad", "ed25519", {}, true},
                      Fixture{"rsa2048_good", "rsa2048", {}}, Fixture{"rsa3072_good", "rsa3072", {}},
                      Fixture{"rsa3072_bad", "rsa3072", {}, true}, Fixture{"nistp256_good", "nistp256", {}},
                      Fixture{"nistp384_good", "nistp384", {}}, Fixture{"nistp521_good", "nistp521", {}},
                      Fixture{"nistp521_bad", "nistp521", {}, true},
                      Fixture{"ed25519_sha512", "ed25519", {"--digest-algo", "SHA512"}},
                      Fixture{"rsa3072_sha1_weak", "rsa3072", {"--digest-algo", "SHA1"}},
                      Fixture{"ed25519_sha1_bad", "ed25519", {"--digest-algo", "SHA1"}, true}),
    [](const auto& info) { return info.param.label; });

}  // namespace
}  // namespace vouch::test
