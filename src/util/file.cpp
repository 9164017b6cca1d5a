#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vouch::util {
namespace {

Error read_error(const std::string& path, ErrorKind kind, const std::string& why) {
  return make_error(kind, "cannot read " + path + ": " + why);
}

}  // namespace

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return read_error(path, ErrorKind::bad_input, "no such file");
    return read_error(path, ErrorKind::environment, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return read_error(path, ErrorKind::bad_input, "not a regular file");
  }
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    ::close(fd);
    return read_error(path, ErrorKind::bad_input, "larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string out;
  out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return read_error(path, ErrorKind::environment, std::strerror(e));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {  // the file grew while we read it
      ::close(fd);
      return read_error(path, ErrorKind::bad_input, "larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

Result<void> write_file_atomic(const std::string& path, std::string_view data, unsigned mode) {
  const std::string tmp = path + ".vouch-tmp";
  auto fail = [&](int e) {
    ::unlink(tmp.c_str());
    return make_error(ErrorKind::environment, "cannot write " + path + ": " + std::strerror(e));
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail(errno);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return fail(e);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return fail(errno);
  if (::chmod(tmp.c_str(), mode) != 0) return fail(errno);  // exactly `mode`, whatever the umask
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail(errno);
  return {};
}

}  // namespace vouch::util
