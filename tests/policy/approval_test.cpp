// Approval statement text: round trips of each shape, and every malformed
// case with its exact message.
#include "policy/approval.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::policy {
namespace {

const std::string kObject = "5c2a1f0e9d8c7b6a5c2a1f0e9d8c7b6a5c2a1f0e";
const std::string kTree = "9f1e2d3c4b5a69788796a5b4c3d2e1f09f1e2d3c";
const std::string kSigner = "ssh:SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

const std::string kFull =
    "vouch approval v1\n"
    "object " + kObject + "\n"
    "type commit\n"
    "tree " + kTree + "\n"
    "repository example/xz\n"
    "signer " + kSigner + "\n"
    "created 1764000000\n"
    "comment reviewed m4 changes\n";

const std::string kTag =
    "vouch approval v1\n"
    "object " + kObject + "\n"
    "type tag\n"
    "signer openpgp:3690C240CE51B4670D30AD1C38EE757D69184620\n"
    "created 0\n";

std::string error_of(const std::string& text) {
  auto r = parse_approval(text);
  if (r.ok()) return "(accepted)";
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  return r.error().message;
}

/// kFull with line `n` (1-based) replaced by `repl` (empty: removed).
std::string with_line(int n, const std::string& repl) {
  std::string out;
  int i = 0;
  size_t start = 0;
  while (start < kFull.size()) {
    size_t lf = kFull.find('\n', start);
    ++i;
    if (i != n) out += kFull.substr(start, lf + 1 - start);
    else if (!repl.empty()) out += repl + "\n";
    start = lf + 1;
  }
  return out;
}

TEST(Approval, FullCommitApprovalRoundTrips) {
  auto a = parse_approval(kFull);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->object, kObject);
  EXPECT_EQ(a->type, "commit");
  EXPECT_EQ(a->tree, kTree);
  EXPECT_EQ(a->repository, "example/xz");
  EXPECT_EQ(a->signer.str(), kSigner);
  EXPECT_EQ(a->created, 1764000000);
  EXPECT_EQ(a->comment, "reviewed m4 changes");
  EXPECT_EQ(serialize(*a), kFull);
  auto checked = serialize_checked(*a);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(*checked, kFull);
}

TEST(Approval, MinimalTagApprovalRoundTrips) {
  auto a = parse_approval(kTag);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->type, "tag");
  EXPECT_FALSE(a->tree);
  EXPECT_FALSE(a->repository);
  EXPECT_FALSE(a->comment);
  EXPECT_EQ(a->signer.kind, KeyKind::openpgp);
  EXPECT_EQ(serialize(*a), kTag);
}

TEST(Approval, Sha256ObjectIdsAreAccepted) {
  std::string o64(64, 'a');
  std::string t64(64, 'b');
  std::string text = "vouch approval v1\nobject " + o64 + "\ntype commit\ntree " + t64 + "\nsigner " + kSigner +
                     "\ncreated 1\n";
  auto a = parse_approval(text);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(serialize(*a), text);
}

TEST(Approval, MalformedFieldsNameTheLine) {
  EXPECT_EQ(error_of(with_line(2, "object " + std::string(40, 'A'))),
            "statement:2: object \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" is not an object id (40 or 64 "
            "lower-case hex digits)");
  EXPECT_EQ(error_of(with_line(2, "object 5c2a")),
            "statement:2: object \"5c2a\" is not an object id (40 or 64 lower-case hex digits)");
  EXPECT_EQ(error_of(with_line(3, "type blob")), "statement:3: type \"blob\" is not \"commit\", \"tag\" or \"archive\"");
  EXPECT_EQ(error_of(with_line(4, "tree xyz")),
            "statement:4: tree \"xyz\" is not an object id (40 or 64 lower-case hex digits)");
  EXPECT_EQ(error_of(with_line(4, "")), "statement:4: a commit approval needs a \"tree\" line");
  EXPECT_EQ(error_of(with_line(3, "type tag")), "statement:4: a tag approval has no \"tree\" line");
  EXPECT_EQ(error_of(with_line(6, "signer SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s")),
            "statement:6: signer \"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\" is not a canonical key id "
            "(openpgp:<UPPER-CASE HEX> or ssh:SHA256:<43 base64>)");
  EXPECT_EQ(error_of(with_line(7, "created 01")), "statement:7: created \"01\" has a leading zero");
  EXPECT_EQ(error_of(with_line(7, "created -1")), "statement:7: created \"-1\" is not a decimal number");
  EXPECT_EQ(error_of(with_line(7, "")), "statement:7: expected \"created\", found \"comment\"");
  EXPECT_EQ(error_of(with_line(6, "")), "statement:6: expected \"signer\", found \"created\"");
}

TEST(Approval, CanonicalLineRulesApply) {
  EXPECT_EQ(error_of("vouch endorsement v1\n"), "statement:1: expected \"vouch approval v1\", found \"vouch "
                                                "endorsement v1\"");
  EXPECT_EQ(error_of(kFull.substr(0, kFull.size() - 1)), "statement:8: missing newline at end of statement");
  EXPECT_EQ(error_of(kFull + "extra x\n"), "statement:9: unknown field \"extra\"");
  EXPECT_EQ(error_of(kFull + "comment again\n"), "statement:9: duplicate \"comment\"");
  EXPECT_EQ(error_of(with_line(5, "repository example/xz ")), "statement:5: trailing space");
  EXPECT_EQ(error_of(with_line(5, "repository  example/xz")), "statement:5: more than one space after \"repository\"");
  EXPECT_EQ(error_of(with_line(5, "repository example/xz\r")),
            "statement:5: carriage return (lines must end with LF alone)");
  // Field order is fixed: repository before tree is refused.
  std::string swapped = with_line(4, "repository example/xz");
  swapped = "vouch approval v1\nobject " + kObject + "\ntype commit\nrepository example/xz\ntree " + kTree +
            "\nsigner " + kSigner + "\ncreated 1\n";
  EXPECT_EQ(error_of(swapped), "statement:5: expected \"signer\", found \"tree\"");
  EXPECT_EQ(error_of(""), "statement:1: expected \"vouch approval v1\", found end of statement");
}

TEST(Approval, SerializeCheckedRefusesWhatCannotRoundTrip) {
  auto a = parse_approval(kFull);
  ASSERT_TRUE(a.ok());
  Approval bad = *a;
  bad.comment = "ok\nrepository other/x";
  auto r = serialize_checked(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  bad = *a;
  bad.type = "tag";
  r = serialize_checked(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "statement:4: a tag approval has no \"tree\" line");
  bad = *a;
  bad.comment = "ok\nsigner " + kSigner;
  r = serialize_checked(bad);
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace vouch::policy
