#include "trust/statement_signer.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "crypto/gpgme_signer.h"
#include "crypto/sshsig.h"
#include "util/base64.h"
#include "vouch/types.h"

extern char** environ;

namespace vouch::trust {
namespace {

namespace fs = std::filesystem;

/// A private (0700) temporary directory, removed with its contents.
class PrivateDir {
 public:
  static Result<PrivateDir> create() {
    const char* t = std::getenv("TMPDIR");
    std::string base = (t != nullptr && t[0] == '/') ? t : "/tmp";
    std::string tmpl = base + "/vouch-sign-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr)
      return make_error(ErrorKind::environment,
                        "cannot create a temporary directory in " + base + ": " + std::strerror(errno));
    return PrivateDir(tmpl);
  }
  ~PrivateDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  PrivateDir(PrivateDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  PrivateDir& operator=(PrivateDir&&) = delete;
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit PrivateDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

bool write_file(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs argv (PATH lookup) with stdin and stdout on /dev/null and stderr to
/// `err_path`; returns the exit status, or an Error when it cannot start.
Result<int> run(const std::vector<std::string>& argv, const std::string& err_path) {
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& s : copy) args.push_back(s.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa) != 0) return make_error(ErrorKind::environment, "posix_spawn setup failed");
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0)
    return make_error(ErrorKind::environment, "cannot run " + argv[0] + ": " + std::strerror(rc) +
                                                  " (install OpenSSH 8.2 or later)");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return make_error(ErrorKind::environment, "waitpid for " + argv[0] + " failed");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string first_line(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' ')) s.remove_prefix(1);
  s = s.substr(0, s.find('\n'));
  if (s.size() > 200) s = s.substr(0, 200);
  return std::string(s);
}

Result<std::string> sign_ssh(std::string_view text, const std::string& keyfile, std::string_view ns) {
  std::error_code ec;
  if (!fs::is_regular_file(keyfile, ec))
    return make_error(ErrorKind::bad_input, "signing key " + keyfile +
                                                ": no such file (give an SSH key file, or the .pub of an "
                                                "ssh-agent key, or an OpenPGP fingerprint)");
  auto dir = PrivateDir::create();
  if (!dir) return dir.error();
  const std::string msg = dir->path() + "/statement";
  const std::string err = dir->path() + "/stderr";
  if (!write_file(msg, text))
    return make_error(ErrorKind::environment, "cannot write " + msg + ": " + std::strerror(errno));
  auto status = run({"ssh-keygen", "-Y", "sign", "-n", std::string(ns), "-f", keyfile, msg}, err);
  if (!status) return status.error();
  if (*status != 0) {
    std::string why = first_line(read_file(err).value_or(""));
    if (why.empty()) why = "exit status " + std::to_string(*status);
    return make_error(ErrorKind::bad_input, "ssh-keygen -Y sign failed for " + keyfile + ": " + why);
  }
  auto armored = read_file(msg + ".sig");
  if (!armored)
    return make_error(ErrorKind::environment, "ssh-keygen -Y sign for " + keyfile + " wrote no " + msg + ".sig");
  auto blob = dearmor_sshsig(*armored);
  if (!blob) return blob.error();
  auto parsed = crypto::parse_sshsig_blob(*blob);
  if (!parsed) return make_error(ErrorKind::internal, "ssh-keygen wrote an unreadable signature: " + parsed.error().message);
  return blob;
}

}  // namespace

Result<std::string> dearmor_sshsig(std::string_view armored) {
  constexpr std::string_view kBegin = "-----BEGIN SSH SIGNATURE-----";
  constexpr std::string_view kEnd = "-----END SSH SIGNATURE-----";
  auto fail = [](const std::string& m) { return make_error(ErrorKind::malformed, "SSH signature: " + m); };
  size_t b = armored.find(kBegin);
  if (b == std::string_view::npos) return fail("no BEGIN SSH SIGNATURE line");
  size_t e = armored.find(kEnd, b);
  if (e == std::string_view::npos) return fail("no END SSH SIGNATURE line");
  std::string joined;
  for (char c : armored.substr(b + kBegin.size(), e - b - kBegin.size()))
    if (c != '\n' && c != '\r') joined += c;
  auto blob = util::base64_decode(joined);
  if (!blob) return fail("invalid base64");
  return *blob;
}

Result<std::string> sign_statement(std::string_view text, const std::string& signing_key, std::string_view ns) {
  std::string_view k = signing_key;
  bool prefixed = k.starts_with("openpgp:");
  if (prefixed) k.remove_prefix(8);
  auto id = KeyId::parse(k);
  if (id && id->kind == KeyKind::openpgp && !k.starts_with("ssh:")) return crypto::gpgme_sign_detached(text, k);
  if (prefixed)
    return make_error(ErrorKind::bad_input,
                      "signing key " + signing_key + " is not an OpenPGP fingerprint (40 or 64 hex digits)");
  return sign_ssh(text, signing_key, ns);
}

}  // namespace vouch::trust
