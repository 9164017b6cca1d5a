// .vouch/policy.toml parsing and validation: every field, every error with
// its exact file:line:column message, and the implicit policy rule.
#include "policy/policy_parser.h"
#include "policy/path_pattern.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace vouch::policy {
namespace {

constexpr const char* kLasse = "openpgp:3690C240CE51B4670D30AD1C38EE757D69184620";
constexpr const char* kJia = "ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q";

// Ten lines; anything appended starts at line 11.
const std::string kHead = R"(version = 1
serial = 3
[people.lasse]
keys = ["openpgp:3690C240CE51B4670D30AD1C38EE757D69184620"]
[people.jia]
keys = ["ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q"]
[groups]
maintainers = ["lasse", "jia"]
[commits]
require = ["1 of maintainers"]
)";

std::string errors_of(const std::string& text) {
  auto check = check_policy(text, "policy.toml");
  EXPECT_FALSE(check.policy.has_value());
  std::string out;
  for (const auto& e : check.errors) out += (out.empty() ? "" : "\n") + e;
  return out;
}

Policy ok(const std::string& text) {
  auto check = check_policy(text, "policy.toml");
  for (const auto& e : check.errors) ADD_FAILURE() << e;
  return check.policy.value_or(Policy{});
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(PolicyParser, SpecExampleParsesIntoEveryField) {
  auto p = ok(R"(version = 1
serial = 3
repository = "example/xz"
keyring = ".vouch/keys"

[people.lasse]
keys = ["openpgp:3690c240ce51b4670d30ad1c38ee757d69184620"]
[people.jia]
keys = ["ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q"]
[people.sam]
keys = ["ssh:SHA256:AAAb0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q",
        "openpgp:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"]

[groups]
maintainers = ["lasse", "jia"]
security = ["sam"]

[commits]
require = ["1 of maintainers"]

[[rules]]
name = "build-system"
paths = ["configure.ac", "CMakeLists.txt", "m4/**", "build-aux/**", "*.m4", "tests/files/**"]
require = ["2 of maintainers", "1 of security"]
self_approval = false
notify = true

[[rules]]
name = "governance"
paths = [".vouch/**", "SECURITY.md", "LICENSE", "COPYING*"]
require = ["all of maintainers"]

[[tags]]
refs = ["refs/tags/v*"]
require = ["2 of maintainers"]

[trust]
min_amount = 120
min_key_age = "90d"

[refs]
protected = ["refs/heads/main", "refs/tags/*"]
max_clock_skew = "2h"

[release]
archive_may_add = ["configure", "Makefile.in", "aclocal.m4", "build-aux/*"]
)");
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.serial, 3);
  EXPECT_EQ(p.repository, "example/xz");
  EXPECT_EQ(p.keyring, ".vouch/keys");
  ASSERT_EQ(p.people.size(), 3u);
  EXPECT_EQ(p.people.at("lasse").keys.at(0).str(), kLasse);  // canonical upper-case
  EXPECT_EQ(p.people.at("lasse").pos.line, 6);
  EXPECT_EQ(p.people.at("lasse").pos.column, 9);
  ASSERT_EQ(p.people.at("sam").keys.size(), 2u);
  EXPECT_EQ(p.people.at("sam").keys[1].kind, KeyKind::openpgp);
  EXPECT_EQ(p.groups.at("maintainers"), (std::vector<std::string>{"lasse", "jia"}));
  ASSERT_EQ(p.commit_require.size(), 1u);
  EXPECT_EQ(p.commit_require[0].text(), "1 of maintainers");
  EXPECT_EQ(p.commit_require[0].pos.line, 19);
  EXPECT_EQ(p.commit_require[0].pos.column, 12);
  ASSERT_EQ(p.rules.size(), 2u);  // governance covers .vouch/**: no implicit rule
  const Rule& build = p.rules[0];
  EXPECT_EQ(build.name, "build-system");
  EXPECT_EQ(build.paths.size(), 6u);
  EXPECT_FALSE(build.self_approval);
  EXPECT_TRUE(build.notify);
  EXPECT_FALSE(build.implicit);
  EXPECT_EQ(build.pos.line, 21);
  ASSERT_EQ(build.require.size(), 2u);
  EXPECT_EQ(build.require[1].group, "security");
  EXPECT_EQ(build.require[1].count, 1);
  const Rule& gov = p.rules[1];
  EXPECT_TRUE(gov.self_approval);
  EXPECT_FALSE(gov.notify);
  ASSERT_EQ(gov.require.size(), 1u);
  EXPECT_TRUE(gov.require[0].all);
  EXPECT_EQ(gov.require[0].count, 2);
  EXPECT_EQ(gov.require[0].text(), "all of maintainers");
  ASSERT_EQ(p.tags.size(), 1u);
  EXPECT_EQ(p.tags[0].refs, (std::vector<std::string>{"refs/tags/v*"}));
  EXPECT_EQ(p.tags[0].require[0].count, 2);
  EXPECT_EQ(p.min_amount, 120);
  EXPECT_EQ(p.min_key_age, 90 * 86400);
  EXPECT_EQ(p.protected_refs, (std::vector<std::string>{"refs/heads/main", "refs/tags/*"}));
  EXPECT_EQ(p.max_clock_skew, 7200);
  EXPECT_EQ(p.archive_may_add.size(), 4u);

  EXPECT_EQ(p.person_of(*KeyId::parse(kJia)), "jia");
  EXPECT_EQ(p.person_of(*KeyId::parse("openpgp:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")), "sam");
  EXPECT_EQ(p.person_of(*KeyId::parse("ssh:SHA256:ZZZZb0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q")), std::nullopt);
  EXPECT_EQ(p.all_keys().size(), 4u);
}

TEST(PolicyParser, DefaultsAndImplicitPolicyRule) {
  auto p = ok(kHead);
  EXPECT_FALSE(p.repository.has_value());
  EXPECT_EQ(p.keyring, ".vouch/keys");
  EXPECT_EQ(p.max_clock_skew, 86400);
  EXPECT_FALSE(p.min_amount.has_value());
  ASSERT_EQ(p.rules.size(), 1u);
  const Rule& r = p.rules[0];
  EXPECT_EQ(r.name, "policy");
  EXPECT_TRUE(r.implicit);
  EXPECT_EQ(r.paths, (std::vector<std::string>{".vouch/policy.toml", ".vouch/keys/**"}));
  ASSERT_EQ(r.require.size(), 1u);
  EXPECT_EQ(r.require[0].text(), "all of maintainers");
  EXPECT_EQ(r.require[0].count, 2);
}

TEST(PolicyParser, ImplicitRuleRequiresAllOfEveryGroup) {
  auto p = ok(replace(kHead, "maintainers = [\"lasse\", \"jia\"]",
                      "maintainers = [\"lasse\", \"jia\"]\nsecurity = [\"jia\"]\nunused = [\"lasse\"]"));
  const Rule& r = p.rules.back();
  ASSERT_TRUE(r.implicit);
  ASSERT_EQ(r.require.size(), 3u);
  EXPECT_EQ(r.require[0].text(), "all of maintainers");
  EXPECT_EQ(r.require[1].text(), "all of security");
  EXPECT_EQ(r.require[2].text(), "all of unused");
}

TEST(PolicyParser, ImplicitRuleCoversOnlyWhatNoRuleCovers) {
  const std::string rule = "[[rules]]\nname = \"gov\"\nrequire = [\"2 of maintainers\"]\npaths = ";
  // The policy file is covered, the keyring is not.
  auto p = ok(kHead + rule + "[\".vouch/policy.toml\"]\n");
  ASSERT_EQ(p.rules.size(), 2u);
  EXPECT_EQ(p.rules[1].paths, (std::vector<std::string>{".vouch/keys/**"}));
  // Both covered, by a pattern written in another case.
  EXPECT_EQ(ok(kHead + rule + "[\".VOUCH/\"]\n").rules.size(), 1u);
  // Only some keyring files covered: the implicit rule still guards the directory.
  p = ok(kHead + rule + "[\".vouch/policy.toml\", \".vouch/keys/*.asc\"]\n");
  EXPECT_EQ(p.rules.back().paths, (std::vector<std::string>{".vouch/keys/**"}));
  // A class leaves names open (a key file "0evil.asc"): sample names would
  // have judged it covered (found by an attack on the implicit rule). Two
  // patterns that only together cover every name do not count either.
  p = ok(kHead + rule + "[\".vouch/policy.toml\", \".vouch/keys/[a-z]*\"]\n");
  EXPECT_EQ(p.rules.back().paths, (std::vector<std::string>{".vouch/keys/**"}));
  p = ok(kHead + rule + "[\".vouch/policy.toml\", \".vouch/keys/[a-z]*\", \".vouch/keys/[!a-z]*\"]\n");
  EXPECT_EQ(p.rules.back().paths, (std::vector<std::string>{".vouch/keys/**"}));
  // One pattern covering every name: the directory itself, a bare `*` below it, a name at any depth.
  for (const char* covering :
       {"\".vouch/keys\"", "\".vouch/keys/*\"", "\".vouch/*/*/\"", "\"keys\"", "\"**/keys/**\"", "\"**\""})
    EXPECT_EQ(ok(kHead + rule + "[\".vouch/policy.toml\", " + covering + "]\n").rules.size(), 1u) << covering;
  // A custom keyring outside .vouch.
  p = ok("keyring = \"keys/\"\n" + kHead + rule + "[\".vouch/**\"]\n");
  EXPECT_EQ(p.keyring, "keys");
  EXPECT_EQ(p.rules.back().paths, (std::vector<std::string>{"keys/**"}));
}

// A keyring directory named with glob characters is protected as that
// directory: as a glob, "keys[1]" would guard "keys1" and leave the real
// keyring open (found by fuzz/fuzz_policy).
TEST(PolicyParser, ImplicitRuleProtectsAKeyringNamedLikeAGlobLiterally) {
  const std::string rule = "[[rules]]\nname = \"gov\"\nrequire = [\"2 of maintainers\"]\npaths = ";
  auto p = ok("keyring = \"ci/keys[1]*?\"\n" + kHead + rule + "[\".vouch/**\"]\n");
  EXPECT_EQ(p.keyring, "ci/keys[1]*?");
  ASSERT_EQ(p.rules.back().paths, (std::vector<std::string>{"ci/keys\\[1\\]\\*\\?/**"}));
  auto pattern = PathPattern::compile(p.rules.back().paths[0]);
  ASSERT_TRUE(pattern.ok()) << pattern.error().message;
  EXPECT_TRUE(pattern->matches("ci/keys[1]*?/m.pub"));
  EXPECT_FALSE(pattern->matches("ci/keys1x/m.pub"));
  p = ok("keyring = \"k[\"\n" + kHead);  // unclosed as a glob, fine as a name
  ASSERT_EQ(p.rules.back().paths, (std::vector<std::string>{".vouch/policy.toml", "k\\[/**"}));
  EXPECT_TRUE(PathPattern::compile(p.rules.back().paths[1]).ok());
}

TEST(PolicyParser, RuleNamedPolicyThatDoesNotCoverThePolicyIsAnError) {
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"policy\"\npaths = [\"src/**\"]\nrequire = [\"1 of maintainers\"]\n"),
            "policy.toml:11:1: rule name \"policy\" is reserved for the implicit rule that protects "
            ".vouch/policy.toml, which this rule does not cover");
  EXPECT_EQ(ok(kHead + "[[rules]]\nname = \"policy\"\npaths = [\".vouch/\"]\nrequire = [\"1 of maintainers\"]\n").rules.size(), 1u);
}

TEST(PolicyParser, UnknownFieldWithSuggestion) {
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\"]\nrequire = [\"1 of maintainers\"]\nself_aproval = false\n"),
            "policy.toml:15:1: unknown field \"self_aproval\" in [[rules]] (did you mean \"self_approval\"?)");
  EXPECT_EQ(errors_of(kHead + "[trust]\nmin_amont = 3\n"),
            "policy.toml:12:1: unknown field \"min_amont\" in [trust] (did you mean \"min_amount\"?)");
  EXPECT_EQ(errors_of(replace(kHead, "keys = [\"ssh", "key = [\"ssh")),
            "policy.toml:5:9: person \"jia\" has no keys (add keys = [\"openpgp:<fingerprint>\"] or [\"ssh:SHA256:...\"])\n"
            "policy.toml:6:1: unknown field \"key\" in [people.jia] (did you mean \"keys\"?)");
  EXPECT_EQ(errors_of("serail = 4\n" + kHead), "policy.toml:1:1: unknown field \"serail\" (did you mean \"serial\"?)");
  EXPECT_EQ(errors_of(kHead + "[rule]\nname = \"x\"\n"), "policy.toml:11:2: unknown table [rule] (did you mean \"rules\"?)");
  EXPECT_EQ(errors_of(kHead + "[whatever]\n"), "policy.toml:11:2: unknown table [whatever]");
}

TEST(PolicyParser, UnknownGroupWithSuggestion) {
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\"]\nrequire = [\"1 of maintainer\"]\n"),
            "policy.toml:14:12: unknown group \"maintainer\" (did you mean \"maintainers\"?)");
  EXPECT_EQ(errors_of(replace(kHead, "1 of maintainers", "1 of committers")), "policy.toml:10:12: unknown group \"committers\"");
}

TEST(PolicyParser, UnknownOrRepeatedPersonInGroup) {
  EXPECT_EQ(errors_of(replace(kHead, "\"lasse\", \"jia\"]", "\"lasse\", \"jai\"]")),
            "policy.toml:8:25: unknown person \"jai\" in group \"maintainers\" (did you mean \"jia\"?)");
  EXPECT_EQ(errors_of(replace(kHead, "\"lasse\", \"jia\"]", "\"lasse\", \"lasse\"]")),
            "policy.toml:8:25: person \"lasse\" is listed twice in group \"maintainers\"");
  EXPECT_EQ(errors_of(replace(kHead, "[\"lasse\", \"jia\"]", "[]")),
            "policy.toml:8:15: group \"maintainers\" is empty\n"
            "policy.toml:10:12: requirement \"1 of maintainers\" cannot be met: group \"maintainers\" has 0 people");
}

TEST(PolicyParser, RequirementsThatCannotBeMetOrDoNotParse) {
  EXPECT_EQ(errors_of(replace(kHead, "1 of maintainers", "3 of maintainers")),
            "policy.toml:10:12: requirement \"3 of maintainers\" cannot be met: group \"maintainers\" has 2 people");
  const std::string expected_shape = ": expected \"<N> of <group>\" or \"all of <group>\"";
  for (std::string bad : {"two of maintainers", "1 maintainers", "1 of", "", "1 of maintainers please", "-1 of maintainers",
                          "All of maintainers", "1000000 of maintainers", "1 from maintainers"})
    EXPECT_EQ(errors_of(replace(kHead, "\"1 of maintainers\"", "\"" + bad + "\"")),
              "policy.toml:10:12: malformed requirement \"" + bad + "\"" + expected_shape);
  EXPECT_EQ(errors_of(replace(kHead, "1 of maintainers", "0 of maintainers")),
            "policy.toml:10:12: requirement \"0 of maintainers\" asks for nobody: N must be at least 1");
  EXPECT_EQ(errors_of(replace(kHead, "\"1 of maintainers\"", "\"1 of maintainers\", \"2 of maintainers\"")),
            "policy.toml:10:32: group \"maintainers\" appears twice in \"require\" of [commits]: merge them into one requirement");
  EXPECT_EQ(errors_of(replace(kHead, "[\"1 of maintainers\"]", "[]")),
            "policy.toml:10:11: \"require\" in [commits] is empty: name at least one requirement such as \"1 of maintainers\"");
  EXPECT_EQ(errors_of(replace(kHead, "require = [\"1 of maintainers\"]", "")),
            "policy.toml:9:1: [commits] has no \"require\" (add require = [\"1 of <group>\"])");
  // Extra spaces are fine.
  EXPECT_EQ(ok(replace(kHead, "1 of maintainers", " 2  of\tmaintainers ")).commit_require[0].count, 2);
}

TEST(PolicyParser, DuplicatePeopleAndKeys) {
  EXPECT_EQ(errors_of(kHead + "[people.jia]\nkeys = [\"openpgp:0000000000000000000000000000000000000001\"]\n"),
            "policy.toml:11:1: duplicate person \"jia\": [people.jia] appears twice");
  EXPECT_EQ(errors_of(kHead + "[people.bob]\nkeys = [\"openpgp:3690c240ce51b4670d30ad1c38ee757d69184620\"]\n"),
            "policy.toml:12:9: key openpgp:3690C240CE51B4670D30AD1C38EE757D69184620 already belongs to person \"lasse\": "
            "a key may belong to one person only");
  EXPECT_EQ(errors_of(kHead + "[people.bob]\nkeys = [\"" + std::string(kJia) + "\", \"" + kJia + "\"]\n"),
            "policy.toml:12:9: key " + std::string(kJia) + " already belongs to person \"jia\": a key may belong to one person only\n"
            "policy.toml:12:67: key " + std::string(kJia) + " already belongs to person \"jia\": a key may belong to one person only");
  EXPECT_EQ(errors_of(replace(kHead, "t1Q\"]", "t1Q\", \"" + std::string(kJia) + "\"]")),
            "policy.toml:6:67: key " + std::string(kJia) + " is listed twice for person \"jia\"");
}

TEST(PolicyParser, PersonWithoutKeys) {
  EXPECT_EQ(errors_of(kHead + "[people.bob]\nkeys = []\n"),
            "policy.toml:12:8: person \"bob\" has no keys (add keys = [\"openpgp:<fingerprint>\"] or [\"ssh:SHA256:...\"])");
  EXPECT_EQ(errors_of(kHead + "[people.bob]\n"),
            "policy.toml:11:9: person \"bob\" has no keys (add keys = [\"openpgp:<fingerprint>\"] or [\"ssh:SHA256:...\"])");
  EXPECT_EQ(errors_of(kHead + "[people]\nbob = [\"x\"]\n"),
            "policy.toml:12:7: person \"bob\" must be a table: write [people.bob] with keys = [...]");
}

TEST(PolicyParser, KeyIdForms) {
  const std::string shape = ": expected \"openpgp:\" and 40 or 64 hex digits, or \"ssh:SHA256:\" and 43 base64 characters";
  for (std::string bad : {"openpgp:3690C240", "openpgp:ZZ90C240CE51B4670D30AD1C38EE757D69184620", "ssh:SHA256:short",
                          "ssh:MD5:aa:bb", "gpg:3690C240CE51B4670D30AD1C38EE757D69184620", ""})
    EXPECT_EQ(errors_of(replace(kHead, kLasse, bad)), "policy.toml:4:9: malformed key id \"" + bad + "\"" + shape);
  EXPECT_EQ(errors_of(replace(kHead, kLasse, "3690C240CE51B4670D30AD1C38EE757D69184620")),
            "policy.toml:4:9: key id \"3690C240CE51B4670D30AD1C38EE757D69184620\" needs its kind: write \"" + std::string(kLasse) + "\"");
  EXPECT_EQ(errors_of(replace(kHead, kJia, "SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q")),
            "policy.toml:6:9: key id \"SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q\" needs its kind: write \"" +
                std::string(kJia) + "\"");
}

TEST(PolicyParser, RuleShapeErrors) {
  const std::string req = "require = [\"1 of maintainers\"]\n";
  EXPECT_EQ(errors_of(kHead + "[[rules]]\npaths = [\"x\"]\n" + req),
            "policy.toml:11:1: rule without a name: add name = \"...\" to this [[rules]] entry");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = []\n" + req),
            "policy.toml:13:9: \"paths\" of rule \"a\" is empty: a rule must name at least one path pattern");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\n" + req),
            "policy.toml:11:1: rule \"a\" has no \"paths\" (add paths = [\"...\"])");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\"]\n"),
            "policy.toml:11:1: rule \"a\" has no \"require\" (add require = [\"1 of <group>\"])");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\"]\n" + req + "[[rules]]\nname = \"a\"\npaths = [\"y\"]\n" + req),
            "policy.toml:16:8: duplicate rule name \"a\" (first used at line 12)");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = \"m4/**\"\n" + req),
            "policy.toml:13:9: \"paths\" of rule \"a\" must be a list of strings, not a string (write [\"...\"])");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\", 3]\n" + req),
            "policy.toml:13:15: \"paths\" of rule \"a\" must be a list of strings; this element is an integer");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"m4[\"]\n" + req),
            "policy.toml:13:10: path pattern \"m4[\": unclosed \"[\"");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = \"a\"\npaths = [\"x\"]\n" + req + "self_approval = \"no\"\n"),
            "policy.toml:15:17: \"self_approval\" of rule \"a\" must be true or false, not a string");
  EXPECT_EQ(errors_of(kHead + "[rules]\nname = \"a\"\n"),
            "policy.toml:11:1: \"rules\" must be a list of tables: write each rule as [[rules]]");
  EXPECT_EQ(errors_of("rules = [1]\n" + kHead),
            "policy.toml:1:10: each entry of \"rules\" must be a table ([[rules]]), not an integer");
  EXPECT_EQ(errors_of(kHead + "[[rules]]\nname = 5\npaths = [\"x\"]\n" + req),
            "policy.toml:12:8: \"name\" of a rule must be a string, not an integer");
}

TEST(PolicyParser, HeaderFields) {
  EXPECT_EQ(errors_of(replace(kHead, "version = 1", "version = 2")),
            "policy.toml:1:11: unsupported policy version 2 (this vouch reads version = 1)");
  EXPECT_EQ(errors_of(replace(kHead, "version = 1", "version = \"1\"")),
            "policy.toml:1:11: \"version\" must be an integer, not a string");
  EXPECT_EQ(errors_of(replace(kHead, "version = 1", "")), "policy.toml:1:1: missing \"version = 1\" at the top of the policy");
  EXPECT_EQ(errors_of(replace(kHead, "serial = 3", "serial = -1")), "policy.toml:2:10: \"serial\" must be 0 or more, not -1");
  EXPECT_EQ(errors_of(replace(kHead, "serial = 3", "serial = 3.5")), "policy.toml:2:10: \"serial\" must be an integer, not a float");
  EXPECT_EQ(errors_of(replace(kHead, "serial = 3", "")),
            "policy.toml:1:1: missing \"serial\" (an integer that grows with every change to the policy, e.g. serial = 1)");
  EXPECT_EQ(ok(replace(kHead, "serial = 3", "serial = 0")).serial, 0);
  EXPECT_EQ(errors_of("repository = \"a b\"\n" + kHead),
            "policy.toml:1:14: \"repository\" must be one word of printable characters (like \"example/xz\")");
  EXPECT_EQ(errors_of("repository = [\"a\"]\n" + kHead), "policy.toml:1:14: \"repository\" must be a string, not a list");
}

TEST(PolicyParser, KeyringMustStayInsideTheRepository) {
  for (std::string bad : {"../keys", "/etc/keys", "a/../b", "", "./keys", "a//b", "."})
    EXPECT_EQ(errors_of("keyring = \"" + bad + "\"\n" + kHead),
              "policy.toml:1:11: \"keyring\" \"" + bad +
                  "\" must be a relative path inside the repository, without \".\", \"..\" or empty segments (like \".vouch/keys\")");
  EXPECT_EQ(ok("keyring = \"ci/keys/\"\n" + kHead).keyring, "ci/keys");
}

TEST(PolicyParser, MissingSections) {
  EXPECT_EQ(errors_of("version = 1\nserial = 1\n"),
            "policy.toml:1:1: no [people.NAME] tables: a policy needs at least one person with keys\n"
            "policy.toml:1:1: no [groups]: requirements name groups of people (add [groups] maintainers = [...])\n"
            "policy.toml:1:1: missing [commits]: every policy needs [commits] with require = [\"1 of <group>\"]");
  EXPECT_EQ(errors_of(kHead + "[trust]\nmin_key_age = \"90d\"\n"),
            "policy.toml:12:15: \"min_key_age\" needs \"min_amount\" in [trust]: it limits which endorsements count toward it");
  EXPECT_EQ(errors_of("commits = 1\n" + replace(kHead, "[commits]\nrequire = [\"1 of maintainers\"]\n", "[x]\n")),
            "policy.toml:1:11: \"commits\" must be a table, not an integer (write [commits] with require = [...])\n"
            "policy.toml:10:2: unknown table [x]");
}

TEST(PolicyParser, TrustRefsRelease) {
  EXPECT_EQ(errors_of(kHead + "[trust]\nmin_amount = -1\n"),
            "policy.toml:12:14: \"min_amount\" must be between 0 and 1000000 (120 is full trust)");
  EXPECT_EQ(errors_of(kHead + "[trust]\nmin_amount = 60\nmin_key_age = \"90 days\"\n"),
            "policy.toml:13:15: \"min_key_age\" must be a duration like \"90d\" (a number and one of s, m, h, d, w, y), not \"90 days\"");
  EXPECT_EQ(errors_of(kHead + "[refs]\nmax_clock_skew = 86400\n"),
            "policy.toml:12:18: \"max_clock_skew\" must be a duration like \"90d\" (a number and one of s, m, h, d, w, y), not an integer");
  EXPECT_EQ(errors_of(kHead + "[refs]\nmax_clock_skew = \"0s\"\n"), "policy.toml:12:18: \"max_clock_skew\" must be more than 0");
  EXPECT_EQ(errors_of(kHead + "[refs]\nprotected = [\"main\"]\n"),
            "policy.toml:12:14: ref pattern \"main\" must start with \"refs/\" (like \"refs/tags/v*\")");
  EXPECT_EQ(errors_of(kHead + "[release]\narchive_may_add = [\"a//b\"]\n"),
            "policy.toml:12:20: path pattern \"a//b\": empty path segment (\"//\")");
  auto p = ok(kHead + "[trust]\nmin_amount = 0\n[refs]\nmax_clock_skew = \"30m\"\n");
  EXPECT_EQ(p.min_amount, 0);
  EXPECT_EQ(p.max_clock_skew, 1800);
}

TEST(PolicyParser, TagRules) {
  EXPECT_EQ(errors_of(kHead + "[[tags]]\nrefs = [\"v*\"]\nrequire = [\"2 of maintainers\"]\n"),
            "policy.toml:12:9: ref pattern \"v*\" must start with \"refs/\" (like \"refs/tags/v*\")");
  EXPECT_EQ(errors_of(kHead + "[[tags]]\nrequire = [\"2 of maintainers\"]\n"),
            "policy.toml:11:1: [[tags]] at line 11 has no \"refs\" (add refs = [\"refs/tags/v*\"])");
  EXPECT_EQ(errors_of(kHead + "[[tags]]\nrefs = [\"refs/tags/*\"]\nrequire = [\"3 of maintainers\"]\n"),
            "policy.toml:13:12: requirement \"3 of maintainers\" cannot be met: group \"maintainers\" has 2 people");
  EXPECT_EQ(errors_of(kHead + "[[tags]]\nrefs = [\"refs/tags/*\"]\nrequire = [\"1 of maintainers\"]\nref = 1\n"),
            "policy.toml:14:1: unknown field \"ref\" in [[tags]] (did you mean \"refs\"?)");
}

TEST(PolicyParser, InvalidToml) {
  EXPECT_EQ(errors_of("version = \n"),
            "policy.toml:1:11: invalid TOML: Error while parsing key-value pair: expected value, saw '\\n'");
  auto bytes = errors_of("version = 1\nrepository = \"\xff\"\n");
  EXPECT_EQ(bytes, "policy.toml:2:14: invalid TOML: Encountered invalid utf-8 sequence");
  EXPECT_EQ(errors_of("serial = 4\n" + kHead),
            "policy.toml:3:10: invalid TOML: Error while parsing key-value pair: cannot redefine existing integer 'serial'");
}

TEST(PolicyParser, ReportsEveryErrorInFileOrder) {
  auto check = check_policy(replace(replace(kHead, "version = 1", "version = 7"), "\"lasse\", \"jia\"]", "\"lasse\", \"jai\"]") +
                                "[[rules]]\nname = \"a\"\npaths = [\"x\"]\nrequire = [\"9 of maintainers\"]\n",
                            "x/policy.toml");
  ASSERT_EQ(check.errors.size(), 3u);
  EXPECT_EQ(check.errors[0], "x/policy.toml:1:11: unsupported policy version 7 (this vouch reads version = 1)");
  EXPECT_EQ(check.errors[1], "x/policy.toml:8:25: unknown person \"jai\" in group \"maintainers\" (did you mean \"jia\"?)");
  EXPECT_EQ(check.errors[2],
            "x/policy.toml:14:12: requirement \"9 of maintainers\" cannot be met: group \"maintainers\" has 2 people");
}

TEST(PolicyParser, ParsePolicyReturnsTheFirstErrorAsMalformed) {
  auto r = parse_policy(replace(kHead, "version = 1", "version = 2"), "abc123:.vouch/policy.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().message, "abc123:.vouch/policy.toml:1:11: unsupported policy version 2 (this vouch reads version = 1)");
  EXPECT_TRUE(parse_policy(kHead, "p").ok());
}

TEST(PolicyParser, NamesMustBeOneWord) {
  EXPECT_EQ(errors_of(kHead + "[people.\"bob smith\"]\nkeys = [\"openpgp:0000000000000000000000000000000000000001\"]\n"),
            "policy.toml:11:9: person name \"bob smith\" must be one word (no spaces, commas, quotes or control characters)");
  EXPECT_EQ(errors_of(replace(kHead, "maintainers = [", "\"core team\" = [")),
            "policy.toml:8:1: group name \"core team\" must be one word (no spaces, commas, quotes or control characters)\n"
            "policy.toml:10:12: unknown group \"maintainers\"");
}

}  // namespace
}  // namespace vouch::policy

namespace vouch::policy {
namespace {

TEST(PolicyParser, SignaturesReleaseAndUncheckedRefs) {
  Policy p = ok(kHead + R"([refs]
unchecked = ["refs/heads/review/*", "refs/for/*"]
[signatures]
allow_sha1_before = "2017-06-01"
require_user_presence = true
[release]
archive_may_add = ["configure"]
archive_may_change = ["ChangeLog", "po/*.po"]
archive_may_omit = ["**/.gitignore"]
require = ["2 of maintainers"]
self_approval = false
)");
  EXPECT_EQ(p.unchecked_refs, (std::vector<std::string>{"refs/heads/review/*", "refs/for/*"}));
  EXPECT_EQ(p.allow_sha1_before, 1496275200);
  EXPECT_TRUE(p.require_user_presence);
  EXPECT_EQ(p.archive_may_change, (std::vector<std::string>{"ChangeLog", "po/*.po"}));
  EXPECT_EQ(p.archive_may_omit, (std::vector<std::string>{"**/.gitignore"}));
  ASSERT_EQ(p.release_require.size(), 1u);
  EXPECT_EQ(p.release_require[0].text(), "2 of maintainers");
  EXPECT_FALSE(p.release_self_approval);
}

TEST(PolicyParser, SignatureDefaultsAndNever) {
  Policy d = ok(kHead);
  EXPECT_EQ(d.allow_sha1_before, 1359676800);  // 2013-02-01
  EXPECT_FALSE(d.require_user_presence);
  EXPECT_TRUE(d.release_require.empty());
  Policy never = ok(kHead + "[signatures]\nallow_sha1_before = \"never\"\n");
  EXPECT_EQ(never.allow_sha1_before, std::numeric_limits<int64_t>::min());
}

TEST(PolicyParser, SignaturesErrors) {
  EXPECT_EQ(errors_of(kHead + "[signatures]\nallow_sha1_before = \"soon\"\nrequire_user_presence = 1\n"),
            "policy.toml:12:21: \"allow_sha1_before\" must be a date like \"2013-02-01\" or \"never\", not \"soon\"\n"
            "policy.toml:13:25: \"require_user_presence\" in [signatures] must be true or false, not an integer");
  EXPECT_EQ(errors_of(kHead + "[refs]\nunchecked = [\"heads/x\"]\n"),
            "policy.toml:12:14: ref pattern \"heads/x\" must start with \"refs/\" (like \"refs/tags/v*\")");
  EXPECT_EQ(errors_of(kHead + "[release]\nrequire = [\"3 of maintainers\"]\n"),
            "policy.toml:12:12: requirement \"3 of maintainers\" cannot be met: group \"maintainers\" has 2 people");
}

}  // namespace
}  // namespace vouch::policy
