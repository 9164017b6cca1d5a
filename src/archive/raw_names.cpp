#include "archive/raw_names.h"

#include <archive.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace vouch::archive {
namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxRecord = 1 << 20;  // a long name or pax header: far beyond any real one
constexpr uint64_t kMaxSize = uint64_t{1} << 62;

std::string field(const unsigned char* h, size_t off, size_t len) {
  const char* p = reinterpret_cast<const char*>(h) + off;
  return std::string(p, std::find(p, p + len, '\0'));
}

/// Octal (GNU and POSIX, spaces and NULs around) or base-256 (high bit set).
/// Returns false for anything else.
bool number(const unsigned char* h, size_t off, size_t len, uint64_t& out) {
  out = 0;
  if ((h[off] & 0x80) != 0) {
    if ((h[off] & 0x40) != 0) return false;  // negative
    uint64_t v = h[off] & 0x3f;
    for (size_t i = 1; i < len; ++i) {
      if (v > (kMaxSize >> 8)) return false;
      v = (v << 8) | h[off + i];
    }
    out = v;
    return true;
  }
  size_t i = off, end = off + len;
  while (i < end && (h[i] == ' ' || h[i] == '\0')) ++i;
  if (i == end) return true;  // empty: 0
  for (; i < end && h[i] >= '0' && h[i] <= '7'; ++i) {
    if (out > (kMaxSize >> 3)) return false;
    out = out * 8 + static_cast<uint64_t>(h[i] - '0');
  }
  for (; i < end; ++i)
    if (h[i] != ' ' && h[i] != '\0') return false;
  return true;
}

bool checksum_ok(const unsigned char* h) {
  uint64_t stored = 0;
  if (!number(h, 148, 8, stored)) return false;
  uint64_t unsigned_sum = 0;
  int64_t signed_sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
    unsigned_sum += c;
    signed_sum += static_cast<signed char>(c);
  }
  return stored == unsigned_sum || static_cast<int64_t>(stored) == signed_sum;
}

uint64_t padded(uint64_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

std::string quoted(std::string_view s) {
  constexpr size_t kShown = 200;
  std::string out(s.substr(0, kShown));
  if (s.size() > kShown) out += "...";
  return out;
}

}  // namespace

// ---- tar ---------------------------------------------------------------------

void TarHeaderScanner::stop(std::string detail) {
  out_.issues.push_back({{}, std::move(detail)});
  done_ = true;
}

bool TarHeaderScanner::feed(std::string_view bytes) {
  while (!bytes.empty() && !done_) {
    if (skip_ > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(skip_, bytes.size()));
      skip_ -= n;
      bytes.remove_prefix(n);
      continue;
    }
    if (collect_ > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(collect_, bytes.size()));
      meta_data_.append(bytes.substr(0, n));
      collect_ -= n;
      bytes.remove_prefix(n);
      if (collect_ == 0) {
        skip_ = pad_;
        meta_done();
      }
      continue;
    }
    size_t n = std::min(kBlock - block_.size(), bytes.size());
    block_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (block_.size() < kBlock) continue;
    std::string b = std::move(block_);
    block_.clear();
    const auto* h = reinterpret_cast<const unsigned char*>(b.data());
    if (sparse_ext_ > 0) {  // an old GNU sparse extension block: more follow while its flag is set
      if (h[504] == 0) {
        sparse_ext_ = 0;
        skip_ = padded(sparse_data_);
      }
      continue;
    }
    header(h);
  }
  return !done_;
}

void TarHeaderScanner::header(const unsigned char* h) {
  if (std::all_of(h, h + kBlock, [](unsigned char c) { return c == 0; })) {
    // The end of the archive, as libarchive and GNU tar read it (without
    // --ignore-zeros). A record announced for a member that never came is
    // read by no one; say so.
    if (longnames_ + longlinks_ + paxes_ > 0) out_.issues.push_back({{}, "a long-name record or pax header is followed by no member"});
    done_ = true;
    return;
  }
  if (!checksum_ok(h)) return stop("header checksum mismatch: the headers cannot be read past here");
  char type = static_cast<char>(h[156]);
  uint64_t size = 0;
  if (!number(h, 124, 12, size)) return stop("unreadable size field in a tar header");
  switch (type) {
    case 'L':
    case 'K':
    case 'x':
    case 'X':
    case 'g':
      if (size > kMaxRecord)
        return stop(std::string("a ") + (type == 'L' || type == 'K' ? "long-name record" : "pax header") + " of " +
                    std::to_string(size) + " bytes (at most " + std::to_string(kMaxRecord) + ")");
      meta_ = type == 'L' ? Meta::longname : type == 'K' ? Meta::longlink : type == 'g' ? Meta::pax_global : Meta::pax;
      meta_data_.clear();
      collect_ = size;
      pad_ = padded(size) - size;
      if (size == 0) meta_done();
      return;
    case 'A':  // Solaris ACL: metadata for the next member, no name
      skip_ = padded(size);
      return;
    case 'V':  // GNU volume label: no member, every reader skips it
      skip_ = padded(size);
      return;
    default: entry(h, type);
  }
}

void TarHeaderScanner::meta_done() {
  switch (meta_) {
    case Meta::longname:
      ++longnames_;
      longname_ = meta_data_.substr(0, meta_data_.find('\0'));
      break;
    case Meta::longlink:
      ++longlinks_;
      longlink_ = meta_data_.substr(0, meta_data_.find('\0'));
      break;
    case Meta::pax:
      ++paxes_;
      pax_records(meta_data_, false);
      break;
    case Meta::pax_global: pax_records(meta_data_, true); break;
    case Meta::none: break;
  }
  meta_ = Meta::none;
  meta_data_.clear();
}

void TarHeaderScanner::pax_records(std::string_view data, bool global) {
  std::set<std::string> seen;
  while (!data.empty()) {
    size_t sp = data.find(' ');
    uint64_t len = 0;
    bool ok = sp != std::string_view::npos && sp > 0 && sp <= 20;
    for (size_t i = 0; ok && i < sp; ++i) {
      ok = data[i] >= '0' && data[i] <= '9';
      len = len * 10 + static_cast<uint64_t>(data[i] - '0');
    }
    ok = ok && len > sp + 1 && len <= data.size() && data[len - 1] == '\n';
    if (!ok) {
      // A NUL-padded tail is how some writers end a pax header.
      if (std::all_of(data.begin(), data.end(), [](char c) { return c == '\0'; })) return;
      pax_problems_.push_back("a malformed pax record");
      if (global) out_.issues.push_back({{}, "a malformed record in a pax global header"});
      return;
    }
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    data.remove_prefix(len);
    size_t eq = rec.find('=');
    if (eq == std::string_view::npos) {
      pax_problems_.push_back("a pax record without '='");
      continue;
    }
    std::string key(rec.substr(0, eq));
    std::string value(rec.substr(eq + 1));
    bool name_key = key == "path" || key == "linkpath" || key == "GNU.sparse.name";
    if (global) {
      if (name_key)
        out_.issues.push_back({{value}, "a pax global header sets " + key + "=" + quoted(value) +
                                            ": extractors disagree on whether it names the members that follow"});
      continue;
    }
    if (!seen.insert(key).second && name_key) pax_problems_.push_back("a pax header sets " + key + " twice");
    if (name_key && value.find('\0') != std::string::npos)
      pax_problems_.push_back("the pax " + key + " holds a NUL byte (extractors cut it at different places)");
    if (key == "path") {
      has_path_ = true;
      path_ = value;
    } else if (key == "linkpath") {
      has_linkpath_ = true;
      linkpath_ = value;
    } else if (key == "GNU.sparse.name") {
      has_sparse_name_ = true;
      sparse_name_ = value;
    } else if (key == "size") {
      uint64_t v = 0;
      bool digits = !value.empty() && value.size() <= 19;
      for (char c : value) {
        digits = digits && c >= '0' && c <= '9';
        if (digits) v = v * 10 + static_cast<uint64_t>(c - '0');
      }
      if (!digits) {
        pax_problems_.push_back("an unreadable pax size");
      } else {
        has_size_ = true;
        pax_size_ = v;
      }
    }
  }
}

void TarHeaderScanner::entry(const unsigned char* h, char type) {
  std::string name = field(h, 0, 100);
  bool posix = std::equal(h + 257, h + 263, "ustar\0");
  std::string prefix = posix ? field(h, 345, 155) : "";
  std::string ustar = prefix.empty() ? name : prefix + "/" + name;
  std::string linkname = field(h, 157, 100);

  // libarchive's reading: GNU.sparse.name (a sparse member's real name; its
  // path is "GNUSparseFile.0/..."), else pax path, else the GNU long name,
  // else the header's.
  std::string effective = has_sparse_name_ ? sparse_name_ : has_path_ ? path_ : longnames_ > 0 ? longname_ : ustar;
  std::vector<std::string> names = {effective};
  auto also = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  std::vector<std::string> problems = pax_problems_;
  if (longnames_ > 1) problems.push_back(std::to_string(longnames_) + " GNU long-name records for one member");
  if (longlinks_ > 1) problems.push_back(std::to_string(longlinks_) + " GNU long-link records for one member");
  if (paxes_ > 1) problems.push_back(std::to_string(paxes_) + " pax headers for one member");
  if (longnames_ > 0 && has_path_) {
    also(longname_);
    problems.push_back("name from both a GNU long-name record (" + quoted(longname_) + ") and a pax path (" +
                       quoted(path_) + ")");
  }
  if (longlinks_ > 0 && has_linkpath_)
    problems.push_back("link target from both a GNU long-link record (" + quoted(longlink_) + ") and a pax linkpath (" +
                       quoted(linkpath_) + ")");
  if (has_sparse_name_ && longnames_ > 0) {
    also(longname_);
    problems.push_back("name from both a GNU long-name record (" + quoted(longname_) + ") and GNU.sparse.name (" +
                       quoted(sparse_name_) + ")");
  }
  if (!prefix.empty() && (has_path_ || longnames_ > 0)) {
    for (const std::string* other : {has_path_ ? &path_ : nullptr, longnames_ > 0 ? &longname_ : nullptr}) {
      if (other != nullptr && *other != ustar) {
        also(ustar);
        problems.push_back("the ustar name " + quoted(ustar) + " (prefix and name) disagrees with " + quoted(*other));
        break;
      }
    }
  }
  static const std::string kPlain = std::string("01234567SD") + '\0';
  if (kPlain.find(type) == std::string::npos) {
    std::string shown = type >= 0x20 && type < 0x7f ? std::string(1, type) : "\\x" + std::to_string(static_cast<unsigned char>(type));
    problems.push_back("tar record type '" + shown + "' is read differently by different extractors");
  }
  for (auto& p : problems) out_.issues.push_back({names, std::move(p)});

  if (out_.members.size() >= max_members_) return stop("more than " + std::to_string(max_members_) + " members");
  out_.members.push_back(effective);

  uint64_t size = 0;
  if (!number(h, 124, 12, size)) return stop("unreadable size field in a tar header");
  if (has_size_) size = pax_size_;
  // Links, directories and devices carry no data whatever the size says
  // (libarchive and GNU tar agree on that); GNU dumpdirs ('D') do.
  if (type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6') size = 0;
  if (size > kMaxSize) return stop("a member declares " + std::to_string(size) + " bytes");
  if (type == 'S' && h[482] != 0) {
    sparse_ext_ = 1;
    sparse_data_ = size;
  } else {
    skip_ = padded(size);
  }
  longnames_ = longlinks_ = paxes_ = 0;
  longname_.clear();
  longlink_.clear();
  has_path_ = has_linkpath_ = has_sparse_name_ = has_size_ = false;
  path_.clear();
  linkpath_.clear();
  sparse_name_.clear();
  pax_problems_.clear();
}

RawNames TarHeaderScanner::finish() {
  if (!done_ && (!block_.empty() || collect_ > 0 || longnames_ + longlinks_ + paxes_ > 0))
    out_.issues.push_back({{}, "the tar stream ends inside a header or record"});
  done_ = true;
  return std::move(out_);
}

// ---- zip ---------------------------------------------------------------------

namespace {

uint32_t le16(const std::string& b, size_t off) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[off])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[off + 1])) << 8;
}
uint32_t le32(const std::string& b, size_t off) { return le16(b, off) | le16(b, off + 2) << 16; }
uint64_t le64(const std::string& b, size_t off) {
  return static_cast<uint64_t>(le32(b, off)) | static_cast<uint64_t>(le32(b, off + 4)) << 32;
}

/// The value of extra field `id` in `extra`, if present (first occurrence);
/// `count` is set to how many times it occurs.
std::optional<std::string> extra_field(const std::string& extra, uint32_t id, int& count) {
  std::optional<std::string> out;
  count = 0;
  size_t i = 0;
  while (i + 4 <= extra.size()) {
    uint32_t fid = le16(extra, i), len = le16(extra, i + 2);
    if (i + 4 + len > extra.size()) break;
    if (fid == id) {
      ++count;
      if (!out) out = extra.substr(i + 4, len);
    }
    i += 4 + len;
  }
  return out;
}

/// The Info-ZIP Unicode Path (0x7075) name, if the field is there and readable.
std::optional<std::string> unicode_path(const std::string& extra, int& count) {
  auto f = extra_field(extra, 0x7075, count);
  if (!f || f->size() < 5 || (*f)[0] != 1) return std::nullopt;
  return f->substr(5);
}

}  // namespace

RawNames scan_zip(uint64_t size, const std::function<bool(uint64_t, size_t, std::string&)>& read,
                  uint64_t max_members) {
  RawNames out;
  auto fail = [&](std::string detail) {
    out.issues.push_back({{}, "zip: " + std::move(detail)});
    return out;
  };
  // End of central directory: the last "PK\5\6" whose comment ends the file.
  if (size < 22) return fail("no end of central directory record");
  uint64_t tail_len = std::min<uint64_t>(size, 22 + 65535);
  std::string tail;
  if (!read(size - tail_len, static_cast<size_t>(tail_len), tail)) return fail("cannot read the end of the file");
  std::optional<size_t> eocd;
  for (size_t i = tail.size() - 22 + 1; i-- > 0;) {
    if (tail.compare(i, 4, "PK\x05\x06") == 0 && i + 22 + le16(tail, i + 20) == tail.size()) {
      eocd = i;
      break;
    }
  }
  if (!eocd) return fail("no end of central directory record");
  uint64_t eocd_off = size - tail_len + *eocd;
  uint64_t entries = le16(tail, *eocd + 10);
  uint64_t cd_size = le32(tail, *eocd + 12);
  uint64_t cd_off = le32(tail, *eocd + 16);
  if (le16(tail, *eocd + 4) != 0 || le16(tail, *eocd + 6) != 0) return fail("a multi-disk archive");
  if (entries == 0xffff || cd_size == 0xffffffff || cd_off == 0xffffffff) {
    std::string loc, rec;
    if (eocd_off < 20 || !read(eocd_off - 20, 20, loc) || loc.compare(0, 4, "PK\x06\x07") != 0)
      return fail("no zip64 end of central directory locator");
    uint64_t rec_off = le64(loc, 8);
    if (!read(rec_off, 56, rec) || rec.compare(0, 4, "PK\x06\x06") != 0)
      return fail("no zip64 end of central directory record");
    entries = le64(rec, 32);
    cd_size = le64(rec, 40);
    cd_off = le64(rec, 48);
  }
  if (entries > max_members) return fail("more than " + std::to_string(max_members) + " entries");
  if (cd_off > size || cd_size > size - cd_off) return fail("the central directory lies outside the file");

  std::map<uint64_t, std::string> locals;  // local header offset -> central name
  uint64_t pos = cd_off, end = cd_off + cd_size;
  for (uint64_t n = 0; n < entries; ++n) {
    std::string fixed;
    if (pos + 46 > end || !read(pos, 46, fixed) || fixed.compare(0, 4, "PK\x01\x02") != 0)
      return fail("central directory entry " + std::to_string(n + 1) + " is unreadable");
    uint32_t name_len = le16(fixed, 28), extra_len = le16(fixed, 30), comment_len = le16(fixed, 32);
    uint64_t local_off = le32(fixed, 42);
    std::string name, extra;
    if (pos + 46 + name_len + extra_len + comment_len > end || !read(pos + 46, name_len, name) ||
        !read(pos + 46 + name_len, extra_len, extra))
      return fail("central directory entry " + std::to_string(n + 1) + " is unreadable");
    pos += 46 + name_len + extra_len + comment_len;
    std::vector<std::string> names = {name};
    auto issue = [&](std::string detail) { out.issues.push_back({names, std::move(detail)}); };
    int count = 0;
    if (auto u = unicode_path(extra, count); u && *u != name) {
      names.push_back(*u);
      issue("the Unicode Path extra field names it " + quoted(*u) + ", the central directory " + quoted(name));
    }
    if (count > 1) issue("more than one Unicode Path extra field");
    if (local_off == 0xffffffff) {
      int zcount = 0;
      auto z = extra_field(extra, 0x0001, zcount);
      // Zip64 extra: uncompressed and compressed size come first when their
      // 32-bit fields are saturated, then the offset.
      size_t at = (le32(fixed, 24) == 0xffffffff ? 8 : 0) + (le32(fixed, 20) == 0xffffffff ? 8 : 0);
      if (!z || z->size() < at + 8) {
        issue("a zip64 local header offset that cannot be read");
        continue;
      }
      local_off = le64(*z, at);
    }
    if (auto [it, fresh] = locals.emplace(local_off, name); !fresh) {
      names.push_back(it->second);
      issue("shares its local header with " + quoted(it->second));
      continue;
    }
    std::string lfixed, lname, lextra;
    if (local_off > size || !read(local_off, 30, lfixed) || lfixed.compare(0, 4, "PK\x03\x04") != 0 ||
        !read(local_off + 30, le16(lfixed, 26), lname) || !read(local_off + 30 + le16(lfixed, 26), le16(lfixed, 28), lextra)) {
      issue("its local header is missing or unreadable");
      continue;
    }
    if (lname != name) {
      names.push_back(lname);
      issue("the local header names it " + quoted(lname) + ", the central directory " + quoted(name));
    }
    int lcount = 0;
    if (auto u = unicode_path(lextra, lcount); u && *u != name) {
      names.push_back(*u);
      issue("the local header's Unicode Path extra field names it " + quoted(*u));
    }
  }
  return out;
}

// ---- glue ----------------------------------------------------------------------

namespace {

struct ArchiveFree {
  void operator()(struct ::archive* a) const { archive_read_free(a); }
};
using RawReader = std::unique_ptr<struct ::archive, ArchiveFree>;

Result<RawReader> open_raw(const std::string& name) {
  RawReader a(archive_read_new());
  if (!a) return make_error(ErrorKind::environment, "cannot read archive " + name + ": out of memory");
  archive_read_support_format_raw(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_filter_lzip(a.get());
  return a;
}

Result<RawNames> scan_tar(struct ::archive* a, const std::string& name, uint64_t max_members, uint64_t max_stream) {
  auto error = [&] {
    const char* s = archive_error_string(a);
    return make_error(ErrorKind::malformed, "cannot read archive " + name + ": " + (s ? s : "unknown libarchive error"));
  };
  struct archive_entry* e = nullptr;
  if (archive_read_next_header(a, &e) != ARCHIVE_OK) return error();
  TarHeaderScanner scanner(max_members);
  std::array<char, 64 * 1024> buf{};
  uint64_t total = 0;
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
    if (n < 0) return error();
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > max_stream)
      return make_error(ErrorKind::bad_input, "archive " + name + ": the decompressed stream is over " +
                                                  std::to_string(max_stream) + " bytes (raise --max-bytes to read it)");
    if (!scanner.feed(std::string_view(buf.data(), static_cast<size_t>(n)))) break;
  }
  return scanner.finish();
}

}  // namespace

Result<RawNames> scan_raw_names_file(const std::string& path, bool zip, uint64_t max_members, uint64_t max_stream) {
  if (zip) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) return make_error(ErrorKind::bad_input, "cannot read archive " + path);
    if (std::fseek(f.get(), 0, SEEK_END) != 0) return make_error(ErrorKind::bad_input, "cannot read archive " + path);
    long size = std::ftell(f.get());
    if (size < 0) return make_error(ErrorKind::bad_input, "cannot read archive " + path);
    auto read = [&](uint64_t off, size_t n, std::string& out) {
      if (off > static_cast<uint64_t>(size) || n > static_cast<uint64_t>(size) - off) return false;
      out.assign(n, '\0');
      if (std::fseek(f.get(), static_cast<long>(off), SEEK_SET) != 0) return false;
      return n == 0 || std::fread(out.data(), 1, n, f.get()) == n;
    };
    return scan_zip(static_cast<uint64_t>(size), read, max_members);
  }
  auto a = open_raw(path);
  if (!a) return a.error();
  if (archive_read_open_filename(a->get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    const char* s = archive_error_string(a->get());
    return make_error(ErrorKind::bad_input, "cannot read archive " + path + ": " + (s ? s : "unknown libarchive error"));
  }
  return scan_tar(a->get(), path, max_members, max_stream);
}

Result<RawNames> scan_raw_names_memory(std::string_view bytes, const std::string& name, bool zip,
                                       uint64_t max_members, uint64_t max_stream) {
  if (zip) {
    auto read = [&](uint64_t off, size_t n, std::string& out) {
      if (off > bytes.size() || n > bytes.size() - off) return false;
      out.assign(bytes.substr(static_cast<size_t>(off), n));
      return true;
    };
    return scan_zip(bytes.size(), read, max_members);
  }
  auto a = open_raw(name);
  if (!a) return a.error();
  if (archive_read_open_memory(a->get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    const char* s = archive_error_string(a->get());
    return make_error(ErrorKind::malformed, "cannot read archive " + name + ": " + (s ? s : "unknown libarchive error"));
  }
  return scan_tar(a->get(), name, max_members, max_stream);
}

void cross_check(RawNames& raw, const std::vector<std::string>& libarchive_names) {
  if (raw.members.size() != libarchive_names.size()) {
    raw.issues.push_back({{}, "the tar headers list " + std::to_string(raw.members.size()) + " members, libarchive " +
                                  std::to_string(libarchive_names.size()) + ": extractors would not agree on the contents"});
    return;
  }
  for (size_t i = 0; i < raw.members.size(); ++i) {
    if (raw.members[i] != libarchive_names[i])
      raw.issues.push_back({{libarchive_names[i], raw.members[i]},
                            "libarchive reads " + quoted(libarchive_names[i]) + " where the headers say " +
                                quoted(raw.members[i])});
  }
}

}  // namespace vouch::archive
