// Fuzzes the text files of a key-set bundle (docs/trust-model.md "Keyring
// directory and key-set bundles"): MANIFEST, MANIFEST.sig and people.toml,
// each parser run on every input. Any input gives an Error or a value, never
// a crash; an accepted MANIFEST or MANIFEST.sig serializes back to exactly
// the same bytes, and an accepted people.toml round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bundle/bundle_manifest.h"
#include "bundle/bundle_people.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::trust;
  (void)valid_bundle_path(input);
  if (auto m = parse_manifest(input)) {
    for (const ManifestEntry& e : *m)
      if (!valid_bundle_path(e.path)) std::abort();
    if (serialize_manifest(*m) != input) std::abort();
  }
  if (auto s = parse_manifest_signatures(input)) {
    if (serialize_manifest_signatures(*s) != input) std::abort();
  }
  if (auto people = parse_people_toml(input)) {
    const std::string again = serialize_people_toml(*people);
    auto reparsed = parse_people_toml(again);
    if (!reparsed || serialize_people_toml(*reparsed) != again) std::abort();
  }
  return 0;
}
