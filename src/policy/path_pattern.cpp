#include "policy/path_pattern.h"

#include <cstring>

namespace vouch::policy {
namespace {

constexpr uint8_t fold(uint8_t c) { return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c + 32) : c; }
uint8_t fold(char c) { return fold(static_cast<uint8_t>(c)); }

bool folded_equal(std::string_view folded_pattern, std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i)
    if (static_cast<uint8_t>(folded_pattern[i]) != fold(name[i])) return false;
  return true;
}

constexpr size_t kExhausted = static_cast<size_t>(-1);

Error pattern_error(std::string_view pattern, const std::string& what) {
  return make_error(ErrorKind::malformed, "path pattern \"" + std::string(pattern) + "\": " + what);
}

}  // namespace

Result<PathPattern> PathPattern::compile(std::string_view pattern) {
  PathPattern out;
  out.text_ = std::string(pattern);
  std::string_view p = pattern;
  if (p.empty()) return pattern_error(pattern, "empty pattern");
  bool anchored = false;
  if (p.front() == '/') {
    anchored = true;
    p.remove_prefix(1);
  }
  // A trailing '/' only says "directory"; directories already cover what is
  // below them (see the header), so it is dropped.
  if (!p.empty() && p.back() == '/') p.remove_suffix(1);
  if (p.empty()) return pattern_error(pattern, "names no path (write \"**\" to mean everything)");
  if (p.find('/') != std::string_view::npos) anchored = true;
  if (!anchored) out.segments_.push_back(Segment{Segment::Kind::globstar, {}, {}});

  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(start, end - start);
    start = end + 1;
    if (seg.empty()) return pattern_error(pattern, "empty path segment (\"//\")");
    if (seg == "." || seg == "..")
      return pattern_error(pattern, "\"" + std::string(seg) + "\" segments never match a repository path");
    if (seg == "**") {
      if (out.segments_.empty() || out.segments_.back().kind != Segment::Kind::globstar)
        out.segments_.push_back(Segment{Segment::Kind::globstar, {}, {}});
      continue;
    }
    Segment s{Segment::Kind::glob, {}, {}};
    for (size_t i = 0; i < seg.size(); ++i) {
      char c = seg[i];
      if (c == '\\') {
        if (i + 1 >= seg.size()) return pattern_error(pattern, "trailing \"\\\" escapes nothing");
        s.tokens.push_back(Token{Token::Kind::literal, fold(seg[++i]), 0});
      } else if (c == '*') {
        if (s.tokens.empty() || s.tokens.back().kind != Token::Kind::star)
          s.tokens.push_back(Token{Token::Kind::star, 0, 0});
      } else if (c == '?') {
        s.tokens.push_back(Token{Token::Kind::any, 0, 0});
      } else if (c == '[') {
        size_t j = i + 1;
        bool negate = j < seg.size() && (seg[j] == '!' || seg[j] == '^');
        if (negate) ++j;
        ByteSet set{};
        auto add = [&set](uint8_t b) { set[b >> 6] |= uint64_t{1} << (b & 63); };
        bool closed = false;
        for (bool first = true; j < seg.size(); first = false) {
          if (seg[j] == ']' && !first) {
            closed = true;
            break;
          }
          uint8_t lo = static_cast<uint8_t>(seg[j]);
          if (lo == '\\' && j + 1 < seg.size()) lo = static_cast<uint8_t>(seg[++j]);
          ++j;
          if (j + 1 < seg.size() && seg[j] == '-' && seg[j + 1] != ']') {
            uint8_t hi = static_cast<uint8_t>(seg[j + 1]);
            j += 2;
            if (hi == '\\' && j < seg.size()) hi = static_cast<uint8_t>(seg[j++]);
            if (hi < lo)
              return pattern_error(pattern, "character range \"" + std::string(1, static_cast<char>(lo)) + "-" +
                                                std::string(1, static_cast<char>(hi)) + "\" is reversed");
            for (unsigned b = lo; b <= hi; ++b) add(static_cast<uint8_t>(b));
          } else {
            add(lo);
          }
        }
        if (!closed) return pattern_error(pattern, "unclosed \"[\"");
        // Close the class under ASCII case so that matching tests the raw byte.
        for (uint8_t b = 'a'; b <= 'z'; ++b) {
          uint8_t u = static_cast<uint8_t>(b - 32);
          bool either = ((set[b >> 6] >> (b & 63)) & 1) || ((set[u >> 6] >> (u & 63)) & 1);
          if (either) {
            add(b);
            add(u);
          }
        }
        if (negate)
          for (auto& word : set) word = ~word;
        if (out.classes_.size() >= 0xFFFF) return pattern_error(pattern, "too many character classes");
        s.tokens.push_back(Token{Token::Kind::cls, 0, static_cast<uint16_t>(out.classes_.size())});
        out.classes_.push_back(set);
        i = j;
      } else {
        s.tokens.push_back(Token{Token::Kind::literal, fold(c), 0});
      }
    }
    // Fast paths for the common shapes: "configure.ac" and "*.m4".
    bool literal_tail = true;
    for (size_t k = 1; k < s.tokens.size(); ++k) literal_tail = literal_tail && s.tokens[k].kind == Token::Kind::literal;
    bool all_literal = literal_tail && !s.tokens.empty() && s.tokens[0].kind == Token::Kind::literal;
    bool star_suffix = literal_tail && !s.tokens.empty() && s.tokens[0].kind == Token::Kind::star;
    if (all_literal || star_suffix) {
      s.kind = all_literal ? Segment::Kind::literal : Segment::Kind::suffix;
      for (size_t k = all_literal ? 0 : 1; k < s.tokens.size(); ++k) s.literal.push_back(static_cast<char>(s.tokens[k].byte));
      s.tokens.clear();
    }
    out.segments_.push_back(std::move(s));
  }
  // A trailing `**` adds nothing: a match of a directory covers what is below.
  while (!out.segments_.empty() && out.segments_.back().kind == Segment::Kind::globstar) out.segments_.pop_back();
  return out;
}

bool PathPattern::match_glob(const std::vector<Token>& tokens, std::string_view name) const {
  // Iterative glob with one backtrack point (the last '*'): linear in
  // practice, never exponential.
  size_t t = 0, n = 0, star_t = kExhausted, star_n = 0;
  while (n < name.size()) {
    if (t < tokens.size()) {
      const Token& tok = tokens[t];
      if (tok.kind == Token::Kind::star) {
        star_t = ++t;
        star_n = n;
        continue;
      }
      uint8_t c = static_cast<uint8_t>(name[n]);
      bool ok = tok.kind == Token::Kind::any ||
                (tok.kind == Token::Kind::literal && tok.byte == fold(c)) ||
                (tok.kind == Token::Kind::cls && ((classes_[tok.cls_index][c >> 6] >> (c & 63)) & 1));
      if (ok) {
        ++t;
        ++n;
        continue;
      }
    }
    if (star_t == kExhausted) return false;
    t = star_t;
    n = ++star_n;
  }
  while (t < tokens.size() && tokens[t].kind == Token::Kind::star) ++t;
  return t == tokens.size();
}

bool PathPattern::match_segment(const Segment& s, std::string_view name) const {
  switch (s.kind) {
    case Segment::Kind::literal:
      return name.size() == s.literal.size() && folded_equal(s.literal, name);
    case Segment::Kind::suffix:
      return name.size() >= s.literal.size() && folded_equal(s.literal, name.substr(name.size() - s.literal.size()));
    case Segment::Kind::glob: return match_glob(s.tokens, name);
    case Segment::Kind::globstar: return true;
  }
  return false;
}

bool PathPattern::matches(std::string_view path) const {
  // Segment-level glob: each pattern segment takes one path segment, `**`
  // any number (one backtrack point suffices, as for '*' within a segment).
  // The pattern needs to match only a leading run of segments: a matched
  // directory covers everything below it. Each path segment's end is found
  // once per visit with memchr; this loop is the hot path of rule evaluation.
  const char* data = path.data();
  const size_t size = path.size();
  auto end_of = [data, size](size_t pos) {
    const void* slash = std::memchr(data + pos, '/', size - pos);
    return slash ? static_cast<size_t>(static_cast<const char*>(slash) - data) : size;
  };
  const size_t count = segments_.size();
  if (count == 2 && segments_[0].kind == Segment::Kind::globstar) {
    // The most common shape, a name at any depth ("configure.ac", "*.m4"):
    // one pass over the segments.
    const Segment& s = segments_[1];
    for (size_t pos = 0;;) {
      size_t end = end_of(pos);
      if (match_segment(s, std::string_view(data + pos, end - pos))) return true;
      if (end == size) return false;
      pos = end + 1;
    }
  }
  size_t si = 0, pos = 0, end = end_of(0);
  size_t star_si = kExhausted, star_end = 0;
  for (;;) {
    if (si == count) return true;
    const Segment& s = segments_[si];
    if (s.kind == Segment::Kind::globstar) {
      star_si = ++si;
      star_end = end;
      continue;
    }
    if (match_segment(s, std::string_view(data + pos, end - pos))) {
      ++si;
      if (si == count) return true;
      if (end == size) return false;  // pattern left, path exhausted; backtracking cannot help
      pos = end + 1;
      end = end_of(pos);
      continue;
    }
    if (star_si == kExhausted || star_end == size) return false;
    // Let the last `**` take one more segment and retry from there.
    pos = star_end + 1;
    star_end = end = end_of(pos);
    si = star_si;
  }
}

}  // namespace vouch::policy
