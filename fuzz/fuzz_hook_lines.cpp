// Fuzzes what git hands the hooks on stdin and argv (hooks/hook_runner.h):
// pre-receive lines `OLD NEW REF`, pre-push lines `LOCAL_REF LOCAL_SHA
// REMOTE_REF REMOTE_SHA`, and the update hook's three arguments (the input's
// first three lines). Any input gives an Error or updates, never a crash;
// every accepted update has two 40-hex ids and a non-empty ref.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hooks/hook_runner.h"

namespace {

void check(const vouch::hooks::RefUpdate& u) {
  if (u.old_oid.size() != 40 || u.new_oid.size() != 40 || u.ref.empty()) std::abort();
  for (char c : u.old_oid + u.new_oid)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::hooks;
  if (auto r = parse_receive_lines(input))
    for (const RefUpdate& u : *r) check(u);
  if (auto p = parse_push_lines(input))
    for (const RefUpdate& u : *p) check(u);
  std::vector<std::string> args;
  size_t start = 0;
  while (args.size() < 3) {
    const size_t nl = input.find('\n', start);
    args.emplace_back(input.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  args.resize(3);
  if (auto u = parse_update_args(args[0], args[1], args[2])) check(*u);
  return 0;
}
