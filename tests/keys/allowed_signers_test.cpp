#include "keys/allowed_signers.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "test_env.h"

namespace vouch::keys {
namespace {

const std::string kEd =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIlizSIN3DQV78VPNjVvvwjgf+P5HqbPYCYu3BOMdjAE";
const std::string kEdFpr = "SHA256:ZxTZQ/K7JZpz0mHqWqdmYCUcq3MAtnu9TYA66TCBkxM";

void expect_error(const std::string& text, const std::string& message, ErrorKind kind = ErrorKind::malformed) {
  auto r = parse_allowed_signers(text, "allowed_signers");
  ASSERT_FALSE(r) << text;
  EXPECT_EQ(r.error().kind, kind) << text;
  EXPECT_EQ(r.error().message, message) << text;
}

TEST(AllowedSignersTest, ParsesLinesOptionsAndComments) {
  test::TempDir dir;
  auto ec = test::make_ssh_key(dir.path(), "bob", "ecdsa-384");
  std::string text =
      "# maintainers\n"
      "\n"
      "alice@example.org,alice@example.com " + kEd + " alice laptop\n"
      "  bob@example.org namespaces=\"git,file\",valid-after=\"20240101Z\",VALID-BEFORE=20250102030405Z " +
      ec.public_line + "\r\n"
      "\"carol smith@example.org\" valid-after=202401021530Z " + kEd + "\n"
      "   # indented comment\n";
  auto r = parse_allowed_signers(text, "allowed_signers");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);

  const AllowedSigner& a = (*r)[0];
  EXPECT_EQ(a.line, 3);
  EXPECT_EQ(a.principals, (std::vector<std::string>{"alice@example.org", "alice@example.com"}));
  EXPECT_TRUE(a.namespaces.empty());
  EXPECT_FALSE(a.valid_after);
  EXPECT_FALSE(a.valid_before);
  EXPECT_EQ(a.key.fingerprint(), kEdFpr);
  EXPECT_EQ(a.key.comment, "alice laptop");

  const AllowedSigner& b = (*r)[1];
  EXPECT_EQ(b.line, 4);
  EXPECT_EQ(b.principals, std::vector<std::string>{"bob@example.org"});
  EXPECT_EQ(b.namespaces, (std::vector<std::string>{"git", "file"}));
  EXPECT_EQ(b.valid_after, 1704067200);   // 2024-01-01T00:00:00Z
  EXPECT_EQ(b.valid_before, 1735787045);  // 2025-01-02T03:04:05Z
  EXPECT_EQ(b.key.fingerprint(), ec.fingerprint);
  EXPECT_EQ(b.key.comment, "bob@example.org");

  const AllowedSigner& c = (*r)[2];
  EXPECT_EQ(c.line, 5);
  EXPECT_EQ(c.principals, std::vector<std::string>{"carol smith@example.org"});
  EXPECT_EQ(c.valid_after, 1704209400);  // 2024-01-02T15:30:00Z
}

TEST(AllowedSignersTest, TimesWithoutZAreLocalTime) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "EST5", 1);
  tzset();
  auto local = parse_allowed_signers_time("20240101");
  auto utc = parse_allowed_signers_time("20240101Z");
  if (old) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  ASSERT_TRUE(local);
  ASSERT_TRUE(utc);
  EXPECT_EQ(*local - *utc, 5 * 3600);
}

TEST(AllowedSignersTest, TimeFormats) {
  EXPECT_EQ(parse_allowed_signers_time("19700101Z"), 0);
  EXPECT_EQ(parse_allowed_signers_time("20000229235959Z"), 951868799);
  EXPECT_EQ(parse_allowed_signers_time("20240101Z"), 1704067200);
  EXPECT_FALSE(parse_allowed_signers_time("2024010"));
  EXPECT_FALSE(parse_allowed_signers_time("20230229Z"));   // not a leap year
  EXPECT_FALSE(parse_allowed_signers_time("20241301Z"));
  EXPECT_FALSE(parse_allowed_signers_time("202401012460Z"));
  EXPECT_FALSE(parse_allowed_signers_time("2024-01-01"));
  EXPECT_FALSE(parse_allowed_signers_time("Z"));
  EXPECT_FALSE(parse_allowed_signers_time(""));
}

TEST(AllowedSignersTest, ErrorsNameFileLineAndColumn) {
  expect_error("a@b " + kEd + "\n" + "\n" + "c@d foo=1 " + kEd + "\n",
               "allowed_signers:3:5: unknown option \"foo\"");
  expect_error("a@b namespaces=\"git\",bar " + kEd,
               "allowed_signers:1:22: unknown option \"bar\"");
  expect_error("*@example.org cert-authority " + kEd,
               "allowed_signers:1:15: cert-authority is not supported (vouch does not verify SSH certificates)",
               ErrorKind::unsupported);
  expect_error("a@b valid-after=\"2024\" " + kEd,
               "allowed_signers:1:5: invalid valid-after time \"2024\" (expected YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])");
  expect_error("a@b valid-after=20250101Z,valid-before=20240101Z " + kEd,
               "allowed_signers:1:5: valid-before is not after valid-after");
  expect_error("a@b namespaces=git,namespaces=file " + kEd,
               "allowed_signers:1:20: duplicate option \"namespaces\"");
  expect_error("a@b namespaces= " + kEd, "allowed_signers:1:5: option \"namespaces\" needs a value");
  expect_error("a@b namespaces=\"git,,file\" " + kEd,
               "allowed_signers:1:5: empty namespace in \"git,,file\"");
  expect_error("a@b namespaces=\"git " + kEd, "allowed_signers:1:5: unterminated quote in the options");
  expect_error("a@b\n", "allowed_signers:1:4: missing key after the principals");
  expect_error("a@b namespaces=git", "allowed_signers:1:19: missing key after the options");
  expect_error("a@b,,c " + kEd, "allowed_signers:1:1: empty principal in \"a@b,,c\"");
  expect_error("\"a@b " + kEd, "allowed_signers:1:1: unterminated quoted principals");
  expect_error("a@b ssh-ed25519 AAAA", "allowed_signers:1:5: SSH public key: truncated key type");
  expect_error("a@b ssh-ed25519 !!!!", "allowed_signers:1:5: SSH public key: invalid base64 in the key");
  expect_error("a@b ssh-rsa " + kEd.substr(12),
               "allowed_signers:1:5: SSH public key: key type \"ssh-rsa\" does not match the blob's type "
               "\"ssh-ed25519\"");
  expect_error("a@b ssh-dss AAAAB3NzaC1kc3MAAAABAQAAAAECAAAAAQMAAAABBA==",
               "allowed_signers:1:5: unsupported SSH key type \"ssh-dss\"", ErrorKind::unsupported);
}

TEST(AllowedSignersTest, EmptyFileHasNoSigners) {
  auto r = parse_allowed_signers("", "allowed_signers");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  auto only_comments = parse_allowed_signers("# nothing\n\n   \n", "x");
  ASSERT_TRUE(only_comments);
  EXPECT_TRUE(only_comments->empty());
}

TEST(AllowedSignersTest, AcceptsWhatSshKeygenVerifiesWith) {
  test::TempDir dir;
  auto key = test::make_ssh_key(dir.path(), "dev", "ed25519");
  std::string text = "dev@example.org namespaces=\"git\" " + key.public_line + "\n";
  test::write_file(dir / "allowed_signers", text);
  std::string sig = test::ssh_sign(key, "git", "payload", dir.path());
  test::write_file(dir / "sig", sig);
  auto check = test::run({"ssh-keygen", "-Y", "verify", "-f", dir / "allowed_signers", "-I", "dev@example.org",
                          "-n", "git", "-s", dir / "sig"},
                         {.cwd = "", .env = {}, .input = "payload"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  auto r = parse_allowed_signers(text, "allowed_signers");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].key.fingerprint(), key.fingerprint);
  EXPECT_EQ((*r)[0].namespaces, std::vector<std::string>{"git"});
}

}  // namespace
}  // namespace vouch::keys
