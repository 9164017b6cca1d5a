// Feeds arbitrary bytes, as a raw commit and as a raw tag, to the pure
// splitting functions of git/signed_object.h and checks their invariants:
// the payload plus the signature never invent bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "git/signed_object.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);

  auto commit = vouch::git::split_commit_signature(raw);
  if (commit.ok()) {
    if (commit->payload.size() + commit->signature.size() > raw.size()) std::abort();
    if (!commit->present && !commit->only_sha256_signature && commit->payload != raw) std::abort();
  }
  for (const auto& tag : vouch::git::mergetags(raw)) {
    if (tag.size() > raw.size()) std::abort();
    (void)vouch::git::split_tag_signature(tag);
  }

  auto tag = vouch::git::split_tag_signature(raw);
  if (tag.payload.size() + tag.signature.size() != raw.size()) std::abort();
  if (std::string_view(tag.payload) != raw.substr(0, tag.payload.size())) std::abort();

  (void)vouch::git::committer_time(raw);
  (void)vouch::git::tagger_time(raw);
  return 0;
}
