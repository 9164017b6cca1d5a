#include "crypto/armor.h"

#include <cstdio>
#include <vector>

#include "util/base64.h"

namespace vouch::crypto::pgp {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(trim_right(text));
      break;
    }
    lines.push_back(trim_right(text.substr(0, nl)));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

/// The label of a "-----<prefix>LABEL-----" line, or nullopt.
std::optional<std::string_view> marker_label(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size() + kDashes.size() || line.substr(0, prefix.size()) != prefix ||
      line.substr(line.size() - kDashes.size()) != kDashes)
    return std::nullopt;
  auto label = line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size());
  if (label.empty()) return std::nullopt;
  return label;
}

Error malformed(std::string message) { return make_error(ErrorKind::malformed, "armor: " + std::move(message)); }

std::string hex24(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%06X", static_cast<unsigned>(v));
  return buf;
}

}  // namespace

uint32_t crc24(std::string_view data) {
  uint32_t crc = 0xB704CEu;
  for (char ch : data) {
    crc ^= static_cast<uint32_t>(static_cast<uint8_t>(ch)) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000u) crc ^= 0x1864CFBu;
    }
  }
  return crc & 0xFFFFFFu;
}

bool looks_like_armor(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  return text.substr(i).starts_with("-----BEGIN PGP ");
}

Result<Armored> dearmor(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  if (text.empty()) return malformed("empty input");
  auto lines = split_lines(text);
  size_t i = 0;
  auto label = marker_label(lines[i], kBegin);
  if (!label) return malformed("no \"-----BEGIN ...-----\" line at the start");
  Armored out;
  out.label = std::string(*label);
  const std::string end_line = std::string(kEnd) + out.label + std::string(kDashes);
  ++i;

  // Headers up to the blank line.
  for (;; ++i) {
    if (i == lines.size()) return malformed("missing \"" + end_line + "\" line");
    if (lines[i].empty()) break;
    if (marker_label(lines[i], kEnd))
      return malformed("no blank line between the armor headers and the body");
    size_t colon = lines[i].find(": ");
    if (colon == std::string_view::npos || colon == 0)
      return malformed("header line " + std::to_string(i + 1) + " is not \"Key: value\"");
  }
  ++i;

  std::string body;
  std::optional<std::string_view> crc_text;
  for (;; ++i) {
    if (i == lines.size()) return malformed("missing \"" + end_line + "\" line");
    std::string_view line = lines[i];
    if (line.starts_with("=")) {
      crc_text = line.substr(1);
      ++i;
      break;
    }
    if (line.starts_with(kDashes)) break;
    body.append(line);
  }
  if (i == lines.size()) return malformed("missing \"" + end_line + "\" line");
  if (auto end_label = marker_label(lines[i], kEnd); !end_label || *end_label != out.label) {
    if (end_label)
      return malformed("END label \"" + std::string(*end_label) + "\" does not match BEGIN label \"" +
                       out.label + "\"");
    return malformed("missing \"" + end_line + "\" line");
  }
  for (++i; i < lines.size(); ++i)
    if (!lines[i].empty()) return malformed("data after the END line");

  auto data = util::base64_decode(body);
  if (!data) return malformed("bad base64 in the body");
  out.data = std::move(*data);
  if (crc_text) {
    auto crc = util::base64_decode(*crc_text);
    if (!crc || crc->size() != 3) return malformed("bad CRC-24 line \"=" + std::string(*crc_text) + "\"");
    uint32_t want = (uint32_t{static_cast<uint8_t>((*crc)[0])} << 16) |
                    (uint32_t{static_cast<uint8_t>((*crc)[1])} << 8) | static_cast<uint8_t>((*crc)[2]);
    uint32_t got = crc24(out.data);
    if (want != got) return malformed("CRC-24 mismatch (armor says " + hex24(want) + ", data gives " + hex24(got) + ")");
  }
  return out;
}

Result<std::vector<Armored>> dearmor_all(std::string_view text) {
  std::vector<Armored> blocks;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = trim_right(text.substr(pos, next - pos));
    auto label = marker_label(line, kBegin);
    if (!label) {
      pos = next;
      continue;
    }
    const std::string end_line = std::string(kEnd) + std::string(*label) + std::string(kDashes);
    const std::string block_name = "block " + std::to_string(blocks.size() + 1);
    size_t end = next;
    for (;;) {
      if (end >= text.size()) return malformed(block_name + ": missing \"" + end_line + "\" line");
      size_t e = text.find('\n', end);
      size_t after = e == std::string_view::npos ? text.size() : e + 1;
      if (trim_right(text.substr(end, after - end)) == end_line) {
        end = after;
        break;
      }
      end = after;
    }
    auto block = dearmor(text.substr(pos, end - pos));
    if (!block) return make_error(ErrorKind::malformed, "armor: " + block_name + ": " + block.error().message.substr(7));
    blocks.push_back(std::move(*block));
    pos = end;
  }
  if (blocks.empty()) return malformed("no \"-----BEGIN ...-----\" line");
  return blocks;
}

std::string armor(std::string_view label, std::string_view data) {
  std::string out = std::string(kBegin) + std::string(label) + std::string(kDashes) + "\n\n";
  std::string b64 = util::base64_encode(data);
  for (size_t pos = 0; pos < b64.size(); pos += 64) out += b64.substr(pos, 64) + "\n";
  uint32_t crc = crc24(data);
  std::string crc_bytes = {static_cast<char>(crc >> 16), static_cast<char>((crc >> 8) & 0xFF),
                           static_cast<char>(crc & 0xFF)};
  out += "=" + util::base64_encode(crc_bytes) + "\n";
  out += std::string(kEnd) + std::string(label) + std::string(kDashes) + "\n";
  return out;
}

Result<std::string> binary_packets(std::string_view armored_or_binary, std::string_view label,
                                   std::string_view what) {
  if (!looks_like_armor(armored_or_binary)) return std::string(armored_or_binary);
  auto a = dearmor(armored_or_binary);
  if (!a) return a.error();
  if (a->label != label)
    return make_error(ErrorKind::malformed, std::string(what) +
                      "armor label is \"" + a->label + "\", expected \"" + std::string(label) + "\"");
  return std::move(a->data);
}

}  // namespace vouch::crypto::pgp
