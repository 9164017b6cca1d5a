// Test fixtures: archives built in memory with libarchive's write API, so
// that hostile members (absolute names, links, devices, sparse giants) can be
// made without any archiver tool and without touching the disk.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace vouch::test {

struct FixtureMember {
  enum class Type { file, dir, symlink, hardlink, chardev, fifo };
  std::string path;
  std::string content;  ///< file data, or the link target
  Type type = Type::file;
  unsigned mode = 0644;
  int64_t sparse_size = 0;  ///< > 0: a sparse file of this logical size holding `content` at offset 0
};

inline FixtureMember member(std::string path, std::string content, unsigned mode = 0644) {
  return {std::move(path), std::move(content), FixtureMember::Type::file, mode, 0};
}

enum class FixtureFormat { tar, tar_gz, tar_bz2, tar_xz, zip, ustar };

/// The archive's bytes. Throws std::runtime_error on a libarchive failure.
inline std::string write_archive(const std::vector<FixtureMember>& members, FixtureFormat format) {
  std::string out;
  std::unique_ptr<::archive, int (*)(::archive*)> a(archive_write_new(), archive_write_free);
  auto check = [&](int r) {
    if (r < ARCHIVE_WARN) throw std::runtime_error(archive_error_string(a.get()));
  };
  switch (format) {
    case FixtureFormat::zip: check(archive_write_set_format_zip(a.get())); break;
    case FixtureFormat::ustar: check(archive_write_set_format_ustar(a.get())); break;
    default: {
      // Full pax writes sparse members as holes (GNU.sparse 1.0); restricted pax would not.
      bool sparse = std::any_of(members.begin(), members.end(), [](const auto& m) { return m.sparse_size > 0; });
      check(sparse ? archive_write_set_format_pax(a.get()) : archive_write_set_format_pax_restricted(a.get()));
      break;
    }
  }
  if (format == FixtureFormat::tar_gz) check(archive_write_add_filter_gzip(a.get()));
  if (format == FixtureFormat::tar_bz2) check(archive_write_add_filter_bzip2(a.get()));
  if (format == FixtureFormat::tar_xz) check(archive_write_add_filter_xz(a.get()));
  check(archive_write_set_bytes_in_last_block(a.get(), 1));
  auto write_cb = [](::archive*, void* data, const void* buf, size_t n) -> la_ssize_t {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  check(archive_write_open(a.get(), &out, nullptr, write_cb, nullptr));
  for (const auto& m : members) {
    std::unique_ptr<::archive_entry, void (*)(::archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), m.path.c_str());
    archive_entry_set_perm(e.get(), m.mode);
    archive_entry_set_mtime(e.get(), 1700000000, 0);
    int64_t size = 0;
    switch (m.type) {
      case FixtureMember::Type::file:
        archive_entry_set_filetype(e.get(), AE_IFREG);
        size = m.sparse_size > 0 ? m.sparse_size : static_cast<int64_t>(m.content.size());
        if (m.sparse_size > 0) {
          archive_entry_set_size(e.get(), size);  // sparse regions must lie within the size
          archive_entry_sparse_add_entry(e.get(), 0, static_cast<int64_t>(m.content.size()));
          archive_entry_sparse_add_entry(e.get(), m.sparse_size - 1, 1);  // a sparse file ends in data
        }
        break;
      case FixtureMember::Type::dir: archive_entry_set_filetype(e.get(), AE_IFDIR); break;
      case FixtureMember::Type::symlink:
        archive_entry_set_filetype(e.get(), AE_IFLNK);
        archive_entry_set_symlink(e.get(), m.content.c_str());
        break;
      case FixtureMember::Type::hardlink:
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_hardlink(e.get(), m.content.c_str());
        break;
      case FixtureMember::Type::chardev:
        archive_entry_set_filetype(e.get(), AE_IFCHR);
        archive_entry_set_rdev(e.get(), 0x0103);
        break;
      case FixtureMember::Type::fifo: archive_entry_set_filetype(e.get(), AE_IFIFO); break;
    }
    archive_entry_set_size(e.get(), size);
    check(archive_write_header(a.get(), e.get()));
    if (m.type != FixtureMember::Type::file) continue;
    if (m.sparse_size > 0) {
      // The writer takes the logical stream and keeps only the data regions.
      check(static_cast<int>(archive_write_data(a.get(), m.content.data(), m.content.size()) < 0 ? ARCHIVE_FATAL : 0));
      static const std::string zeros(1 << 20, '\0');
      int64_t left = m.sparse_size - static_cast<int64_t>(m.content.size()) - 1;
      while (left > 0) {
        size_t n = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(zeros.size())));
        if (archive_write_data(a.get(), zeros.data(), n) < 0) check(ARCHIVE_FATAL);
        left -= static_cast<int64_t>(n);
      }
      if (archive_write_data(a.get(), "!", 1) < 0) check(ARCHIVE_FATAL);
    } else if (!m.content.empty() && archive_write_data(a.get(), m.content.data(), m.content.size()) < 0) {
      check(ARCHIVE_FATAL);
    }
  }
  check(archive_write_close(a.get()));
  return out;
}

/// Rewrites the size field of the ustar header at `offset` (octal, 11 digits)
/// and its checksum: a header that claims more than the archive holds.
inline void patch_ustar_size(std::string& tar, size_t offset, uint64_t size) {
  char field[13];
  snprintf(field, sizeof field, "%011llo ", static_cast<unsigned long long>(size));
  tar.replace(offset + 124, 12, field, 12);
  tar.replace(offset + 148, 8, "        ", 8);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[offset + i]);
  char chk[9];
  snprintf(chk, sizeof chk, "%06o", sum);
  tar.replace(offset + 148, 7, chk, 7);  // six digits, NUL, then the space kept
}

}  // namespace vouch::test
