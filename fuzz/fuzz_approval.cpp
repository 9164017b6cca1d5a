// Fuzzes the approval statement parser and the note-line checker: any input
// gives an Error or a value, never a crash; every accepted statement
// serializes back to exactly the same bytes; a line never counts against an
// empty keyring.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "keys/keyring.h"
#include "policy/approval.h"
#include "policy/approval_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::policy;
  if (auto a = parse_approval(input)) {
    if (serialize(*a) != input) std::abort();
    if (!serialize_checked(*a)) std::abort();
  }
  static const vouch::keys::Keyring empty;
  ExpectedObject expected{"1111111111111111111111111111111111111111", "commit",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "example/xz"};
  for (const ApprovalStatus& s : check_note(input, expected, empty, 1770000000))
    if (s.counts || s.status == "good") std::abort();
  return 0;
}
