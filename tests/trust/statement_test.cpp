// Canonical statement text and the transport line: round trips of every
// field combination, and every malformed case with its exact message.
#include "trust/statement.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "util/base64.h"

namespace vouch::trust {
namespace {

const std::string kIssuer = "openpgp:3690C240CE51B4670D30AD1C38EE757D69184620";
const std::string kTarget = "ssh:SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

const std::string kFull =
    "vouch endorsement v1\n"
    "issuer " + kIssuer + "\n"
    "target " + kTarget + "\n"
    "person jia\n"
    "email jia@example.org\n"
    "email jia@example.net\n"
    "amount 120\n"
    "depth 0\n"
    "scope *@example.org\n"
    "created 1764000000\n"
    "expires 1795536000\n"
    "comment met in person at FOSDEM\n";

const std::string kMinimal =
    "vouch endorsement v1\n"
    "issuer " + kIssuer + "\n"
    "target " + kTarget + "\n"
    "amount 60\n"
    "depth 2\n"
    "created 1764000000\n";

const std::string kRevocation =
    "vouch revocation v1\n"
    "key " + kTarget + "\n"
    "reason compromised\n"
    "created 1764000000\n"
    "comment key found on a stolen laptop\n";

std::string error_of(std::string_view text) {
  auto r = parse_endorsement(text);
  if (r.ok()) return "(accepted)";
  EXPECT_EQ(r.error().kind, ErrorKind::malformed) << r.error().message;
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
    std::string line = kFull.substr(start, lf - start + 1);
    if (i == n) {
      if (!repl.empty()) out += repl;
    } else {
      out += line;
    }
    start = lf + 1;
  }
  return out;
}

TEST(EndorsementText, ParsesTheSpecExample) {
  auto e = parse_endorsement(kFull);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->issuer.str(), kIssuer);
  EXPECT_EQ(e->target.str(), kTarget);
  EXPECT_EQ(e->person, "jia");
  EXPECT_EQ(e->emails, (std::vector<std::string>{"jia@example.org", "jia@example.net"}));
  EXPECT_EQ(e->amount, 120);
  EXPECT_EQ(e->depth, 0);
  EXPECT_EQ(e->scopes, (std::vector<std::string>{"*@example.org"}));
  EXPECT_EQ(e->created, 1764000000);
  EXPECT_EQ(e->expires, 1795536000);
  EXPECT_EQ(e->comment, "met in person at FOSDEM");
  EXPECT_EQ(serialize(*e), kFull);
}

TEST(EndorsementText, MinimalHasNoOptionalFields) {
  auto e = parse_endorsement(kMinimal);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_FALSE(e->person);
  EXPECT_TRUE(e->emails.empty());
  EXPECT_TRUE(e->scopes.empty());
  EXPECT_FALSE(e->expires);
  EXPECT_FALSE(e->comment);
  EXPECT_EQ(e->amount, 60);
  EXPECT_EQ(e->depth, 2);
  EXPECT_EQ(serialize(*e), kMinimal);
}

TEST(EndorsementText, EveryFieldCombinationRoundTrips) {
  int count = 0;
  for (int person = 0; person < 2; ++person)
    for (int emails = 0; emails < 3; ++emails)
      for (int scopes = 0; scopes < 3; ++scopes)
        for (int expires = 0; expires < 2; ++expires)
          for (int comment = 0; comment < 2; ++comment)
            for (int bounds = 0; bounds < 2; ++bounds) {
              Endorsement e;
              e.issuer = *KeyId::parse(bounds ? kTarget : kIssuer);
              e.target = *KeyId::parse(bounds ? kIssuer : kTarget);
              if (person) e.person = "jia.tan_2-x";
              for (int i = 0; i < emails; ++i) e.emails.push_back("p" + std::to_string(i) + "@example.org");
              for (int i = 0; i < scopes; ++i) e.scopes.push_back("*@" + std::to_string(i) + ".example.org");
              e.amount = bounds ? 0 : 120;
              e.depth = bounds ? 255 : 0;
              e.created = bounds ? 0 : 1764000000;
              if (expires) e.expires = bounds ? 1 : 9223372036854775807;
              if (comment) e.comment = "vu en personne \xC3\xA0 Bruxelles \xE2\x9C\x93  twice";
              auto text = serialize_checked(e);
              ASSERT_TRUE(text.ok()) << text.error().message;
              auto back = parse_endorsement(*text);
              ASSERT_TRUE(back.ok()) << back.error().message << "\n" << *text;
              EXPECT_EQ(serialize(*back), *text);
              EXPECT_EQ(back->person, e.person);
              EXPECT_EQ(back->emails, e.emails);
              EXPECT_EQ(back->scopes, e.scopes);
              EXPECT_EQ(back->expires, e.expires);
              EXPECT_EQ(back->comment, e.comment);
              EXPECT_EQ(back->amount, e.amount);
              EXPECT_EQ(back->depth, e.depth);
              EXPECT_EQ(back->created, e.created);
              EXPECT_EQ(back->issuer, e.issuer);
              ++count;
            }
  EXPECT_EQ(count, 144);
}

TEST(EndorsementText, MalformedCasesNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "statement:1: expected \"vouch endorsement v1\", found end of statement"},
      {"vouch endorsement v2\n", "statement:1: expected \"vouch endorsement v1\", found \"vouch endorsement v2\""},
      {"vouch revocation v1\n", "statement:1: expected \"vouch endorsement v1\", found \"vouch revocation v1\""},
      {"vouch endorsement v1", "statement:1: missing newline at end of statement"},
      {with_line(3, "person jia\n"), "statement:3: expected \"target\", found \"person\""},
      {with_line(4, "nickname jia\n"), "statement:4: unknown field \"nickname\""},
      {with_line(4, "person jia\nperson tan\n"), "statement:5: duplicate \"person\""},
      {with_line(4, "person jia\r\n"), "statement:4: carriage return (lines must end with LF alone)"},
      {with_line(4, "person jia \n"), "statement:4: trailing space"},
      {with_line(4, "person  jia\n"), "statement:4: more than one space after \"person\""},
      {with_line(4, "person\n"), "statement:4: \"person\" has no value"},
      {with_line(4, "\n"), "statement:4: blank line"},
      {with_line(7, ""), "statement:7: expected \"amount\", found \"depth\""},
      {with_line(7, "amount 121\n"), "statement:7: amount 121 is out of range 0..120"},
      {with_line(7, "amount 012\n"), "statement:7: amount \"012\" has a leading zero"},
      {with_line(7, "amount +12\n"), "statement:7: amount \"+12\" is not a decimal number"},
      {with_line(8, "depth 256\n"), "statement:8: depth 256 is out of range 0..255"},
      {with_line(10, "created -1\n"), "statement:10: created \"-1\" is not a decimal number"},
      {with_line(10, "created 99999999999999999999\n"), "statement:10: created \"99999999999999999999\" is too large"},
      {with_line(11, "expires 1764000000\n"), "statement:11: expires 1764000000 is not after created 1764000000"},
      {with_line(2, "issuer openpgp:3690c240ce51b4670d30ad1c38ee757d69184620\n"),
       "statement:2: issuer \"openpgp:3690c240ce51b4670d30ad1c38ee757d69184620\" is not a canonical key id "
       "(openpgp:<UPPER-CASE HEX> or ssh:SHA256:<43 base64>)"},
      {with_line(2, "issuer 3690C240CE51B4670D30AD1C38EE757D69184620\n"),
       "statement:2: issuer \"3690C240CE51B4670D30AD1C38EE757D69184620\" is not a canonical key id "
       "(openpgp:<UPPER-CASE HEX> or ssh:SHA256:<43 base64>)"},
      {with_line(3, "target SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\n"),
       "statement:3: target \"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s\" is not a canonical key id "
       "(openpgp:<UPPER-CASE HEX> or ssh:SHA256:<43 base64>)"},
      {with_line(4, "person Jia\n"), "statement:4: person \"Jia\" must match [a-z0-9._-]+"},
      {with_line(5, "email jia at example.org\n"), "statement:5: email \"jia at example.org\" contains a space"},
      {with_line(9, "scope * @example.org\n"), "statement:9: scope \"* @example.org\" contains a space"},
      {with_line(12, "comment met\tin person\n"), "statement:12: control character 0x09"},
      {with_line(12, "comment caf\xC3\n"), "statement:12: invalid UTF-8"},
      {with_line(12, "comment caf\xC0\xA9\n"), "statement:12: invalid UTF-8"},
      {with_line(12, "comment evil \xE2\x80\xAEgro.elpmaxe\n"),
       "statement:12: control or invisible formatting character U+202E"},
      {with_line(12, "comment a\x7f\n"), "statement:12: control character 0x7F"},
      {with_line(12, "comment no newline"), "statement:12: missing newline at end of statement"},
      {kFull + "email late@example.org\n", "statement:13: expected end of statement, found \"email\""},
      {kFull + "comment again\n", "statement:13: duplicate \"comment\""},
      {with_line(8, "depth 0\nemail late@example.org\n"), "statement:9: expected \"created\", found \"email\""},
      {with_line(10, "expires 1795536000\ncreated 1764000000\n"),
       "statement:10: expected \"created\", found \"expires\""},
      {"vouch endorsement v1\nissuer " + kIssuer + "\ntarget " + kTarget + "\n",
       "statement:4: expected \"amount\", found end of statement"},
      {kFull + "\n", "statement:13: blank line"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(error_of(text), message) << text;
}

TEST(EndorsementText, RefusesOversizedText) {
  std::string big = kMinimal + "comment " + std::string(statement::kMaxStatementSize, 'x') + "\n";
  EXPECT_EQ(error_of(big), "statement: longer than 65536 bytes");
}

TEST(EndorsementText, SerializeCheckedRefusesUnrepresentableValues) {
  auto e = *parse_endorsement(kFull);
  e.amount = 121;
  auto r = serialize_checked(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "statement:7: amount 121 is out of range 0..120");

  e = *parse_endorsement(kFull);
  e.person = "jia\nemail forged@example.org";  // would inject a field
  r = serialize_checked(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "endorsement: a value holds a line break");

  e = *parse_endorsement(kFull);
  e.comment = "";
  r = serialize_checked(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "statement:12: trailing space");
}

TEST(RevocationText, RoundTripsWithAndWithoutComment) {
  auto r = parse_revocation(kRevocation);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->key.str(), kTarget);
  EXPECT_EQ(r->reason, RevocationReason::compromised);
  EXPECT_EQ(r->created, 1764000000);
  EXPECT_EQ(r->comment, "key found on a stolen laptop");
  EXPECT_EQ(serialize(*r), kRevocation);

  for (auto reason : {RevocationReason::compromised, RevocationReason::superseded, RevocationReason::retired,
                      RevocationReason::unspecified}) {
    RevocationStatement s{*KeyId::parse(kIssuer), reason, 5, std::nullopt};
    auto text = serialize_checked(s);
    ASSERT_TRUE(text.ok()) << text.error().message;
    EXPECT_EQ(*text, "vouch revocation v1\nkey " + kIssuer + "\nreason " + std::string(to_string(reason)) +
                         "\ncreated 5\n");
    auto back = parse_revocation(*text);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->reason, reason);
    EXPECT_EQ(serialize(*back), *text);
  }
}

TEST(RevocationText, MalformedCases) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"vouch revocation v1\nkey " + kTarget + "\nreason lost\ncreated 1\n",
       "statement:3: unknown reason \"lost\" (compromised, superseded, retired or unspecified)"},
      {"vouch revocation v1\nkey " + kTarget + "\ncreated 1\n", "statement:3: expected \"reason\", found \"created\""},
      {"vouch revocation v1\nkey " + kTarget + "\nreason retired\n",
       "statement:4: expected \"created\", found end of statement"},
      {"vouch revocation v1\nkey " + kTarget + "\nreason retired\ncreated 1\nexpires 2\n",
       "statement:5: unknown field \"expires\""},
      {"vouch endorsement v1\n", "statement:1: expected \"vouch revocation v1\", found \"vouch endorsement v1\""},
  };
  for (const auto& [text, message] : cases) {
    auto r = parse_revocation(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().kind, ErrorKind::malformed);
    EXPECT_EQ(r.error().message, message);
  }
}

TEST(TransportLine, RoundTrips) {
  SignedStatement st{"vouch-endorsement", kFull, std::string("\x88\x01\x02 binary\0sig", 15)};
  std::string line = statement::to_transport_line(st);
  EXPECT_EQ(line, "vouch-endorsement v1 " + util::base64_encode(kFull) + " " + util::base64_encode(st.signature));
  auto back = statement::parse_transport_line(line);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->type, st.type);
  EXPECT_EQ(back->text, st.text);
  EXPECT_EQ(back->signature, st.signature);
  EXPECT_EQ(statement::to_transport_line(*back), line);

  SignedStatement rev{"vouch-revocation", kRevocation, "SSHSIG..."};
  auto rback = statement::parse_transport_line(statement::to_transport_line(rev));
  ASSERT_TRUE(rback.ok()) << rback.error().message;
  EXPECT_EQ(rback->text, kRevocation);

  // Approvals come later; their type is already accepted.
  SignedStatement appr{"vouch-approval", "vouch approval v1\nobject 5c2a\n", "sig"};
  EXPECT_TRUE(statement::parse_transport_line(statement::to_transport_line(appr)).ok());
}

TEST(TransportLine, MalformedCases) {
  const std::string t = util::base64_encode(kFull);
  const std::string s = util::base64_encode("signature");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"vouch-endorsement v1 " + t, "expected 4 fields (type, version, statement, signature), found 3"},
      {"vouch-endorsement v1 " + t + " " + s + " extra",
       "expected 4 fields (type, version, statement, signature), found more"},
      {"vouch-endorsement v1  " + t + " " + s, "fields must be separated by single spaces"},
      {"vouch-endorsement v1 " + t + " " + s + " ", "fields must be separated by single spaces"},
      {"vouch-endorsement v1 " + t + " " + s + "\n", "contains a line break"},
      {"", "fields must be separated by single spaces"},
      {"vouch-endorse v1 " + t + " " + s, "unknown type \"vouch-endorse\""},
      {"vouch-endorsement v2 " + t + " " + s, "unsupported version \"v2\" (expected \"v1\")"},
      {"vouch-endorsement v1 " + t.substr(0, t.size() - 1) + " " + s, "the statement is not valid base64"},
      {"vouch-endorsement v1 " + t + " c2lnbmF0dXJlIQ", "the signature is not valid base64"},
      {"vouch-endorsement v1 " + t + " sig!", "the signature is not valid base64"},
      {"vouch-revocation v1 " + t + " " + s,
       "a vouch-revocation line must carry a \"vouch revocation v1\" statement, found \"vouch endorsement v1\""},
      {"vouch-endorsement v1 " + util::base64_encode("vouch endorsement v1") + " " + s,
       "a vouch-endorsement line must carry a \"vouch endorsement v1\" statement, found \"vouch endorsement v1\""},
      {"vouch-approval v1 " + t + " " + s,
       "a vouch-approval line must carry a \"vouch approval v1\" statement, found \"vouch endorsement v1\""},
  };
  for (const auto& [line, message] : cases) {
    auto r = statement::parse_transport_line(line);
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_EQ(r.error().kind, ErrorKind::malformed);
    EXPECT_EQ(r.error().message, "statement line: " + message) << line;
  }
}

TEST(TransportLine, HeaderForType) {
  EXPECT_EQ(statement::header_for_type("vouch-endorsement"), "vouch endorsement v1");
  EXPECT_EQ(statement::header_for_type("vouch-revocation"), "vouch revocation v1");
  EXPECT_EQ(statement::header_for_type("vouch-approval"), "vouch approval v1");
  EXPECT_EQ(statement::header_for_type("vouch-other"), "");
}

}  // namespace
}  // namespace vouch::trust
