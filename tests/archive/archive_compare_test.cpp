// The comparison rules of archive_compare.h, over hand-made member and tree
// lists (blob ids computed with the same function git uses).
#include "archive/archive_compare.h"

#include <gtest/gtest.h>

namespace vouch::archive {
namespace {

ArchiveMember file(const std::string& path, const std::string& content, uint32_t mode = 0644) {
  return {path, MemberKind::file, mode, content.size(), true, "", blob_oid(content)};
}
ArchiveMember dir(const std::string& path) { return {path, MemberKind::directory, 0755, 0, true, "", ""}; }
ArchiveMember link(const std::string& path, const std::string& target) {
  return {path, MemberKind::symlink, 0777, 0, true, target, blob_oid(target)};
}
ArchiveMember other(const std::string& path, MemberKind kind, const std::string& target = "") {
  return {path, kind, 0644, 0, true, target, ""};
}
git::TreeFile tfile(const std::string& path, const std::string& content, uint32_t mode = 0100644) {
  return {path, blob_oid(content), mode};
}

std::vector<policy::PathPattern> patterns(const std::vector<std::string>& texts) {
  std::vector<policy::PathPattern> out;
  for (const auto& t : texts) out.push_back(*policy::PathPattern::compile(t));
  return out;
}

std::vector<std::string> lines(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& f : c.findings) out.push_back(f.kind + " " + f.path + (f.detail.empty() ? "" : " | " + f.detail));
  return out;
}

const std::vector<git::TreeFile> kTree = {tfile("README", "hello\n"), tfile("src/x.c", "int x;\n"),
                                         tfile("build.sh", "#!/bin/sh\n", 0100755)};

TEST(ArchiveCompare, ExactMatchWithGitArchivePrefix) {
  std::vector<ArchiveMember> m = {dir("p-1.0/"), file("p-1.0/README", "hello\n"), dir("p-1.0/src/"),
                                  file("p-1.0/src/x.c", "int x;\n"), file("p-1.0/build.sh", "#!/bin/sh\n", 0775)};
  auto c = compare_archive(m, kTree, ReleaseRules{});
  EXPECT_EQ(c.prefix, "p-1.0/");
  EXPECT_TRUE(c.notes.empty());
  EXPECT_EQ(c.members, 5u);
  EXPECT_EQ(c.matched, 3u);
  EXPECT_TRUE(c.findings.empty()) << testing::PrintToString(lines(c));
}

TEST(ArchiveCompare, NoCommonDirectoryComparesAsIsAndSaysSo) {
  std::vector<ArchiveMember> m = {file("./README", "hello\n"), file("./src/x.c", "int x;\n"),
                                  file("build.sh", "#!/bin/sh\n", 0755), dir("./")};
  auto c = compare_archive(m, kTree, ReleaseRules{});
  EXPECT_EQ(c.prefix, "");
  EXPECT_EQ(c.notes, std::vector<std::string>{"members do not share one top-level directory; compared as-is"});
  EXPECT_EQ(c.matched, 3u);
  EXPECT_TRUE(c.findings.empty()) << testing::PrintToString(lines(c));
}

TEST(ArchiveCompare, TreeThatLivesInOneDirectoryIsNotStripped) {
  std::vector<git::TreeFile> tree = {tfile("src/a.c", "a"), tfile("src/b.c", "b")};
  std::vector<ArchiveMember> m = {file("src/a.c", "a"), file("src/b.c", "b")};
  auto c = compare_archive(m, tree, ReleaseRules{});
  EXPECT_EQ(c.prefix, "");
  EXPECT_EQ(c.notes, std::vector<std::string>{"top-level directory src/ kept: the tag's tree has it too"});
  EXPECT_EQ(c.matched, 2u);
  EXPECT_TRUE(c.findings.empty());
}

TEST(ArchiveCompare, AddedChangedMissingAndAllowed) {
  std::vector<ArchiveMember> m = {file("p/README", "hello\n"), file("p/src/x.c", "int y;\n"),
                                  file("p/m4/build-to-host.m4", "dnl evil\n"), file("p/configure", "#!/bin/sh\n"),
                                  file("p/build-aux/ltmain.sh", "x"), link("p/build-aux/link", "ltmain.sh")};
  auto c = compare_archive(m, kTree, patterns({"configure", "build-aux/*"}));
  EXPECT_EQ(lines(c), (std::vector<std::string>{"added build-aux/link | symbolic link to ltmain.sh",
                                                "allowed build-aux/ltmain.sh | archive_may_add: build-aux/*",
                                                "missing build.sh",
                                                "allowed configure | archive_may_add: configure",
                                                "added m4/build-to-host.m4",
                                                "changed src/x.c | content differs"}));
  EXPECT_EQ(c.matched, 1u);
}

TEST(ArchiveCompare, MayAddNeverExcusesAChangedFile) {
  std::vector<ArchiveMember> m = {file("p/README", "tampered\n"), file("p/src/x.c", "int x;\n"),
                                  file("p/build.sh", "#!/bin/sh\n", 0755)};
  auto c = compare_archive(m, kTree, patterns({"README", "**"}));
  EXPECT_EQ(lines(c), std::vector<std::string>{"changed README | content differs"});
}

TEST(ArchiveCompare, ExecutableBitAndLinkKindDifferences) {
  std::vector<git::TreeFile> tree = {tfile("build.sh", "#!/bin/sh\n", 0100755), tfile("run", "x"),
                                     tfile("l", "target", 0120000), tfile("l2", "target", 0120000),
                                     tfile("f", "target")};
  std::vector<ArchiveMember> m = {file("build.sh", "#!/bin/sh\n", 0644), file("run", "x", 0755), link("l", "other"),
                                  file("l2", "target"), link("f", "target"), dir("d/")};
  auto c = compare_archive(m, tree, ReleaseRules{});
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "changed build.sh | executable bit differs (archive mode 0644, tree mode 100755)",
                          "changed f | symbolic link to target in the archive, a file in the tree",
                          "changed l | symbolic link target differs (archive: other)",
                          "changed l2 | a file in the archive, a symbolic link in the tree",
                          "changed run | executable bit differs (archive mode 0755, tree mode 100644)"}));
}

TEST(ArchiveCompare, MatchingSymlinkInsideTheTreePasses) {
  std::vector<git::TreeFile> tree = {tfile("lib/a.so.1", "elf"), tfile("lib/a.so", "a.so.1", 0120000),
                                     tfile("docs/up", "../lib/a.so", 0120000)};
  std::vector<ArchiveMember> m = {file("p/lib/a.so.1", "elf"), link("p/lib/a.so", "a.so.1"),
                                  link("p/docs/up", "../lib/a.so")};
  auto c = compare_archive(m, tree, ReleaseRules{});
  EXPECT_EQ(c.matched, 3u);
  EXPECT_TRUE(c.findings.empty()) << testing::PrintToString(lines(c));
}

TEST(ArchiveCompare, HostileMembersAreUnsafeAndNeverCompared) {
  std::vector<ArchiveMember> m = {
      file("p/README", "hello\n"),       file("p/src/x.c", "int x;\n"),
      file("p/build.sh", "#!/bin/sh\n", 0755),
      file("../x", "evil"),              file("/etc/passwd", "root"),
      file("p/a/../../b", "evil"),       file("p/..\\..\\win", "evil"),
      file("C:/Windows/x", "evil"),      file("p//double", "x"),
      file("p/./dot", "x"),              link("p/etc", "../../etc"),
      link("p/abs", "/etc/shadow"),      other("p/hard", MemberKind::hardlink, "/etc/passwd"),
      other("p/dev", MemberKind::char_device), other("p/blk", MemberKind::block_device),
      other("p/fifo", MemberKind::fifo), other("p/sock", MemberKind::socket),
      other("p/what", MemberKind::unknown), file("p/twice", "1"), file("p/twice", "2"),
      file("./p/twice", "3")};
  auto c = compare_archive(m, kTree, patterns({"**"}));
  EXPECT_EQ(c.prefix, "p/");
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe ../x | path escapes the archive root",
                          "unsafe /etc/passwd | absolute path",
                          "unsafe C:/Windows/x | absolute path (drive letter)",
                          "unsafe abs | symbolic link to /etc/shadow escapes the archive root",
                          "unsafe etc | symbolic link to ../../etc escapes the archive root",
                          "unsafe p/..\\..\\win | path escapes the archive root (\\-separated, as Windows reads it)",
                          "unsafe p/./dot | non-canonical path (empty or '.' component)",
                          "unsafe p//double | non-canonical path (empty or '.' component)",
                          "unsafe p/a/../../b | path escapes the archive root",
                          "unsafe p/blk | block device",
                          "unsafe p/dev | character device",
                          "unsafe p/fifo | fifo",
                          "unsafe p/hard | hard link to /etc/passwd",
                          "unsafe p/sock | socket",
                          "unsafe p/what | member of unknown type",
                          "unsafe twice | duplicate member (3 times)"}));
  EXPECT_EQ(c.matched, 3u);
}

// Names that are not UTF-8 compare byte-wise, and collide with ASCII case
// folding only (threat 30).
TEST(ArchiveCompare, NonUtf8NamesCompareByteWise) {
  std::string latin1 = "caf\xe9.txt";
  std::vector<git::TreeFile> tree = {tfile(latin1, "x"), tfile("caf\xc3\xa9.txt", "y")};
  std::vector<ArchiveMember> m = {file("p/" + latin1, "x"), file("p/CAF\xe9.txt", "x")};
  auto c = compare_archive(m, tree, ReleaseRules{});
  EXPECT_EQ(c.matched, 1u);
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe CAF\xe9.txt | name collides with tracked caf\xe9.txt case-insensitively",
                          "missing caf\xc3\xa9.txt"}));
}

TEST(ArchiveCompare, UndecodableNameIsUnsafeNotGuessed) {
  ArchiveMember m = file("<member 2>", "x");
  m.name_problem = "Pathname cannot be converted from UTF-8 to current locale.";
  auto c = compare_archive(std::vector<ArchiveMember>{m}, std::vector<git::TreeFile>{tfile("caf\xe9", "x")}, ReleaseRules{});
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe <member 2> | name cannot be decoded: Pathname cannot be converted from UTF-8 to "
                          "current locale.",
                          "missing caf\xe9"}));
}

TEST(ArchiveCompare, SubmodulesAreNotExpectedAndEmptyArchiveMissesEverything) {
  std::vector<git::TreeFile> tree = {tfile("README", "r"), {"vendor/lib", std::string(40, 'a'), 0160000}};
  auto c = compare_archive(std::vector<ArchiveMember>{}, tree, ReleaseRules{});
  EXPECT_EQ(lines(c), std::vector<std::string>{"missing README"});
  EXPECT_EQ(c.members, 0u);
}

}  // namespace
}  // namespace vouch::archive

namespace vouch::archive {
namespace {

ReleaseRules release(const std::vector<std::string>& add, const std::vector<std::string>& change = {},
                     const std::vector<std::string>& omit = {}) {
  ReleaseRules r;
  r.may_add = patterns(add);
  r.may_change = patterns(change);
  r.may_omit = patterns(omit);
  return r;
}

const std::vector<git::TreeFile> kAux = {tfile("README", "hello\n"), tfile("build-aux/ltmain.sh", "good\n"),
                                        tfile("caf\xc3\xa9.txt", "nfc\n")};

TEST(ArchiveCollisions, CaseOfADirectoryAllowedByMayAdd) {
  std::vector<ArchiveMember> m = {file("p/README", "hello\n"), file("p/build-aux/ltmain.sh", "good\n"),
                                  file("p/caf\xc3\xa9.txt", "nfc\n"), file("p/BUILD-AUX/ltmain.sh", "evil\n")};
  auto c = compare_archive(m, kAux, release({"build-aux/*"}));
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe BUILD-AUX/ltmain.sh | directory BUILD-AUX collides with tracked build-aux "
                          "case-insensitively"}));
  EXPECT_EQ(c.matched, 3u);
}

TEST(ArchiveCollisions, UnicodeCaseFoldingAndNfd) {
  // NFD café (e + U+0301) beside the tracked NFC name; Greek capital sigma vs
  // small final sigma fold together; German sharp s folds to "ss".
  std::vector<ArchiveMember> m = {file("p/README", "hello\n"),   file("p/build-aux/ltmain.sh", "good\n"),
                                  file("p/caf\xc3\xa9.txt", "nfc\n"), file("p/cafe\xcc\x81.txt", "nfd\n"),
                                  file("p/\xce\xa3.txt", "1"), file("p/\xcf\x82.txt", "2"),
                                  file("p/stra\xc3\x9f" "e", "3"), file("p/STRASSE", "4")};
  auto c = compare_archive(m, kAux, release({"*"}));
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe STRASSE | name collides with stra\xc3\x9f" "e case-insensitively",
                          "unsafe cafe\xcc\x81.txt | name collides with tracked caf\xc3\xa9.txt after Unicode NFC "
                          "normalisation",
                          "unsafe stra\xc3\x9f" "e | name collides with STRASSE case-insensitively",
                          "unsafe \xce\xa3.txt | name collides with \xcf\x82.txt case-insensitively",
                          "unsafe \xcf\x82.txt | name collides with \xce\xa3.txt case-insensitively"}));
}

TEST(ArchiveCollisions, BackslashSeparatorsReadEitherWay) {
  std::vector<ArchiveMember> m = {file("p/README", "hello\n"), file("p/build-aux/ltmain.sh", "good\n"),
                                  file("p/caf\xc3\xa9.txt", "nfc\n"), file("p/build-aux\\ltmain.sh", "evil\n"),
                                  file("p/a/..\\..\\..\\x", "evil"),
                                  link("p/l", "..\\..\\etc")};
  auto c = compare_archive(m, kAux, release({"**"}));
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "unsafe build-aux\\ltmain.sh | name collides with tracked build-aux/ltmain.sh as Windows "
                          "reads '\\'",
                          "unsafe l | symbolic link to ..\\..\\etc escapes the archive root",
                          "unsafe p/a/..\\..\\..\\x | path escapes the archive root (\\-separated, as Windows reads "
                          "it)"}));
}

TEST(ArchiveRelease, MayChangeMayOmitAndExportIgnore) {
  std::vector<git::TreeFile> tree = {tfile("README", "hello\n"), tfile("ChangeLog", "see git log\n"),
                                     tfile(".gitignore", "*.o\n"), tfile("tests/huge.bin", "x"),
                                     tfile("src/x.c", "int x;\n"), tfile("run", "r", 0120000)};
  std::vector<ArchiveMember> m = {file("p/README", "hello\n"), file("p/ChangeLog", "2024: release\n"),
                                  file("p/src/x.c", "int y;\n"), file("p/configure", "#!/bin/sh\n", 0755),
                                  file("p/run", "not a link")};
  ReleaseRules rules = release({"configure"}, {"ChangeLog", "run"}, {".gitignore"});
  rules.not_expected = {"tests/huge.bin"};
  auto c = compare_archive(m, tree, rules);
  EXPECT_EQ(lines(c), (std::vector<std::string>{
                          "allowed .gitignore | archive_may_omit: .gitignore",
                          "allowed ChangeLog | archive_may_change: ChangeLog; content differs",
                          "allowed configure | archive_may_add: configure",
                          "changed run | a file in the archive, a symbolic link in the tree",
                          "changed src/x.c | content differs"}));
  EXPECT_EQ(c.findings[0].origin, "omitted");
  EXPECT_EQ(c.findings[1].origin, "changed");
  EXPECT_EQ(c.findings[2].origin, "added");
  EXPECT_EQ(c.export_ignored, std::vector<std::string>{"tests/huge.bin"});
  std::vector<std::string> classes;
  for (const auto& k : c.classes) classes.push_back(k.path + "=" + k.klass);
  EXPECT_EQ(classes, (std::vector<std::string>{"p/README=matched", "p/ChangeLog=allowed", "p/src/x.c=changed",
                                               "p/configure=allowed", "p/run=changed"}));
}

}  // namespace
}  // namespace vouch::archive
