#include "bundle/bundle_manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "crypto/digest.h"
#include "statement/verifier.h"
#include "trust/statement_verifier.h"
#include "util/base64.h"
#include "util/hex.h"

namespace vouch::trust {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSha256Prefix = "sha256 ";

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '@' || c == '+' || c == '-';
}

Error malformed_at(std::string_view file, size_t line, const std::string& what) {
  return make_error(ErrorKind::malformed, std::string(file) + ":" + std::to_string(line) + ": " + what);
}

/// Splits text into LF-terminated lines; false when the text does not end in LF.
bool split_lines(std::string_view text, std::vector<std::string_view>& lines) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return true;
}

Result<std::string> hash_file(const fs::path& path, const std::string& rel) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::environment, "cannot read bundle file " + rel);
  crypto::Hasher h(crypto::HashAlgo::sha256);
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    h.update(std::string_view(buf, static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return make_error(ErrorKind::environment, "cannot read bundle file " + rel);
  return util::to_hex(h.finish());
}

/// Reads a regular file of at most kMaxBundleFileSize bytes; nullopt when it
/// does not exist; an error for a symlink, a special file or a larger file.
Result<std::optional<std::string>> read_small(const fs::path& path, std::string_view rel) {
  std::error_code ec;
  auto st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return std::optional<std::string>();
  const std::string name(rel);
  if (fs::is_symlink(st)) return make_error(ErrorKind::bad_input, "bundle file " + name + " is a symbolic link");
  if (!fs::is_regular_file(st))
    return make_error(ErrorKind::bad_input, "bundle file " + name + " is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorKind::environment, "cannot read bundle file " + name);
  std::string data;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxBundleFileSize)
      return make_error(ErrorKind::bad_input, "bundle file " + name + " is larger than 16 MiB");
  }
  if (in.bad()) return make_error(ErrorKind::environment, "cannot read bundle file " + name);
  return std::optional<std::string>(std::move(data));
}

}  // namespace

bool valid_bundle_path(std::string_view path) {
  if (path.empty() || path.size() > 1024) return false;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view comp = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (comp.empty() || comp[0] == '.') return false;  // also "." and ".."
    if (!std::all_of(comp.begin(), comp.end(), path_char)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text) {
  std::vector<std::string_view> lines;
  if (!split_lines(text, lines))
    return make_error(ErrorKind::malformed, "MANIFEST: the last line does not end in a line feed");
  if (lines.empty() || lines[0] != kManifestHeader)
    return malformed_at(kManifestName, 1, "expected \"" + std::string(kManifestHeader) + "\"");
  std::vector<ManifestEntry> out;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    const size_t n = i + 1;
    // "sha256 " + 64 hex + two spaces + path
    if (!l.starts_with(kSha256Prefix) || l.size() < kSha256Prefix.size() + 64 + 3)
      return malformed_at(kManifestName, n, "expected \"sha256 <64 hex>  <path>\"");
    std::string_view digest = l.substr(kSha256Prefix.size(), 64);
    if (!is_lower_hex(digest)) return malformed_at(kManifestName, n, "the hash is not 64 lower-case hex digits");
    if (l.substr(kSha256Prefix.size() + 64, 2) != "  ")
      return malformed_at(kManifestName, n, "expected two spaces between hash and path");
    std::string_view path = l.substr(kSha256Prefix.size() + 66);
    if (!valid_bundle_path(path))
      return malformed_at(kManifestName, n, "path \"" + std::string(path.substr(0, 80)) + "\" is not allowed");
    if (path == kManifestName || path == kManifestSigName)
      return malformed_at(kManifestName, n, "MANIFEST cannot list " + std::string(path));
    if (!out.empty() && path <= std::string_view(out.back().path))
      return malformed_at(kManifestName, n,
                          path == out.back().path ? "duplicate path " + std::string(path) : "paths are not sorted");
    if (out.size() >= kMaxBundleFiles) return malformed_at(kManifestName, n, "too many files");
    out.push_back({std::string(digest), std::string(path)});
  }
  return out;
}

std::string serialize_manifest(std::vector<ManifestEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  std::string out = std::string(kManifestHeader) + "\n";
  for (const auto& e : entries) out += std::string(kSha256Prefix) + e.sha256 + "  " + e.path + "\n";
  return out;
}

Result<std::vector<std::string>> list_bundle_files(const std::string& dir) {
  std::error_code ec;
  const fs::path root(dir);
  auto st = fs::symlink_status(root, ec);
  if (ec || !fs::is_directory(st)) return make_error(ErrorKind::bad_input, "bundle " + dir + " is not a directory");
  std::vector<std::string> out;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return make_error(ErrorKind::bad_input, "cannot read bundle " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return make_error(ErrorKind::bad_input, "cannot read bundle " + dir + ": " + ec.message());
    const std::string rel = it->path().lexically_relative(root).generic_string();
    auto s = it->symlink_status(ec);
    if (ec) return make_error(ErrorKind::bad_input, "cannot stat bundle file " + rel);
    if (fs::is_symlink(s)) return make_error(ErrorKind::bad_input, "bundle file " + rel + " is a symbolic link");
    if (fs::is_directory(s)) {
      if (!valid_bundle_path(rel))
        return make_error(ErrorKind::bad_input, "bundle directory name " + rel + " is not allowed");
      continue;
    }
    if (!fs::is_regular_file(s))
      return make_error(ErrorKind::bad_input, "bundle file " + rel + " is not a regular file");
    if (rel == kManifestName || rel == kManifestSigName) continue;
    if (!valid_bundle_path(rel)) return make_error(ErrorKind::bad_input, "bundle file name " + rel + " is not allowed");
    if (it->file_size(ec) > kMaxBundleFileSize || ec)
      return make_error(ErrorKind::bad_input, "bundle file " + rel + " is larger than 16 MiB");
    if (out.size() >= kMaxBundleFiles) return make_error(ErrorKind::bad_input, "bundle " + dir + " has too many files");
    out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<ManifestEntry>> hash_bundle(const std::string& dir) {
  auto files = list_bundle_files(dir);
  if (!files) return files.error();
  std::vector<ManifestEntry> out;
  out.reserve(files->size());
  for (const auto& rel : *files) {
    auto h = hash_file(fs::path(dir) / rel, rel);
    if (!h) return h.error();
    out.push_back({std::move(*h), rel});
  }
  return out;
}

Result<BundleFiles> check_bundle(const std::string& dir) {
  auto files = list_bundle_files(dir);
  if (!files) return files.error();
  BundleFiles out;
  auto manifest = read_small(fs::path(dir) / kManifestName, kManifestName);
  if (!manifest) return manifest.error();
  if (!*manifest) return make_error(ErrorKind::bad_input, "bundle " + dir + " has no MANIFEST");
  out.manifest = std::move(**manifest);
  auto entries = parse_manifest(out.manifest);
  if (!entries) return entries.error();
  out.entries = std::move(*entries);
  auto sig = read_small(fs::path(dir) / kManifestSigName, kManifestSigName);
  if (!sig) return sig.error();
  out.manifest_sig = std::move(*sig);
  // Both lists are sorted: walk them together.
  uintmax_t total = 0;
  size_t i = 0, j = 0;
  const auto& listed = out.entries;
  while (i < files->size() || j < listed.size()) {
    if (j == listed.size() || (i < files->size() && (*files)[i] < listed[j].path))
      return make_error(ErrorKind::bad_input, "bundle file " + (*files)[i] + " is not listed in MANIFEST");
    if (i == files->size() || listed[j].path < (*files)[i])
      return make_error(ErrorKind::bad_input, "MANIFEST lists " + listed[j].path + ", which is missing");
    const std::string& rel = (*files)[i];
    auto content = read_small(fs::path(dir) / rel, rel);
    if (!content) return content.error();
    if (!*content) return make_error(ErrorKind::bad_input, "MANIFEST lists " + rel + ", which is missing");
    total += (*content)->size();
    if (total > kMaxBundleSize) return make_error(ErrorKind::bad_input, "bundle " + dir + " is larger than 512 MiB");
    if (util::to_hex(crypto::digest(crypto::HashAlgo::sha256, **content)) != listed[j].sha256)
      return make_error(ErrorKind::bad_input, "bundle file " + rel + " does not match its MANIFEST hash");
    out.files.emplace(rel, std::move(**content));
    ++i, ++j;
  }
  return out;
}

Result<std::vector<ManifestSignature>> parse_manifest_signatures(std::string_view text) {
  std::vector<std::string_view> lines;
  if (!split_lines(text, lines))
    return make_error(ErrorKind::malformed, "MANIFEST.sig: the last line does not end in a line feed");
  if (lines.empty()) return make_error(ErrorKind::malformed, "MANIFEST.sig: no signature");
  std::vector<ManifestSignature> out;
  const std::string prefix = std::string(kManifestSigType) + " v1 ";
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (!l.starts_with(prefix))
      return malformed_at(kManifestSigName, i + 1, "expected \"" + prefix + "<key id> <base64 signature>\"");
    l.remove_prefix(prefix.size());
    size_t sp = l.find(' ');
    if (sp == std::string_view::npos || l.find(' ', sp + 1) != std::string_view::npos)
      return malformed_at(kManifestSigName, i + 1, "expected \"" + prefix + "<key id> <base64 signature>\"");
    auto key = KeyId::parse(l.substr(0, sp));
    if (!key || key->str() != l.substr(0, sp))
      return malformed_at(kManifestSigName, i + 1,
                          "\"" + std::string(l.substr(0, std::min<size_t>(sp, 80))) + "\" is not a canonical key id");
    auto sig = util::base64_decode(l.substr(sp + 1));
    if (!sig || sig->empty()) return malformed_at(kManifestSigName, i + 1, "the signature is not valid base64");
    out.push_back({*key, std::move(*sig)});
  }
  return out;
}

std::string serialize_manifest_signatures(const std::vector<ManifestSignature>& sigs) {
  std::string out;
  for (const auto& s : sigs)
    out += std::string(kManifestSigType) + " v1 " + s.key.str() + " " + util::base64_encode(s.signature) + "\n";
  return out;
}

std::vector<ManifestSignatureCheck> check_manifest_signatures(std::string_view manifest,
                                                              const std::vector<ManifestSignature>& sigs,
                                                              const keys::Keyring& keyring, int64_t now) {
  std::vector<ManifestSignatureCheck> out;
  for (const auto& s : sigs) {
    SignedStatement st{std::string(kManifestSigType), std::string(manifest), s.signature};
    SignatureResult r = statement::verify_statement(st, keyring, kKeyringNamespace, now);
    if (r.status == SigStatus::good && r.key != s.key.str()) {
      r.status = SigStatus::bad;
      r.reason = "the line names " + s.key.str() + " but the signature was made by " + r.key;
    }
    out.push_back({s.key, std::move(r)});
  }
  return out;
}

}  // namespace vouch::trust
