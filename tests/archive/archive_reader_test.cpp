// ArchiveReader and scan_archive over archives built in memory: every
// supported format, hostile member kinds listed (never followed), limits
// checked before data is read, corrupt input as a clear error.
#include "archive/archive_reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "archive_writer.h"
#include "test_env.h"

namespace vouch::archive {
namespace {

using test::FixtureFormat;
using test::FixtureMember;
using test::member;
using Type = FixtureMember::Type;

const std::string kHelloOid = "ce013625030ba8dba906f756967f9e9ca394464a";  // git hash-object of "hello\n"
const std::string kEmptyOid = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

Result<ArchiveScan> scan_bytes(const std::string& bytes, ReaderLimits limits = {}) {
  auto reader = ArchiveReader::open_memory(bytes, "t.tar");
  if (!reader) return reader.error();
  return scan_archive(*reader, limits);
}

std::vector<FixtureMember> sample() {
  return {{"p-1.0/", "", Type::dir, 0755},
          member("p-1.0/README", "hello\n"),
          member("p-1.0/empty", ""),
          member("p-1.0/run.sh", "#!/bin/sh\n", 0755),
          {"p-1.0/link", "README", Type::symlink, 0777}};
}

TEST(ArchiveReader, BlobIdsAreGitsOwn) {
  EXPECT_EQ(blob_oid("hello\n"), kHelloOid);
  EXPECT_EQ(blob_oid(""), kEmptyOid);
}

class EveryFormat : public ::testing::TestWithParam<std::pair<FixtureFormat, std::string>> {};

TEST_P(EveryFormat, ListsMembersWithTheirBlobIds) {
  auto [format, filters] = GetParam();
  auto scan = scan_bytes(test::write_archive(sample(), format));
  ASSERT_TRUE(scan) << scan.error().message;
  EXPECT_EQ(scan->filters, filters);
  ASSERT_EQ(scan->members.size(), 5u);
  const auto& m = scan->members;
  EXPECT_EQ(m[0].path, "p-1.0/");
  EXPECT_EQ(m[0].kind, MemberKind::directory);
  EXPECT_EQ(m[1].path, "p-1.0/README");
  EXPECT_EQ(m[1].kind, MemberKind::file);
  EXPECT_EQ(m[1].size, 6u);
  EXPECT_EQ(m[1].blob_oid, kHelloOid);
  EXPECT_EQ(m[1].mode, 0644u);
  EXPECT_EQ(m[2].blob_oid, kEmptyOid);
  EXPECT_EQ(m[3].mode, 0755u);
  EXPECT_EQ(m[3].blob_oid, blob_oid("#!/bin/sh\n"));
  EXPECT_EQ(m[4].kind, MemberKind::symlink);
  EXPECT_EQ(m[4].link_target, "README");
  EXPECT_EQ(m[4].blob_oid, blob_oid("README"));
  EXPECT_EQ(scan->bytes, 16u);
}

/// The ctest name of a format case: "tar_gz", not the printed pair.
std::string format_name(const ::testing::TestParamInfo<std::pair<FixtureFormat, std::string>>& info) {
  static constexpr const char* kNames[] = {"tar", "tar_gz", "tar_bz2", "tar_xz", "zip", "ustar"};
  return kNames[static_cast<int>(info.param.first)];
}

INSTANTIATE_TEST_SUITE_P(Formats, EveryFormat,
                         ::testing::Values(std::make_pair(FixtureFormat::tar, std::string()),
                                           std::make_pair(FixtureFormat::tar_gz, std::string("gzip")),
                                           std::make_pair(FixtureFormat::tar_bz2, std::string("bzip2")),
                                           std::make_pair(FixtureFormat::tar_xz, std::string("xz")),
                                           std::make_pair(FixtureFormat::zip, std::string())),
                         format_name);

TEST(ArchiveReader, HostileMembersAreListedRawNeverFollowed) {
  std::vector<FixtureMember> hostile = {member("../x", "evil"),
                                        member("/etc/passwd", "root::0:0::/:/bin/sh\n"),
                                        {"p/etc", "../../etc", Type::symlink, 0777},
                                        {"p/hard", "/etc/shadow", Type::hardlink},
                                        {"p/tty", "", Type::chardev},
                                        {"p/pipe", "", Type::fifo},
                                        member("p/caf\xe9", "latin-1 name")};
  auto scan = scan_bytes(test::write_archive(hostile, FixtureFormat::tar));
  ASSERT_TRUE(scan) << scan.error().message;
  ASSERT_EQ(scan->members.size(), 7u);
  const auto& m = scan->members;
  EXPECT_EQ(m[0].path, "../x");
  EXPECT_EQ(m[1].path, "/etc/passwd");
  EXPECT_EQ(m[2].kind, MemberKind::symlink);
  EXPECT_EQ(m[2].link_target, "../../etc");
  EXPECT_EQ(m[3].kind, MemberKind::hardlink);
  EXPECT_EQ(m[3].link_target, "/etc/shadow");
  EXPECT_EQ(m[3].blob_oid, "");
  EXPECT_EQ(m[4].kind, MemberKind::char_device);
  EXPECT_EQ(m[5].kind, MemberKind::fifo);
  EXPECT_EQ(m[6].path, "p/caf\xe9");
  EXPECT_EQ(m[6].blob_oid, blob_oid("latin-1 name"));
}

TEST(ArchiveReader, SparseMemberIsStreamedNotHeld) {
  // 8 MiB logical, a few bytes of data: the holes read as zeros.
  const int64_t size = 8 << 20;
  FixtureMember sparse = member("p/sparse", "head");
  sparse.sparse_size = size;
  std::string bytes = test::write_archive({sparse}, FixtureFormat::tar);
  EXPECT_LT(bytes.size(), 64u * 1024);
  auto scan = scan_bytes(bytes);
  ASSERT_TRUE(scan) << scan.error().message;
  std::string logical(static_cast<size_t>(size), '\0');
  logical.replace(0, 4, "head");
  logical.back() = '!';
  EXPECT_EQ(scan->members[0].size, static_cast<uint64_t>(size));
  EXPECT_EQ(scan->members[0].blob_oid, blob_oid(logical));
}

TEST(ArchiveReader, GigabyteSparseMemberOverTheLimitFailsBeforeReading) {
  FixtureMember sparse = member("p-1.0/big", "x");
  sparse.sparse_size = int64_t{1} << 30;
  std::string bytes = test::write_archive({member("p-1.0/a", "a"), sparse}, FixtureFormat::tar_gz);
  auto scan = scan_bytes(bytes, {64u << 20, 1000});
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(scan.error().message,
            "archive t.tar: member p-1.0/big declares 1073741824 bytes, over the limit of 67108864 bytes in total "
            "(raise --max-bytes to read it)");
}

TEST(ArchiveReader, GigabyteSparseMemberWithinTheLimitUsesBoundedMemory) {
  // AddressSanitizer keeps freed memory in quarantine (256 MiB), so peak
  // memory says nothing about vouch there.
  if (test::kUnderAsan) GTEST_SKIP() << "peak memory is not vouch's under AddressSanitizer";
  FixtureMember sparse = member("p-1.0/big", "x");
  sparse.sparse_size = int64_t{1} << 30;
  std::string bytes = test::write_archive({sparse}, FixtureFormat::tar);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  auto scan = scan_bytes(bytes);
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  ASSERT_TRUE(scan) << scan.error().message;
  EXPECT_EQ(scan->bytes, uint64_t{1} << 30);
  EXPECT_EQ(scan->members[0].blob_oid.size(), 40u);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "KiB of peak memory grew while hashing 1 GiB";
}

TEST(ArchiveReader, TruncatedMemberClaimingAGigabyteFailsCleanly) {
  std::string tar = test::write_archive({member("p/claims-1g", std::string(100, 'x'))}, FixtureFormat::ustar);
  test::patch_ustar_size(tar, 0, uint64_t{1} << 30);
  auto scan = scan_bytes(tar);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().kind, ErrorKind::malformed);
  EXPECT_EQ(scan.error().message, "cannot read archive t.tar: Truncated tar archive");
}

TEST(ArchiveReader, HeaderClaimingMoreThanTheLimitFailsAtOnce) {
  std::string tar = test::write_archive({member("p/huge", "x")}, FixtureFormat::ustar);
  test::patch_ustar_size(tar, 0, 077777777777ull);  // 8 GiB - 1
  auto scan = scan_bytes(tar);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().message,
            "archive t.tar: member p/huge declares 8589934591 bytes, over the limit of 4294967296 bytes in total "
            "(raise --max-bytes to read it)");
}

TEST(ArchiveReader, MemberCountIsCapped) {
  std::vector<FixtureMember> many;
  for (int i = 0; i < 11; ++i) many.push_back(member("f" + std::to_string(i), ""));
  auto scan = scan_bytes(test::write_archive(many, FixtureFormat::tar), {1 << 20, 10});
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().message, "archive t.tar: more than 10 members (raise --max-members to read it)");
  EXPECT_TRUE(scan_bytes(test::write_archive(many, FixtureFormat::tar), {1 << 20, 11}));
}

TEST(ArchiveReader, GarbageIsACleanError) {
  auto scan = scan_bytes(std::string(1000, 'z'));
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().kind, ErrorKind::malformed);
  EXPECT_EQ(scan.error().message, "cannot read archive t.tar: Unrecognized archive format");
  std::string gz = test::write_archive(sample(), FixtureFormat::tar_gz);
  gz.resize(gz.size() / 2);
  scan = scan_bytes(gz);
  ASSERT_FALSE(scan);
  EXPECT_EQ(scan.error().kind, ErrorKind::malformed);
}

TEST(ArchiveReader, MissingFileNamesIt) {
  auto reader = ArchiveReader::open_file("/nonexistent/x.tar.gz");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(reader.error().message, "cannot read archive /nonexistent/x.tar.gz: Failed to open '/nonexistent/x.tar.gz'");
}

TEST(ArchiveReader, MovesOwnership) {
  std::string bytes = test::write_archive(sample(), FixtureFormat::tar);
  auto reader = ArchiveReader::open_memory(bytes, "t.tar");
  ASSERT_TRUE(reader);
  ArchiveReader moved = std::move(*reader);
  ArchiveReader again = ArchiveReader::open_memory(bytes, "other").value();
  again = std::move(moved);
  EXPECT_EQ(again.name(), "t.tar");
  auto scan = scan_archive(again, {});
  ASSERT_TRUE(scan);
  EXPECT_EQ(scan->members.size(), 5u);
}

}  // namespace
}  // namespace vouch::archive
