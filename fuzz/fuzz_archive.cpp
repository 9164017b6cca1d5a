// Fuzzes the archive reader and the comparison: any bytes give a member list
// or a clean error (never a crash, never more memory than the limits allow),
// and a comparison keeps the promises of archive_compare.h.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "archive/archive_compare.h"
#include "archive/archive_reader.h"
#include "report/render.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vouch::archive;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto reader = ArchiveReader::open_memory(input, "fuzz.tar");
  if (!reader) return 0;
  auto scan = scan_archive(*reader, {16u << 20, 10000});
  if (!scan) {
    if (scan.error().message.empty()) std::abort();
    return 0;
  }
  for (const auto& m : scan->members) {
    bool hashed = m.kind == MemberKind::file || m.kind == MemberKind::symlink;
    if (hashed != (m.blob_oid.size() == 40)) std::abort();
  }
  static const std::vector<vouch::git::TreeFile> tree = {
      {"README", blob_oid("hello\n"), 0100644}, {"src/x.c", blob_oid("int x;\n"), 0100755},
      {"link", blob_oid("README"), 0120000}};
  static const std::vector<vouch::policy::PathPattern> may_add = {*vouch::policy::PathPattern::compile("configure"),
                                                                 *vouch::policy::PathPattern::compile("build-aux/*")};
  Comparison c = compare_archive(scan->members, tree, may_add);
  if (c.members != scan->members.size() || c.matched > c.members) std::abort();
  for (size_t i = 1; i < c.findings.size(); ++i)
    if (c.findings[i - 1].path > c.findings[i].path) std::abort();
  for (const auto& f : c.findings) {
    if (f.kind != "added" && f.kind != "allowed" && f.kind != "changed" && f.kind != "missing" && f.kind != "unsafe")
      std::abort();
    for (char ch : vouch::report::display_name(f.path))
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) std::abort();
  }
  return 0;
}
