#include "util/clock.h"

#include <chrono>
#include <cstdlib>
#include <string_view>

namespace vouch::util {

int64_t now() {
  if (const char* env = std::getenv("VOUCH_NOW")) {
    std::string_view s(env);
    int64_t v = 0;
    bool ok = !s.empty() && s.size() <= 18;
    for (char c : s) {
      if (c < '0' || c > '9') { ok = false; break; }
      v = v * 10 + (c - '0');
    }
    if (ok) return v;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace vouch::util
