#include "cli/options.h"

#include "app/key_source.h"
#include "util/time_parse.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <utility>

namespace vouch::cli {

namespace {
std::string escape_annotation(std::string_view s);
}  // namespace

int exit_code_of(const Error& e) {
  switch (e.kind) {
    case ErrorKind::bad_input:
    case ErrorKind::malformed:
    case ErrorKind::not_found: return kBadInput;
    // Understood but not supported: a DSA key or an X.509 signature given as
    // input is bad input; a database written by a newer vouch is too.
    case ErrorKind::unsupported: return kBadInput;
    case ErrorKind::environment:
    case ErrorKind::internal: return kEnvironment;
  }
  return kEnvironment;
}

int fail(const GlobalOptions& g, const Error& e) {
  std::cerr << "vouch: error: " << e.message << "\n";
  if (g.json()) std::cout << report::error_json(e.message).dump(2) << "\n";
  if (g.format == "github") std::cout << "::error title=vouch::" << escape_annotation(e.message) << "\n";
  return exit_code_of(e);
}

Result<trust::TrustStore> open_store(const GlobalOptions& g, trust::OpenMode mode) {
  return app::open_trust_db(g.db, mode);
}

namespace {

/// GitHub's workflow-command escaping for a message.
std::string escape_annotation(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

void collect_annotations(const nlohmann::json& j, std::string& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if ((key == "errors" || key == "notices") && value.is_array()) {
        for (const auto& item : value)
          if (item.is_string())
            out += std::string(key == "errors" ? "::error title=vouch::" : "::notice title=vouch::") +
                   escape_annotation(item.get<std::string>()) + "\n";
      } else {
        collect_annotations(value, out);
      }
    }
  } else if (j.is_array()) {
    for (const auto& item : j) collect_annotations(item, out);
  }
}

}  // namespace

Result<int64_t> parse_time_option(const std::string& flag, const std::string& text, int64_t if_empty) {
  if (text.empty()) return if_empty;
  auto t = util::parse_time(text);
  if (!t)
    return make_error(ErrorKind::bad_input, flag + " " + text + ": expected unix seconds or YYYY-MM-DD[THH:MM:SSZ]");
  return *t;
}

Result<int64_t> parse_duration_option(const std::string& flag, const std::string& text) {
  if (text.empty()) return int64_t{0};
  auto d = util::parse_duration(text);
  if (!d) return make_error(ErrorKind::bad_input, flag + " " + text + ": expected a duration such as 30d, 12h, 2w");
  return *d;
}

Result<std::optional<trust::TrustStore>> open_optional_store(const GlobalOptions& g) {
  return app::open_optional_trust_db(g.db);
}

bool use_color(const GlobalOptions& g) {
  if (g.json() || g.color == "never") return false;
  if (g.color == "always") return true;  // an explicit request wins over NO_COLOR
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

std::string colorize(std::string_view text) {
  // Verdict words only, so the text stays the same text with or without colour.
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {" FAIL ", "\033[1;31m"}, {" ok ", "\033[32m"}, {": FAIL ", "\033[1;31m"}, {": ok ", "\033[32m"}};
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    if (line.starts_with("warning: ")) {
      line = "\033[33mwarning:\033[0m" + line.substr(8);
    } else {
      for (const auto& [word, code] : kWords) {
        size_t at = line.find(word);
        if (at == std::string::npos) continue;
        size_t start = at + word.find_first_not_of(": ");
        size_t len = word.size() - word.find_first_not_of(": ") - 1;
        line = line.substr(0, start) + std::string(code) + line.substr(start, len) + "\033[0m" + line.substr(start + len);
        break;
      }
    }
    out += line;
    if (end < text.size()) out += '\n';
    pos = end + 1;
  }
  return out;
}

void emit(const GlobalOptions& g, const std::string& text, const nlohmann::json& json) {
  if (g.json()) {
    std::cout << json.dump(2) << "\n";
  } else if (g.format == "github") {
    std::string annotations;
    collect_annotations(json, annotations);
    std::cout << (use_color(g) ? colorize(text) : text) << annotations;
  } else {
    std::cout << (use_color(g) ? colorize(text) : text);
  }
  std::cout.flush();
}

}  // namespace vouch::cli
