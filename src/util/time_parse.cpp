#include "util/time_parse.h"

#include <ctime>

namespace vouch::util {
namespace {

std::optional<int64_t> digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<int64_t> parse_time(std::string_view text) {
  if (text.starts_with("@")) text.remove_prefix(1);
  if (auto n = digits(text)) return n;
  // YYYY-MM-DD[THH:MM:SSZ]
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  if (text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text.substr(0, 4)), mo = digits(text.substr(5, 2)), d = digits(text.substr(8, 2));
  if (!y || !mo || !d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  struct tm tm {};
  tm.tm_year = static_cast<int>(*y) - 1900;
  tm.tm_mon = static_cast<int>(*mo) - 1;
  tm.tm_mday = static_cast<int>(*d);
  if (text.size() == 20) {
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') return std::nullopt;
    auto h = digits(text.substr(11, 2)), mi = digits(text.substr(14, 2)), s = digits(text.substr(17, 2));
    if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
    tm.tm_hour = static_cast<int>(*h);
    tm.tm_min = static_cast<int>(*mi);
    tm.tm_sec = static_cast<int>(*s);
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::optional<int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  auto n = digits(text.substr(0, text.size() - 1));
  if (!n || *n > 100000) return std::nullopt;
  switch (text.back()) {
    case 's': return *n;
    case 'm': return *n * 60;
    case 'h': return *n * 3600;
    case 'd': return *n * 86400;
    case 'w': return *n * 7 * 86400;
    case 'y': return *n * 365 * 86400;
    default: return std::nullopt;
  }
}

}  // namespace vouch::util
