// Test fixtures at the byte level: tar headers and zip records written by
// hand, so that the ambiguous archives of threat 36 (a GNU long name and a
// pax path for one member, a pax global path, a ustar prefix that disagrees,
// a zip whose local and central names differ) can be made exactly. No
// archiver would write them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vouch::test::bytes {

/// A 512-byte tar header. `magic` "ustar\0" + "00" is POSIX (prefix used),
/// "ustar  \0" is GNU.
inline std::string tar_header(const std::string& name, char type, uint64_t size, const std::string& prefix = "",
                              bool gnu = false, const std::string& linkname = "") {
  std::string h(512, '\0');
  auto put = [&](size_t off, const std::string& s, size_t len) { h.replace(off, std::min(s.size(), len), s.substr(0, len)); };
  auto octal = [&](size_t off, uint64_t v, size_t len) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(v));
    put(off, buf, len - 1);
  };
  put(0, name, 100);
  octal(100, type == '5' ? 0755 : 0644, 8);
  octal(108, 0, 8);
  octal(116, 0, 8);
  octal(124, size, 12);
  octal(136, 1700000000, 12);
  h[156] = type;
  put(157, linkname, 100);
  if (gnu) {
    put(257, std::string("ustar  \0", 8), 8);
  } else {
    put(257, std::string("ustar\0", 6), 6);
    put(263, "00", 2);
    put(345, prefix, 155);
  }
  put(148, "        ", 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06o", sum);
  put(148, std::string(buf, 6) + std::string("\0 ", 2), 8);
  return h;
}

inline std::string pad(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

/// A whole record: header plus padded data.
inline std::string record(const std::string& name, char type, const std::string& data, const std::string& prefix = "",
                          bool gnu = false, const std::string& linkname = "") {
  return tar_header(name, type, data.size(), prefix, gnu, linkname) + pad(data);
}

/// "LEN key=value\n" with LEN counting itself.
inline std::string pax_record(const std::string& key, const std::string& value) {
  std::string body = " " + key + "=" + value + "\n";
  size_t len = body.size() + 1;
  while (std::to_string(len).size() + body.size() != len) ++len;
  return std::to_string(len) + body;
}

inline std::string end_of_archive() { return std::string(1024, '\0'); }

// ---- zip ---------------------------------------------------------------------

inline std::string le16(uint32_t v) { return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)}; }
inline std::string le32(uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }

struct ZipEntry {
  std::string central_name;
  std::string local_name;  ///< what the local header says (normally the same)
  std::string data;
  std::string central_extra;
};

/// A stored (uncompressed) zip; CRC-32 computed properly.
inline std::string zip(const std::vector<ZipEntry>& entries) {
  auto crc32 = [](const std::string& s) {
    uint32_t c = 0xffffffff;
    for (unsigned char b : s) {
      c ^= b;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return c ^ 0xffffffff;
  };
  std::string out, central;
  for (const auto& e : entries) {
    uint32_t off = static_cast<uint32_t>(out.size());
    uint32_t crc = crc32(e.data);
    auto size = static_cast<uint32_t>(e.data.size());
    out += "PK\x03\x04" + le16(10) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) + le32(size) + le32(size) +
           le16(static_cast<uint32_t>(e.local_name.size())) + le16(0) + e.local_name + e.data;
    central += "PK\x01\x02" + le16(0x031e) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) +
               le32(size) + le32(size) + le16(static_cast<uint32_t>(e.central_name.size())) +
               le16(static_cast<uint32_t>(e.central_extra.size())) + le16(0) + le16(0) + le16(0) +
               le32(0100644u << 16) + le32(off) + e.central_name + e.central_extra;
  }
  uint32_t cd_off = static_cast<uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06" + le16(0) + le16(0) + le16(static_cast<uint32_t>(entries.size())) +
         le16(static_cast<uint32_t>(entries.size())) + le32(static_cast<uint32_t>(central.size())) + le32(cd_off) +
         le16(0);
  return out;
}

}  // namespace vouch::test::bytes
