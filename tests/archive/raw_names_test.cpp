// The raw header parser of raw_names.h over archives written byte by byte
// (tar_bytes.h): what GNU tar, bsdtar and Info-ZIP could read differently is
// an issue; what every real archiver writes is not.
#include "archive/raw_names.h"

#include <gtest/gtest.h>

#include "archive/archive_compare.h"
#include "archive/archive_reader.h"
#include "tar_bytes.h"
#include "test_env.h"

namespace vouch::archive {
namespace {

using namespace vouch::test::bytes;

RawNames tar_names(const std::string& bytes) {
  auto r = scan_raw_names_memory(bytes, "t.tar", false, 1000, 1 << 30);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : RawNames{};
}

std::vector<std::string> details(const RawNames& r) {
  std::vector<std::string> out;
  for (const auto& i : r.issues) out.push_back(i.detail);
  return out;
}

TEST(RawNames, PlainUstarGnuAndPaxNamesHaveNoIssues) {
  std::string long_name = "p-1.0/" + std::string(120, 'a') + "/file.txt";
  std::string tar = record("p-1.0/", '5', "") + record("p-1.0/README", '0', "hi\n") +
                    record("././@LongLink", 'L', long_name + '\0', "", true) +
                    tar_header(long_name.substr(0, 100), '0', 2, "", true) + pad("x\n") +
                    record("PaxHeaders/x", 'x', pax_record("path", long_name + "2") + pax_record("mtime", "1")) +
                    tar_header((long_name + "2").substr(0, 100), '0', 2) + pad("y\n") +
                    record("x.c", '0', "int x;\n", "p-1.0/src") + end_of_archive();
  RawNames r = tar_names(tar);
  EXPECT_TRUE(r.issues.empty()) << testing::PrintToString(details(r));
  EXPECT_EQ(r.members, (std::vector<std::string>{"p-1.0/", "p-1.0/README", long_name, long_name + "2", "p-1.0/src/x.c"}));
}

TEST(RawNames, GnuLongNameAndPaxPathForOneMember) {
  for (bool pax_first : {false, true}) {
    std::string ln = record("././@LongLink", 'L', std::string("p/evil.sh") + '\0', "", true);
    std::string px = record("PaxHeaders/x", 'x', pax_record("path", "p/good.sh"));
    std::string tar = (pax_first ? px + ln : ln + px) + record("p/good.sh", '0', "echo\n") + end_of_archive();
    RawNames r = tar_names(tar);
    ASSERT_EQ(r.issues.size(), 1u) << testing::PrintToString(details(r));
    EXPECT_EQ(r.issues[0].detail, "name from both a GNU long-name record (p/evil.sh) and a pax path (p/good.sh)");
    EXPECT_EQ(r.issues[0].names, (std::vector<std::string>{"p/good.sh", "p/evil.sh"}));
  }
}

TEST(RawNames, PaxGlobalPathAndLinkpath) {
  std::string tar = record("pax_global_header", 'g', pax_record("comment", "abc")) + record("p/a", '0', "a") +
                    record("pax_global_header", 'g', pax_record("path", "p/evil")) + record("p/b", '0', "b") +
                    end_of_archive();
  RawNames r = tar_names(tar);
  EXPECT_EQ(details(r), (std::vector<std::string>{"a pax global header sets path=p/evil: extractors disagree on "
                                                  "whether it names the members that follow"}));
  EXPECT_EQ(r.members, (std::vector<std::string>{"p/a", "p/b"}));
}

TEST(RawNames, UstarPrefixThatDisagrees) {
  std::string tar = record("PaxHeaders/x", 'x', pax_record("path", "p/src/x.c")) +
                    record("x.c", '0', "int x;\n", "p/other") + end_of_archive();
  RawNames r = tar_names(tar);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].detail, "the ustar name p/other/x.c (prefix and name) disagrees with p/src/x.c");
  EXPECT_EQ(r.issues[0].names, (std::vector<std::string>{"p/src/x.c", "p/other/x.c"}));
}

TEST(RawNames, RepeatedRecordsDuplicateKeysNulAndOddTypes) {
  std::string tar = record("././@LongLink", 'L', std::string("p/a") + '\0', "", true) +
                    record("././@LongLink", 'L', std::string("p/b") + '\0', "", true) + record("p/x", '0', "1") +
                    record("h", 'x', pax_record("path", "p/c") + pax_record("path", "p/d")) + record("p/y", '0', "2") +
                    record("h", 'x', pax_record("path", std::string("p/e\0.txt", 8))) + record("p/z", '0', "3") +
                    record("p/n", 'N', "") + end_of_archive();
  RawNames r = tar_names(tar);
  EXPECT_EQ(details(r), (std::vector<std::string>{
                            "2 GNU long-name records for one member", "a pax header sets path twice",
                            "the pax path holds a NUL byte (extractors cut it at different places)",
                            "tar record type 'N' is read differently by different extractors"}));
}

TEST(RawNames, BrokenStreamsStopWithAnIssue) {
  std::string bad = record("p/a", '0', "1");
  bad[148] = '9';  // checksum field no longer octal
  EXPECT_EQ(details(tar_names(bad + end_of_archive())),
            (std::vector<std::string>{"header checksum mismatch: the headers cannot be read past here"}));
  std::string cut = record("p/a", '0', "1").substr(0, 300);
  EXPECT_EQ(details(tar_names(cut)), (std::vector<std::string>{"the tar stream ends inside a header or record"}));
  std::string huge = tar_header("h", 'x', 2u << 20) + end_of_archive();
  EXPECT_EQ(details(tar_names(huge)), (std::vector<std::string>{"a pax header of 2097152 bytes (at most 1048576)"}));
}

TEST(RawNames, CrossCheckWithLibarchive) {
  RawNames r;
  r.members = {"p/a", "p/b"};
  cross_check(r, {"p/a", "p/B"});
  EXPECT_EQ(details(r), (std::vector<std::string>{"libarchive reads p/B where the headers say p/b"}));
  RawNames n;
  n.members = {"p/a"};
  cross_check(n, {"p/a", "p/b"});
  EXPECT_EQ(details(n), (std::vector<std::string>{
                            "the tar headers list 1 members, libarchive 2: extractors would not agree on the contents"}));
}

TEST(RawNames, ZipLocalAndCentralNames) {
  std::string good = zip({{"p/README", "p/README", "hi\n", ""}, {"p/x.c", "p/x.c", "int x;\n", ""}});
  auto ok = scan_raw_names_memory(good, "g.zip", true, 100, 1 << 20);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->issues.empty()) << testing::PrintToString(details(*ok));

  std::string bad = zip({{"p/README", "p/README", "hi\n", ""}, {"p/x.c", "p/evil.c", "int x;\n", ""}});
  auto r = scan_raw_names_memory(bad, "b.zip", true, 100, 1 << 20);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(details(*r), (std::vector<std::string>{"the local header names it p/evil.c, the central directory p/x.c"}));
  EXPECT_EQ(r->issues[0].names, (std::vector<std::string>{"p/x.c", "p/evil.c"}));

  std::string upath = std::string("\x01", 1) + le32(0) + "p/other.c";
  std::string uni = zip({{"p/x.c", "p/x.c", "int x;\n", le16(0x7075) + le16(static_cast<uint32_t>(upath.size())) + upath}});
  auto u = scan_raw_names_memory(uni, "u.zip", true, 100, 1 << 20);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(details(*u),
            (std::vector<std::string>{"the Unicode Path extra field names it p/other.c, the central directory p/x.c"}));

  auto none = scan_raw_names_memory("PK\x03\x04 not a zip", "n.zip", true, 100, 1 << 20);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(details(*none), (std::vector<std::string>{"zip: no end of central directory record"}));
}

TEST(RawNames, AmbiguousMemberIsUnsafeInTheComparison) {
  std::string tar = record("././@LongLink", 'L', std::string("p/evil.sh") + '\0', "", true) +
                    record("h", 'x', pax_record("path", "p/README")) + record("p/README", '0', "hello\n") +
                    end_of_archive();
  auto reader = ArchiveReader::open_memory(tar, "t.tar");
  ASSERT_TRUE(reader.ok());
  auto scan = scan_archive(*reader, {});
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  RawNames raw = tar_names(tar);
  std::vector<std::string> names;
  for (const auto& m : scan->members) names.push_back(m.path);
  cross_check(raw, names);
  Comparison c = compare_archive(scan->members, {{"README", blob_oid("hello\n"), 0100644}}, ReleaseRules{}, raw.issues);
  std::vector<std::string> got;
  for (const auto& f : c.findings) got.push_back(f.kind + " " + f.path + " | " + f.detail);
  // libarchive reads the long name here (its record comes first); another
  // extractor reads the pax path. Either way the member is unsafe.
  EXPECT_EQ(got, (std::vector<std::string>{
                     "missing README | ",
                     "unsafe p/evil.sh | name from both a GNU long-name record (p/evil.sh) and a pax path (p/README)"}));
}

}  // namespace
}  // namespace vouch::archive
