#include "archive/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <locale.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <utility>

#include "crypto/digest.h"
#include "util/hex.h"

namespace vouch::archive {
namespace {

constexpr size_t kChunk = 64 * 1024;
// A member without a declared size (a streamed zip entry) must be held in
// memory before its blob header can be written; this bounds that.
constexpr uint64_t kMaxUndeclared = 64ull << 20;

// libarchive converts member names to the thread's locale, and vouch never
// calls setlocale(): in the "C" locale a zip name flagged UTF-8 ("café")
// cannot be converted and is lost. Every libarchive read call runs under
// C.UTF-8 (glibc has it built in) so such names come through as UTF-8 bytes.
class Utf8Locale {
 public:
  Utf8Locale() {
    static const locale_t utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", nullptr);
    if (utf8 != nullptr) previous_ = uselocale(utf8);
  }
  ~Utf8Locale() {
    if (previous_ != nullptr) uselocale(previous_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t previous_ = nullptr;
};

std::string blob_header(uint64_t size) {
  std::string h = "blob " + std::to_string(size);
  h.push_back('\0');
  return h;
}

// Only the formats and built-in filters of the header contract: no cpio, no
// mtree (which reads files named in it from the local disk), no external
// decompressor programs.
Result<struct ::archive*> new_reader(const std::string& name) {
  struct ::archive* a = archive_read_new();
  if (a == nullptr) return make_error(ErrorKind::environment, "cannot read archive " + name + ": out of memory");
  archive_read_support_format_tar(a);
  archive_read_support_format_zip(a);
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_bzip2(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_lzma(a);
  archive_read_support_filter_lzip(a);
  return a;
}

std::string libarchive_message(struct ::archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

MemberKind kind_of(struct archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) return MemberKind::hardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFREG: return MemberKind::file;
    case AE_IFDIR: return MemberKind::directory;
    case AE_IFLNK: return MemberKind::symlink;
    case AE_IFCHR: return MemberKind::char_device;
    case AE_IFBLK: return MemberKind::block_device;
    case AE_IFIFO: return MemberKind::fifo;
    case AE_IFSOCK: return MemberKind::socket;
    default: return MemberKind::unknown;
  }
}

// libarchive converts names to the current locale; a name that does not
// convert (non-UTF-8 bytes in a pax header under the C locale) is still
// available in its UTF-8 form.
const char* raw_or_utf8(const char* raw, const char* utf8) { return raw != nullptr ? raw : utf8; }

}  // namespace

std::string_view to_string(MemberKind k) {
  switch (k) {
    case MemberKind::file: return "file";
    case MemberKind::directory: return "directory";
    case MemberKind::symlink: return "symbolic link";
    case MemberKind::hardlink: return "hard link";
    case MemberKind::char_device: return "character device";
    case MemberKind::block_device: return "block device";
    case MemberKind::fifo: return "fifo";
    case MemberKind::socket: return "socket";
    case MemberKind::unknown: return "member of unknown type";
  }
  return "member of unknown type";
}

std::string blob_oid(std::string_view content) {
  crypto::Hasher h(crypto::HashAlgo::sha1);
  h.update(blob_header(content.size()));
  h.update(content);
  return util::to_hex(h.finish());
}

std::string sha256_hex(std::string_view content) {
  crypto::Hasher h(crypto::HashAlgo::sha256);
  h.update(content);
  return util::to_hex(h.finish());
}

Result<std::string> file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::bad_input, "cannot read " + path);
  crypto::Hasher h(crypto::HashAlgo::sha256);
  std::array<char, kChunk> buf{};
  while (in) {
    in.read(buf.data(), buf.size());
    if (in.gcount() > 0) h.update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return make_error(ErrorKind::bad_input, "cannot read " + path);
  return util::to_hex(h.finish());
}

Result<ArchiveReader> ArchiveReader::open_file(const std::string& path) {
  Utf8Locale locale;
  auto a = new_reader(path);
  if (!a) return a.error();
  ArchiveReader reader(*a, path);
  if (archive_read_open_filename(*a, path.c_str(), kChunk) != ARCHIVE_OK)
    return make_error(ErrorKind::bad_input, "cannot read archive " + path + ": " + libarchive_message(*a));
  return reader;
}

Result<ArchiveReader> ArchiveReader::open_memory(std::string_view bytes, std::string name) {
  Utf8Locale locale;
  auto a = new_reader(name);
  if (!a) return a.error();
  ArchiveReader reader(*a, std::move(name));
  if (archive_read_open_memory(*a, bytes.data(), bytes.size()) != ARCHIVE_OK) return reader.error("");
  return reader;
}

ArchiveReader::~ArchiveReader() {
  if (a_ != nullptr) archive_read_free(a_);
}

ArchiveReader::ArchiveReader(ArchiveReader&& other) noexcept
    : a_(std::exchange(other.a_, nullptr)), name_(std::move(other.name_)), count_(other.count_) {}

ArchiveReader& ArchiveReader::operator=(ArchiveReader&& other) noexcept {
  if (this != &other) {
    if (a_ != nullptr) archive_read_free(a_);
    a_ = std::exchange(other.a_, nullptr);
    name_ = std::move(other.name_);
    count_ = other.count_;
  }
  return *this;
}

Error ArchiveReader::error(std::string_view what) const {
  std::string msg = "cannot read archive " + name_ + ": ";
  if (!what.empty()) msg += std::string(what) + ": ";
  return make_error(ErrorKind::malformed, msg + libarchive_message(a_));
}

Result<std::optional<ArchiveMember>> ArchiveReader::next() {
  Utf8Locale locale;
  struct archive_entry* e = nullptr;
  int r = archive_read_next_header(a_, &e);
  if (r == ARCHIVE_EOF) return std::optional<ArchiveMember>{};
  // ARCHIVE_WARN still delivers a complete header (e.g. a name that does not
  // convert to the locale); anything worse fails closed.
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return error("");
  ArchiveMember m;
  const char* name = raw_or_utf8(archive_entry_pathname(e), archive_entry_pathname_utf8(e));
  ++count_;
  if (name == nullptr) {
    m.path = "<member " + std::to_string(count_) + ">";
    m.name_problem = libarchive_message(a_);
  } else {
    m.path = name;
  }
  m.kind = kind_of(e);
  m.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777u;
  if (archive_entry_size_is_set(e) != 0) {
    la_int64_t size = archive_entry_size(e);
    if (size < 0)
      return make_error(ErrorKind::malformed, "cannot read archive " + name_ + ": member " + m.path +
                                                  " declares a negative size");
    m.size = static_cast<uint64_t>(size);
  } else {
    m.size_declared = false;
  }
  if (m.kind == MemberKind::hardlink) {
    const char* t = raw_or_utf8(archive_entry_hardlink(e), archive_entry_hardlink_utf8(e));
    m.link_target = t != nullptr ? t : "";
  } else if (m.kind == MemberKind::symlink) {
    const char* t = raw_or_utf8(archive_entry_symlink(e), archive_entry_symlink_utf8(e));
    if (t == nullptr) return error("symbolic link " + m.path + " has a target that cannot be read");
    m.link_target = t;
  }
  return std::optional<ArchiveMember>(std::move(m));
}

Result<uint64_t> ArchiveReader::read_data(const std::function<Result<void>(std::string_view)>& sink) {
  Utf8Locale locale;
  std::array<char, kChunk> buf{};
  uint64_t total = 0;
  for (;;) {
    la_ssize_t n = archive_read_data(a_, buf.data(), buf.size());
    if (n == 0) return total;
    if (n < 0) return error("");
    total += static_cast<uint64_t>(n);
    if (auto r = sink(std::string_view(buf.data(), static_cast<size_t>(n))); !r) return r.error();
  }
}

std::string ArchiveReader::format() const {
  // A zip's format name changes per entry ("ZIP 2.0 (deflation)", "ZIP 1.0
  // (uncompressed)"); the archive as a whole is just zip.
  if ((archive_format(a_) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP) return "ZIP";
  const char* f = archive_format_name(a_);
  return f != nullptr ? f : "";
}

std::string ArchiveReader::filters() const {
  std::string out;
  int count = archive_filter_count(a_);
  for (int i = 0; i < count; ++i) {
    const char* n = archive_filter_name(a_, i);
    if (n == nullptr || std::string_view(n) == "none") continue;
    if (!out.empty()) out += "+";
    out += n;
  }
  return out;
}

Result<ArchiveScan> scan_archive(ArchiveReader& reader, const ReaderLimits& limits) {
  ArchiveScan scan;
  uint64_t declared = 0;
  const std::string prefix = "archive " + reader.name() + ": ";
  for (;;) {
    auto next = reader.next();
    if (!next) return next.error();
    if (!*next) break;
    ArchiveMember m = std::move(**next);
    if (scan.members.size() >= limits.max_members)
      return make_error(ErrorKind::bad_input, prefix + "more than " + std::to_string(limits.max_members) +
                                                  " members (raise --max-members to read it)");
    // Checked before any data is read or skipped: a header claiming a huge
    // size costs nothing.
    if (m.size > limits.max_bytes - declared)
      return make_error(ErrorKind::bad_input, prefix + "member " + m.path + " declares " + std::to_string(m.size) +
                                                  " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                                                  " bytes in total (raise --max-bytes to read it)");
    declared += m.size;
    if (m.kind == MemberKind::symlink) {
      m.blob_oid = blob_oid(m.link_target);
    } else if (m.kind == MemberKind::file) {
      if (m.size_declared) {
        crypto::Hasher h(crypto::HashAlgo::sha1);
        crypto::Hasher h256(crypto::HashAlgo::sha256);
        h.update(blob_header(m.size));
        auto n = reader.read_data([&](std::string_view chunk) -> Result<void> {
          h.update(chunk);
          h256.update(chunk);
          return {};
        });
        if (!n) return n.error();
        if (*n != m.size)
          return make_error(ErrorKind::malformed, prefix + "member " + m.path + " declares " + std::to_string(m.size) +
                                                      " bytes but holds " + std::to_string(*n));
        m.blob_oid = util::to_hex(h.finish());
        m.sha256 = util::to_hex(h256.finish());
        scan.bytes += *n;
      } else {
        uint64_t cap = std::min(kMaxUndeclared, limits.max_bytes - declared);
        std::string content;
        auto n = reader.read_data([&](std::string_view chunk) -> Result<void> {
          if (chunk.size() > cap - content.size())
            return make_error(ErrorKind::bad_input, prefix + "member " + m.path + " declares no size and holds more than " +
                                                        std::to_string(cap) + " bytes");
          content.append(chunk);
          return {};
        });
        if (!n) return n.error();
        declared += *n;
        scan.bytes += *n;
        m.size = *n;
        m.blob_oid = blob_oid(content);
        m.sha256 = sha256_hex(content);
      }
    }
    scan.members.push_back(std::move(m));
  }
  scan.format = reader.format();
  scan.filters = reader.filters();
  return scan;
}

}  // namespace vouch::archive
