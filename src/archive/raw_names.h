// Reading an archive's member names from the raw headers, next to
// libarchive's view (threat 36): where GNU tar, bsdtar and Info-ZIP could
// read a member's name differently, the member is unsafe. libarchive hides
// these details (it picks one name and drops the others), so the tar headers
// and the zip records are parsed here, natively, with bounds checks.
//
// Tar (the decompressed stream, 512-byte blocks), unsafe when:
// - a member's name comes from both a GNU long-name record ('L') and a pax
//   `path` (or its link target from both 'K' and pax `linkpath`): which one
//   wins depends on the extractor and on the order of the records;
// - a pax global header ('g') sets `path` or `linkpath` (some extractors
//   apply it to every member that follows, others ignore it);
// - a POSIX ustar header's prefix/name disagrees with the pax path or the
//   GNU long name (an extractor that ignores those reads the ustar name);
// - more than one long-name record or pax header precedes one member, a pax
//   header sets a key twice, a pax record is malformed or a value holds NUL,
//   GNU.sparse.name beside a GNU long name, a record type other extractors read
//   differently ('N', 'I', 'E', ...), or the headers and libarchive disagree
//   on the number of members or on a member's name.
// Zip (the central directory and each local header), unsafe when:
// - an entry's local-header name differs from its central-directory name;
// - an Info-ZIP Unicode Path extra field (0x7075) names it differently;
// - two central-directory entries share one local header, or the central
//   directory cannot be found or read.
//
// Bounded: records of names are at most 1 MiB each, at most `max_members`
// entries are read, and the tar stream is read once, never held in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

namespace vouch::archive {

/// One member (or header) whose name other extractors could read differently.
struct NameIssue {
  /// Every name the member could be read as; libarchive's first when known.
  /// Members whose path equals any of them are unsafe.
  std::vector<std::string> names;
  std::string detail;  ///< "name from both a GNU long-name record (A) and a pax path (B)", ...
};

/// What the raw headers say.
struct RawNames {
  std::vector<std::string> members;  ///< tar: each member's name as libarchive reads it, in order
  std::vector<NameIssue> issues;
};

/// Streams a decompressed tar archive through the header parser. Feed the
/// bytes in any chunks, then call finish(). Never fails: what it cannot
/// read becomes an issue, and parsing stops there.
class TarHeaderScanner {
 public:
  explicit TarHeaderScanner(uint64_t max_members) : max_members_(max_members) {}
  /// False once the end of the archive (a zero block) or a fatal issue was
  /// reached: the rest of the stream need not be read.
  bool feed(std::string_view bytes);
  /// Ends the stream; a truncated header or record becomes an issue.
  RawNames finish();

 private:
  enum class Meta { none, longname, longlink, pax, pax_global };
  void header(const unsigned char* h);
  void meta_done();
  void pax_records(std::string_view data, bool global);
  void entry(const unsigned char* h, char type);
  void stop(std::string detail);

  uint64_t max_members_;
  RawNames out_;
  std::string block_;         ///< a partial 512-byte block
  uint64_t skip_ = 0;         ///< member data (and padding) still to skip
  uint64_t collect_ = 0;      ///< meta record bytes still to collect
  uint64_t pad_ = 0;          ///< padding after a meta record
  uint64_t sparse_ext_ = 0;   ///< old GNU sparse extension blocks pending (0 or 1)
  uint64_t sparse_data_ = 0;  ///< data size of the sparse member waiting for its extension blocks
  Meta meta_ = Meta::none;
  std::string meta_data_;
  bool done_ = false;
  // What precedes the next member.
  int longnames_ = 0, longlinks_ = 0, paxes_ = 0;
  std::string longname_, longlink_;
  bool has_path_ = false, has_linkpath_ = false, has_sparse_name_ = false, has_size_ = false;
  std::string path_, linkpath_, sparse_name_;
  uint64_t pax_size_ = 0;
  std::vector<std::string> pax_problems_;
};

/// Checks a zip's central directory against its local headers. `read(off,
/// n, out)` reads exactly n bytes at `off` (false past the end); `size` is
/// the file's size.
RawNames scan_zip(uint64_t size, const std::function<bool(uint64_t, size_t, std::string&)>& read,
                  uint64_t max_members);

/// The raw names of the archive at `path` (`zip`: a zip, else a tar stream
/// decompressed by libarchive's raw reader). Errors: the file cannot be read
/// (bad_input, "cannot read archive NAME: ..."), the decompressed stream is
/// over `max_stream` bytes (bad_input).
Result<RawNames> scan_raw_names_file(const std::string& path, bool zip, uint64_t max_members, uint64_t max_stream);
/// The same over bytes in memory (tests, fuzzing); `name` is used in messages.
Result<RawNames> scan_raw_names_memory(std::string_view bytes, const std::string& name, bool zip,
                                       uint64_t max_members, uint64_t max_stream);

/// Compares the raw names with libarchive's member names (in order, tar
/// only): a different count or a different name at the same place becomes an
/// issue, so that a header the parser misreads never goes unnoticed.
void cross_check(RawNames& raw, const std::vector<std::string>& libarchive_names);

}  // namespace vouch::archive
