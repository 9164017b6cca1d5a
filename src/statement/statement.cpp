#include "statement/statement.h"

#include <cstdio>
#include <limits>

#include "util/base64.h"

namespace vouch::statement {

Error malformed_at(size_t line, const std::string& message) {
  return make_error(ErrorKind::malformed, "statement:" + std::to_string(line) + ": " + message);
}

std::string quote(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMax) out += "...";
  return out + "\"";
}

namespace {

std::string hex_u(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

/// Characters that must not appear in a line: C0/C1 controls, DEL, and the
/// invisible line separators and bidi overrides that make a displayed
/// statement differ from the signed one.
bool forbidden_codepoint(uint32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/// Checks one line (without its LF) for CR, control characters, invalid UTF-8.
Result<void> check_line_chars(std::string_view line, size_t n) {
  size_t i = 0;
  while (i < line.size()) {
    auto c = static_cast<unsigned char>(line[i]);
    uint32_t cp = 0;
    size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      cp = c & 0x1fu;
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = c & 0x0fu;
      len = 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = c & 0x07u;
      len = 4;
    } else {
      return malformed_at(n, "invalid UTF-8");
    }
    if (line.size() - i < len) return malformed_at(n, "invalid UTF-8");
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(line[i + k]);
      if ((cc & 0xc0) != 0x80) return malformed_at(n, "invalid UTF-8");
      cp = (cp << 6) | (cc & 0x3fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
      return malformed_at(n, "invalid UTF-8");
    if (cp == '\r') return malformed_at(n, "carriage return (lines must end with LF alone)");
    if (forbidden_codepoint(cp)) {
      if (cp < 0x80) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(cp));
        return malformed_at(n, std::string("control character ") + buf);
      }
      return malformed_at(n, "control or invisible formatting character " + hex_u(cp));
    }
    i += len;
  }
  return {};
}

/// The first required field at an index in [from, schema.fields.size()).
std::string expected_from(const StatementSchema& schema, size_t from) {
  for (size_t k = from; k < schema.fields.size(); ++k)
    if (schema.fields[k].required) return "\"" + std::string(schema.fields[k].name) + "\"";
  return "end of statement";
}

}  // namespace

Result<std::vector<StatementField>> parse_statement_fields(std::string_view text, const StatementSchema& schema) {
  if (text.size() > kMaxStatementSize)
    return make_error(ErrorKind::malformed, "statement: longer than " + std::to_string(kMaxStatementSize) + " bytes");
  std::vector<StatementField> out;
  std::vector<bool> seen(schema.fields.size(), false);
  size_t pos = 0;  // one past the schema index of the last field matched
  bool any = false;
  size_t n = 0;
  size_t start = 0;
  while (start < text.size()) {
    ++n;
    size_t lf = text.find('\n', start);
    std::string_view line = text.substr(start, lf == std::string_view::npos ? std::string_view::npos : lf - start);
    if (auto ok = check_line_chars(line, n); !ok) return ok.error();
    if (n == 1 && line != schema.header)
      return malformed_at(n, "expected \"" + std::string(schema.header) + "\", found " + quote(line));
    if (lf == std::string_view::npos) return malformed_at(n, "missing newline at end of statement");
    start = lf + 1;
    if (n == 1) continue;
    if (line.empty()) return malformed_at(n, "blank line");
    if (line.back() == ' ') return malformed_at(n, "trailing space");
    size_t sp = line.find(' ');
    std::string_view name = line.substr(0, sp);
    size_t j = 0;
    while (j < schema.fields.size() && schema.fields[j].name != name) ++j;
    if (j == schema.fields.size()) return malformed_at(n, "unknown field " + quote(name));
    const FieldSpec& spec = schema.fields[j];
    if (sp == std::string_view::npos) return malformed_at(n, quote(name) + " has no value");
    std::string_view value = line.substr(sp + 1);
    if (value.empty() || value.front() == ' ') return malformed_at(n, "more than one space after " + quote(name));
    if (any && j + 1 == pos) {
      if (!spec.repeatable) return malformed_at(n, "duplicate " + quote(name));
    } else if (any && j + 1 < pos) {
      if (seen[j] && !spec.repeatable) return malformed_at(n, "duplicate " + quote(name));
      return malformed_at(n, "expected " + expected_from(schema, pos) + ", found " + quote(name));
    } else {
      for (size_t k = any ? pos : 0; k < j; ++k)
        if (schema.fields[k].required)
          return malformed_at(n, "expected \"" + std::string(schema.fields[k].name) + "\", found " + quote(name));
      pos = j + 1;
      any = true;
    }
    seen[j] = true;
    out.push_back(StatementField{spec.name, value, n});
  }
  if (n == 0) return malformed_at(1, "expected \"" + std::string(schema.header) + "\", found end of statement");
  std::string missing = expected_from(schema, any ? pos : 0);
  if (missing != "end of statement") return malformed_at(n + 1, "expected " + missing + ", found end of statement");
  return out;
}

Result<int64_t> parse_statement_number(const StatementField& f, int64_t min, int64_t max) {
  std::string name(f.name);
  std::string_view v = f.value;
  for (char c : v)
    if (c < '0' || c > '9') return malformed_at(f.line, name + " " + quote(v) + " is not a decimal number");
  if (v.empty()) return malformed_at(f.line, name + " " + quote(v) + " is not a decimal number");
  if (v.size() > 1 && v.front() == '0') return malformed_at(f.line, name + " " + quote(v) + " has a leading zero");
  int64_t x = 0;
  for (char c : v) {
    int d = c - '0';
    if (x > (std::numeric_limits<int64_t>::max() - d) / 10)
      return malformed_at(f.line, name + " " + quote(v) + " is too large");
    x = x * 10 + d;
  }
  if (x < min || x > max)
    return malformed_at(
        f.line, name + " " + std::string(v) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
  return x;
}

Result<KeyId> parse_statement_key(const StatementField& f) {
  auto id = KeyId::parse(f.value);
  if (!id || id->str() != f.value)
    return malformed_at(f.line, std::string(f.name) + " " + quote(f.value) +
                                    " is not a canonical key id (openpgp:<UPPER-CASE HEX> or ssh:SHA256:<43 base64>)");
  return *id;
}

std::string_view header_for_type(std::string_view type) {
  if (type == kEndorsementType) return kEndorsementHeader;
  if (type == kRevocationType) return kRevocationHeader;
  if (type == kApprovalType) return kApprovalHeader;
  return {};
}

Result<SignedStatement> parse_transport_line(std::string_view line) {
  auto fail = [](const std::string& m) { return make_error(ErrorKind::malformed, "statement line: " + m); };
  if (line.find_first_of("\r\n") != std::string_view::npos) return fail("contains a line break");
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t sp = line.find(' ', start);
    std::string_view f = line.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start);
    if (f.empty()) return fail("fields must be separated by single spaces");
    fields.push_back(f);
    if (sp == std::string_view::npos || fields.size() > 4) break;
    start = sp + 1;
  }
  if (fields.size() != 4)
    return fail("expected 4 fields (type, version, statement, signature), found " +
                (fields.size() > 4 ? std::string("more") : std::to_string(fields.size())));
  std::string_view header = header_for_type(fields[0]);
  if (header.empty()) return fail("unknown type " + quote(fields[0]));
  if (fields[1] != "v1") return fail("unsupported version " + quote(fields[1]) + " (expected \"v1\")");
  // Base64 grows by 4/3: refuse oversized fields before decoding them.
  constexpr size_t kMaxEncoded = (kMaxStatementSize + 2) / 3 * 4;
  if (fields[2].size() > kMaxEncoded)
    return fail("statement longer than " + std::to_string(kMaxStatementSize) + " bytes");
  if (fields[3].size() > kMaxEncoded)
    return fail("signature longer than " + std::to_string(kMaxStatementSize) + " bytes");
  auto text = util::base64_decode(fields[2]);
  if (!text) return fail("the statement is not valid base64");
  auto sig = util::base64_decode(fields[3]);
  if (!sig) return fail("the signature is not valid base64");
  if (sig->empty()) return fail("empty signature");
  std::string_view first = std::string_view(*text).substr(0, text->find('\n'));
  if (first != header || text->size() == first.size())
    return fail("a " + std::string(fields[0]) + " line must carry a \"" + std::string(header) + "\" statement, found " +
                quote(first));
  return SignedStatement{std::string(fields[0]), std::move(*text), std::move(*sig)};
}

std::string to_transport_line(const SignedStatement& st) {
  return st.type + " v1 " + util::base64_encode(st.text) + " " + util::base64_encode(st.signature);
}

}  // namespace vouch::statement
