#include "keys/allowed_signers.h"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace vouch::keys {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether the field after the principals names a key type (so there are no
// options), as OpenSSH decides by trying to read a key there.
bool is_key_type(std::string_view t) {
  static constexpr std::string_view kTypes[] = {
      "ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa", "ssh-dss"};
  return std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes) ||
         ends_with(t, "-cert-v01@openssh.com");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits a comma-separated list; nullopt when an element is empty.
std::optional<std::vector<std::string>> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    std::string_view item = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) return std::nullopt;
    out.emplace_back(item);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// One line being parsed, with the error location in 1-based columns.
class LineParser {
 public:
  LineParser(std::string_view line, std::string_view filename, int number)
      : line_(line), filename_(filename), number_(number) {}

  Result<std::optional<AllowedSigner>> parse();

 private:
  Error fail(size_t pos, const std::string& msg, ErrorKind kind = ErrorKind::malformed) const {
    return make_error(kind, std::string(filename_) + ":" + std::to_string(number_) + ":" +
                                std::to_string(pos + 1) + ": " + msg);
  }
  void skip_space() { while (pos_ < line_.size() && is_space(line_[pos_])) ++pos_; }
  Result<void> parse_principals(AllowedSigner& out);
  Result<void> parse_options(AllowedSigner& out);
  Result<void> parse_option(size_t at, std::string_view text, AllowedSigner& out);

  std::string_view line_;
  std::string_view filename_;
  int number_;
  size_t pos_ = 0;
  bool seen_namespaces_ = false;
};

Result<std::optional<AllowedSigner>> LineParser::parse() {
  skip_space();
  if (pos_ == line_.size() || line_[pos_] == '#') return std::optional<AllowedSigner>();
  AllowedSigner out;
  out.line = number_;
  if (auto r = parse_principals(out); !r) return r.error();
  skip_space();
  if (pos_ == line_.size()) return fail(pos_, "missing key after the principals");

  size_t options_at = pos_;
  size_t word_end = pos_;
  while (word_end < line_.size() && !is_space(line_[word_end])) ++word_end;
  if (!is_key_type(line_.substr(pos_, word_end - pos_))) {
    if (auto r = parse_options(out); !r) return r.error();
    skip_space();
    if (pos_ == line_.size()) return fail(pos_, "missing key after the options");
  }
  if (out.valid_after && out.valid_before && *out.valid_before <= *out.valid_after) {
    return fail(options_at, "valid-before is not after valid-after");
  }
  auto key = crypto::parse_ssh_public_key_line(line_.substr(pos_));
  if (!key) return fail(pos_, key.error().message, key.error().kind);
  out.key = std::move(*key);
  return std::optional<AllowedSigner>(std::move(out));
}

Result<void> LineParser::parse_principals(AllowedSigner& out) {
  size_t start = pos_;
  std::string_view text;
  if (line_[pos_] == '"') {
    size_t close = line_.find('"', pos_ + 1);
    if (close == std::string_view::npos) return fail(start, "unterminated quoted principals");
    text = line_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    if (pos_ < line_.size() && !is_space(line_[pos_])) return fail(pos_, "expected a space after the quoted principals");
  } else {
    while (pos_ < line_.size() && !is_space(line_[pos_])) ++pos_;
    text = line_.substr(start, pos_ - start);
    if (text.find('"') != std::string_view::npos) return fail(start, "misplaced quote in the principals");
  }
  auto list = split_list(text);
  if (!list) return fail(start, "empty principal in \"" + std::string(text) + "\"");
  out.principals = std::move(*list);
  return {};
}

// Comma-separated options up to the first space outside double quotes.
Result<void> LineParser::parse_options(AllowedSigner& out) {
  size_t start = pos_;
  size_t opt_start = pos_;
  bool quoted = false;
  for (; pos_ <= line_.size(); ++pos_) {
    bool at_end = pos_ == line_.size() || (!quoted && is_space(line_[pos_]));
    if (!at_end && line_[pos_] == '"') quoted = !quoted;
    if (at_end || (!quoted && line_[pos_] == ',')) {
      if (quoted) return fail(start, "unterminated quote in the options");
      if (auto r = parse_option(opt_start, line_.substr(opt_start, pos_ - opt_start), out); !r) return r;
      if (at_end) break;
      opt_start = pos_ + 1;
    }
  }
  return {};
}

Result<void> LineParser::parse_option(size_t at, std::string_view text, AllowedSigner& out) {
  if (text.empty()) return fail(at, "empty option");
  size_t eq = text.find('=');
  std::string name = lower(text.substr(0, eq));
  std::optional<std::string_view> value;
  if (eq != std::string_view::npos) value = text.substr(eq + 1);
  if (value && value->size() >= 2 && value->front() == '"' && value->back() == '"') {
    value = value->substr(1, value->size() - 2);
  }
  if (name.find('"') != std::string::npos || (value && value->find('"') != std::string_view::npos)) {
    return fail(at, "misplaced quote in option \"" + std::string(text) + "\"");
  }

  if (name == "cert-authority") {
    return fail(at, "cert-authority is not supported (vouch does not verify SSH certificates)",
                ErrorKind::unsupported);
  }
  if (name != "namespaces" && name != "valid-after" && name != "valid-before") {
    return fail(at, "unknown option \"" + std::string(text.substr(0, eq)) + "\"");
  }
  if (!value || value->empty()) return fail(at, "option \"" + name + "\" needs a value");
  if (name == "namespaces") {
    if (seen_namespaces_) return fail(at, "duplicate option \"namespaces\"");
    seen_namespaces_ = true;
    auto list = split_list(*value);
    if (!list) return fail(at, "empty namespace in \"" + std::string(*value) + "\"");
    out.namespaces = std::move(*list);
    return {};
  }
  auto& slot = name == "valid-after" ? out.valid_after : out.valid_before;
  if (slot) return fail(at, "duplicate option \"" + name + "\"");
  slot = parse_allowed_signers_time(*value);
  if (!slot) {
    return fail(at, "invalid " + name + " time \"" + std::string(*value) +
                        "\" (expected YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])");
  }
  return {};
}

}  // namespace

std::optional<int64_t> parse_allowed_signers_time(std::string_view text) {
  bool utc = !text.empty() && text.back() == 'Z';
  if (utc) text.remove_suffix(1);
  if (text.size() != 8 && text.size() != 12 && text.size() != 14) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  int year = num(0, 4), month = num(4, 2), day = num(6, 2);
  int hour = text.size() >= 12 ? num(8, 2) : 0;
  int minute = text.size() >= 12 ? num(10, 2) : 0;
  int second = text.size() == 14 ? num(12, 2) : 0;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (utc) {
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
           hour * 3600 + minute * 60 + second;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  tm.tm_isdst = -1;  // let the C library decide, like OpenSSH's mktime() call
  std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<int64_t>(t);
}

Result<std::vector<AllowedSigner>> parse_allowed_signers(std::string_view text, std::string_view filename) {
  std::vector<AllowedSigner> out;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto entry = LineParser(line, filename, number).parse();
    if (!entry) return entry.error();
    if (*entry) out.push_back(std::move(**entry));
  }
  return out;
}

}  // namespace vouch::keys
