// Fuzzes the raw header parsers of raw_names.h: any bytes, read as a
// decompressed tar stream (fed in uneven chunks) and as a zip, give a list
// of names and issues, never a crash, never more than the limits allow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "archive/raw_names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vouch::archive;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr uint64_t kMembers = 1000;
  TarHeaderScanner scanner(kMembers);
  size_t chunk = 1 + (size % 700);
  for (size_t i = 0; i < input.size(); i += chunk)
    if (!scanner.feed(input.substr(i, chunk))) break;
  RawNames tar = scanner.finish();
  if (tar.members.size() > kMembers) std::abort();
  for (const auto& issue : tar.issues)
    if (issue.detail.empty()) std::abort();

  auto read = [&](uint64_t off, size_t n, std::string& out) {
    if (off > input.size() || n > input.size() - off) return false;
    out.assign(input.substr(static_cast<size_t>(off), n));
    return true;
  };
  RawNames zip = scan_zip(input.size(), read, kMembers);
  for (const auto& issue : zip.issues)
    if (issue.detail.empty()) std::abort();
  return 0;
}
