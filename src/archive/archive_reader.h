// Reading a release archive through libarchive, in memory only: members are
// listed and their contents hashed as git blobs, nothing is ever extracted or
// written to disk, no link is ever followed.
//
// Supported: tar (ustar, pax, GNU, v7; GNU and pax sparse members), plain or
// compressed with gzip, bzip2 or xz (also lzma/lzip through liblzma), and zip
// (stored or deflated members, read through the central directory). Other
// formats libarchive knows (cpio, 7z, rar, iso9660, mtree...) are refused on
// purpose: mtree in particular describes files on the local disk. External
// decompressor programs are never run (only the built-in filters are enabled).
//
// Untrusted input: the total of the sizes the members declare and the number
// of members are capped (ReaderLimits), checked before a member's data is
// read, so a header claiming a huge size fails at once; data is streamed
// through a fixed 64 KiB buffer whatever a member declares.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

struct archive;  // libarchive's handle; only archive_reader.cpp includes archive.h

namespace vouch::archive {

enum class MemberKind { file, directory, symlink, hardlink, char_device, block_device, fifo, socket, unknown };

/// "file", "directory", "symbolic link", "hard link", "character device", ...
std::string_view to_string(MemberKind k);

/// One archive entry as the archive states it.
struct ArchiveMember {
  std::string path;         ///< the raw name bytes, exactly as stored (no normalisation)
  MemberKind kind = MemberKind::unknown;
  uint32_t mode = 0;        ///< permission bits (07777)
  uint64_t size = 0;        ///< declared size of the data
  bool size_declared = true;  ///< false: the header gives no size (a streamed zip entry)
  std::string link_target;  ///< symlink or hard link target, raw bytes
  std::string blob_oid;     ///< file and symlink: git blob id (40 hex) of the content / target
  std::string sha256;       ///< file: SHA-256 (64 hex) of the content, for --known comparisons
  /// Set when libarchive cannot give the name (a zip name flagged UTF-8 that
  /// is not): `path` is then a placeholder "<member N>" and the comparison
  /// reports the member as unsafe instead of guessing.
  std::string name_problem;
};

struct ReaderLimits {
  uint64_t max_bytes = uint64_t{4} << 30;  ///< total declared member data (4 GiB)
  uint64_t max_members = 1'000'000;        ///< entries of any kind
};

struct ArchiveScan {
  std::string format;   ///< libarchive's format name ("POSIX pax interchange format", "GNU tar format"), or "ZIP"
  std::string filters;  ///< compression, outermost first ("gzip"), empty for none
  std::vector<ArchiveMember> members;  ///< in archive order
  uint64_t bytes = 0;   ///< member data read
};

/// Owns one `struct archive*` opened for reading; move-only.
class ArchiveReader {
 public:
  /// Opens the file at `path` (also its name in messages).
  /// Errors (bad_input): "cannot read archive NAME: REASON".
  static Result<ArchiveReader> open_file(const std::string& path);
  /// Reads from `bytes`, which must outlive the reader. `name` is used in messages.
  static Result<ArchiveReader> open_memory(std::string_view bytes, std::string name);

  ~ArchiveReader();
  ArchiveReader(ArchiveReader&& other) noexcept;
  ArchiveReader& operator=(ArchiveReader&& other) noexcept;
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  /// The next entry's header, nullopt at the end. `blob_oid` is not filled.
  /// Errors (malformed): "cannot read archive NAME: LIBARCHIVE MESSAGE".
  Result<std::optional<ArchiveMember>> next();

  /// Streams the current entry's data to `sink` in chunks of at most 64 KiB;
  /// returns the number of bytes. Errors (malformed) as next(); a sink error
  /// stops the read and is returned.
  Result<uint64_t> read_data(const std::function<Result<void>(std::string_view)>& sink);

  /// libarchive's format name and the filters, once a header was read.
  std::string format() const;
  std::string filters() const;
  const std::string& name() const { return name_; }

 private:
  ArchiveReader(struct ::archive* a, std::string name) : a_(a), name_(std::move(name)) {}
  Error error(std::string_view what) const;
  struct ::archive* a_ = nullptr;
  std::string name_;
  uint64_t count_ = 0;  ///< headers read, for placeholder names
};

/// Reads every entry of `reader`, hashing files (the data, also as SHA-256)
/// and symlinks (the target) as git blobs ("blob <size>\0" + bytes, SHA-1), streamed. Data of
/// other kinds is skipped, never interpreted. Errors: reader errors, and
/// (bad_input) "archive NAME: more than N members (--max-members)",
/// "archive NAME: member P declares N bytes, over the limit of M bytes in
/// total (--max-bytes)", (malformed) "archive NAME: member P declares N bytes
/// but holds M".
Result<ArchiveScan> scan_archive(ArchiveReader& reader, const ReaderLimits& limits);

/// Git blob id (40 hex) of `content`, for tests and for symlink targets.
std::string blob_oid(std::string_view content);

/// SHA-256 (64 hex) of `content`.
std::string sha256_hex(std::string_view content);

/// SHA-256 (64 hex) of the file at `path`, streamed.
/// Errors (bad_input): "cannot read PATH".
Result<std::string> file_sha256(const std::string& path);

}  // namespace vouch::archive
