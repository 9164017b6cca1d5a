#include "git/signed_object.h"

#include <array>
#include <limits>

namespace vouch::git {
namespace {

// One line of an object: [begin, end) without the '\n'; `next` is where the
// following line starts; `terminated` says whether a '\n' ended it.
struct Line {
  std::string_view text;
  size_t begin = 0;
  size_t next = 0;
  bool terminated = false;
};

Line line_at(std::string_view raw, size_t pos) {
  Line l;
  l.begin = pos;
  size_t eol = raw.find('\n', pos);
  if (eol == std::string_view::npos) {
    l.text = raw.substr(pos);
    l.next = raw.size();
  } else {
    l.text = raw.substr(pos, eol - pos);
    l.next = eol + 1;
    l.terminated = true;
  }
  return l;
}

// Name of a header line: everything before the first space (the whole line
// when there is none).
std::string_view header_name(std::string_view line) {
  size_t sp = line.find(' ');
  return sp == std::string_view::npos ? line : line.substr(0, sp);
}

// Value of a header line: everything after the first space (empty if none).
std::string_view header_value(std::string_view line) {
  size_t sp = line.find(' ');
  return sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The value of the first header `name` in the header section (before the
// first blank line), without continuation lines.
std::optional<std::string_view> first_header(std::string_view raw, std::string_view name) {
  size_t pos = 0;
  while (pos < raw.size()) {
    Line l = line_at(raw, pos);
    if (l.text.empty()) return std::nullopt;  // end of headers
    if (l.text.front() != ' ' && header_name(l.text) == name) return header_value(l.text);
    pos = l.next;
  }
  return std::nullopt;
}

// Time from an ident "Name <email> 1234567890 +0000": the digits after the
// last '>'. Only plain non-negative decimal numbers that fit int64 are accepted.
std::optional<int64_t> ident_time(std::string_view ident) {
  size_t gt = ident.rfind('>');
  if (gt == std::string_view::npos) return std::nullopt;
  size_t i = gt + 1;
  while (i < ident.size() && ident[i] == ' ') ++i;
  int64_t value = 0;
  size_t digits = 0;
  for (; i < ident.size() && ident[i] >= '0' && ident[i] <= '9'; ++i, ++digits) {
    int d = ident[i] - '0';
    if (value > (std::numeric_limits<int64_t>::max() - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  if (digits == 0) return std::nullopt;
  if (i < ident.size() && ident[i] != ' ') return std::nullopt;
  return value;
}

constexpr std::array<std::string_view, 4> kArmorHeaders = {
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN PGP MESSAGE-----",
    "-----BEGIN SSH SIGNATURE-----",
    "-----BEGIN SIGNED MESSAGE-----",
};

}  // namespace

Result<CommitSignature> split_commit_signature(std::string_view raw) {
  enum class Current { none, keep, gpgsig, gpgsig_sha256 };
  CommitSignature out;
  std::string sig_sha1;
  std::string sig_sha256;
  bool seen_sha1 = false;
  bool seen_sha256 = false;
  Current current = Current::none;
  out.payload.reserve(raw.size());

  size_t pos = 0;
  bool terminated = false;
  while (pos < raw.size()) {
    Line l = line_at(raw, pos);
    std::string_view whole = raw.substr(l.begin, l.next - l.begin);
    if (l.text.empty() && l.terminated) {
      terminated = true;
      break;  // the blank line and the message are copied below
    }
    if (!l.terminated) break;  // header section runs into the end of the object
    if (l.text.front() == ' ') {
      switch (current) {
        case Current::none:
          return make_error(ErrorKind::malformed,
                            "commit header continuation line without a header");
        case Current::keep: out.payload.append(whole); break;
        case Current::gpgsig: sig_sha1.append(whole.substr(1)); break;
        case Current::gpgsig_sha256: sig_sha256.append(whole.substr(1)); break;
      }
    } else {
      std::string_view name = header_name(l.text);
      std::string_view value_line = whole.substr(std::min(whole.size(), name.size() + 1));
      if (name == "gpgsig") {
        if (seen_sha1) return make_error(ErrorKind::malformed, "commit has two gpgsig headers");
        seen_sha1 = true;
        current = Current::gpgsig;
        sig_sha1.append(value_line);
      } else if (name == "gpgsig-sha256") {
        if (seen_sha256) {
          return make_error(ErrorKind::malformed, "commit has two gpgsig-sha256 headers");
        }
        seen_sha256 = true;
        current = Current::gpgsig_sha256;
        sig_sha256.append(value_line);
      } else {
        current = Current::keep;
        out.payload.append(whole);
      }
    }
    pos = l.next;
  }
  if (!terminated) {
    return make_error(ErrorKind::malformed, "commit header is not terminated by a blank line");
  }
  out.payload.append(raw.substr(pos));

  if (seen_sha1) {
    out.present = true;
    out.signature = std::move(sig_sha1);
  } else {
    out.only_sha256_signature = seen_sha256;
  }
  return out;
}

TagSignature split_tag_signature(std::string_view raw) {
  // git's parse_signed_buffer(): the last line (anywhere) starting with a
  // known armor header begins the signature.
  size_t match = std::string_view::npos;
  size_t pos = 0;
  while (pos < raw.size()) {
    Line l = line_at(raw, pos);
    for (std::string_view armor : kArmorHeaders) {
      if (starts_with(l.text, armor)) {
        match = l.begin;
        break;
      }
    }
    pos = l.next;
  }
  TagSignature out;
  if (match == std::string_view::npos) {
    out.payload = std::string(raw);
    return out;
  }
  out.present = true;
  out.payload = std::string(raw.substr(0, match));
  out.signature = std::string(raw.substr(match));
  return out;
}

std::vector<std::string> mergetags(std::string_view raw) {
  std::vector<std::string> tags;
  bool in_mergetag = false;
  size_t pos = 0;
  while (pos < raw.size()) {
    Line l = line_at(raw, pos);
    if (l.text.empty()) break;  // end of headers (or a truncated object)
    std::string_view whole = raw.substr(l.begin, l.next - l.begin);
    if (l.text.front() == ' ') {
      if (in_mergetag) tags.back().append(whole.substr(1));
    } else if (header_name(l.text) == "mergetag") {
      in_mergetag = true;
      tags.emplace_back(whole.substr(std::min(whole.size(), sizeof("mergetag"))));
    } else {
      in_mergetag = false;
    }
    pos = l.next;
  }
  return tags;
}

std::optional<int64_t> committer_time(std::string_view raw_commit) {
  auto ident = first_header(raw_commit, "committer");
  if (!ident) return std::nullopt;
  return ident_time(*ident);
}

std::optional<int64_t> tagger_time(std::string_view raw_tag) {
  auto ident = first_header(raw_tag, "tagger");
  if (!ident) return std::nullopt;
  return ident_time(*ident);
}

std::optional<std::string> tag_name(std::string_view raw_tag) {
  auto name = first_header(raw_tag, "tag");
  if (!name) return std::nullopt;
  return std::string(*name);
}

std::optional<std::string> tag_name_mismatch(const Repository::Tag& tag) {
  if (!tag.annotated) return std::nullopt;
  auto header = tag_name(tag.raw);
  if (header && *header == tag.name) return std::nullopt;
  return "tag name mismatch: " + tag.ref + " holds tag object " + tag.tag_oid.substr(0, 12) +
         (header ? " named " + *header : std::string(" without a name"));
}

std::vector<std::string> commit_parents(std::string_view raw) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    if (end == std::string_view::npos || end == pos) break;  // end of the header
    auto line = raw.substr(pos, end - pos);
    if (line.starts_with("parent ")) out.emplace_back(line.substr(7));
    pos = end + 1;
  }
  return out;
}

std::string message_summary(std::string_view raw) {
  auto body = raw.find("\n\n");
  if (body == std::string_view::npos) return "";
  auto msg = raw.substr(body + 2);
  auto line = msg.substr(0, msg.find('\n'));
  if (line.size() <= kMaxSummaryBytes) return std::string(line);
  // Cut a huge first line (a 100 MB message must not become a 100 MB
  // report), never inside a UTF-8 sequence.
  size_t cut = kMaxSummaryBytes;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string(line.substr(0, cut)) + "...";
}

}  // namespace vouch::git
