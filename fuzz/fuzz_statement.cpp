// Fuzzes the canonical statement parsers and the transport line: any input
// gives an Error or a value, never a crash, and every accepted text
// serializes back to exactly the same bytes (one statement, one encoding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "trust/statement.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::trust;
  if (auto e = parse_endorsement(input)) {
    if (serialize(*e) != input) std::abort();
    if (!serialize_checked(*e)) std::abort();
  }
  if (auto r = parse_revocation(input)) {
    if (serialize(*r) != input) std::abort();
    if (!serialize_checked(*r)) std::abort();
  }
  (void)vouch::statement::parse_statement_fields(input, endorsement_schema());
  if (auto st = vouch::statement::parse_transport_line(input)) {
    if (vouch::statement::to_transport_line(*st) != input) std::abort();
    if (st->type == "vouch-endorsement") (void)parse_endorsement(st->text);
    if (st->type == "vouch-revocation") (void)parse_revocation(st->text);
  }
  return 0;
}
