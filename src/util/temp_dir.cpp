#include "util/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

namespace vouch::util {

Result<TempDir> TempDir::create(const std::string& prefix, size_t max_base_length) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp != nullptr && tmp[0] == '/' && std::strlen(tmp) <= max_base_length ? tmp : "/tmp";
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string tmpl = base + "/" + prefix + ".XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    return make_error(ErrorKind::environment,
                      "cannot create a temporary directory under " + base + ": " + std::strerror(errno));
  return TempDir(std::move(tmpl));
}

TempDir::~TempDir() { remove(); }

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, std::string())) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

std::string TempDir::release() { return std::exchange(path_, std::string()); }

void TempDir::remove() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // best effort: nothing to report from a destructor
  path_.clear();
}

}  // namespace vouch::util
