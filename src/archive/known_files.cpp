#include "archive/known_files.h"

#include <filesystem>

#include "archive/archive_reader.h"

namespace vouch::archive {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMaxFiles = 200'000;

}  // namespace

Result<KnownFiles> KnownFiles::index(const std::vector<std::string>& dirs) {
  KnownFiles k;
  size_t count = 0;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return make_error(ErrorKind::bad_input, "--known " + dir + ": not a directory");
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) return make_error(ErrorKind::bad_input, "--known " + dir + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return make_error(ErrorKind::bad_input, "--known " + dir + ": " + ec.message());
      std::error_code fec;
      if (!it->is_regular_file(fec)) continue;  // follows a link to a file; a link to a directory is not entered
      if (++count > kMaxFiles)
        return make_error(ErrorKind::bad_input, "--known " + dir + ": more than " + std::to_string(kMaxFiles) + " files");
      uint64_t size = it->file_size(fec);
      if (fec) continue;
      k.by_name_[it->path().filename().string()].push_back({it->path().string(), size, std::nullopt});
    }
  }
  return k;
}

std::optional<std::string> KnownFiles::match(const std::string& name, uint64_t size, const std::string& sha256) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  for (auto& c : it->second) {
    if (c.size != size) continue;
    if (!c.sha256) {
      auto h = file_sha256(c.path);
      c.sha256 = h ? *h : "";
    }
    if (!c.sha256->empty() && *c.sha256 == sha256) return c.path;
  }
  return std::nullopt;
}

}  // namespace vouch::archive
