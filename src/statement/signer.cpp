#include "statement/signer.h"

#include <filesystem>
#include <vector>

#include "crypto/gpgme_signer.h"
#include "crypto/sshsig.h"
#include "util/base64.h"
#include "util/file.h"
#include "util/process.h"
#include "util/temp_dir.h"
#include "vouch/types.h"

namespace vouch::statement {
namespace {

namespace fs = std::filesystem;

Result<std::string> sign_ssh(std::string_view text, const std::string& keyfile, std::string_view ns) {
  std::error_code ec;
  if (!fs::is_regular_file(keyfile, ec))
    return make_error(ErrorKind::bad_input, "signing key " + keyfile +
                                                ": no such file (give an SSH key file, or the .pub of an "
                                                "ssh-agent key, or an OpenPGP fingerprint)");
  auto dir = util::TempDir::create("vouch-sign");
  if (!dir) return dir.error();
  const std::string msg = dir->path() + "/statement";
  if (auto written = util::write_file_atomic(msg, text, 0600); !written) return written.error();
  auto run = util::run_process({"ssh-keygen", "-Y", "sign", "-n", std::string(ns), "-f", keyfile, msg});
  if (!run) return make_error(run.error().kind, run.error().message + " (install OpenSSH 8.2 or later)");
  if (run->status != 0) {
    std::string why = util::first_line(run->err);
    if (why.empty()) why = "exit status " + std::to_string(run->status);
    return make_error(ErrorKind::bad_input, "ssh-keygen -Y sign failed for " + keyfile + ": " + why);
  }
  auto armored = util::read_file(msg + ".sig");
  if (!armored)
    return make_error(ErrorKind::environment, "ssh-keygen -Y sign for " + keyfile + " wrote no " + msg + ".sig");
  auto blob = dearmor_sshsig(*armored);
  if (!blob) return blob.error();
  auto parsed = crypto::parse_sshsig_blob(*blob);
  if (!parsed)
    return make_error(ErrorKind::internal, "ssh-keygen wrote an unreadable signature: " + parsed.error().message);
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

}  // namespace vouch::statement
