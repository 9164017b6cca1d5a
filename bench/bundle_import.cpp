// bundle-import: times `vouch keyring import` of a generated key-set bundle
// into an empty database (docs/trust-model.md "Key-set bundles").
//
// It builds, in a private directory under /tmp: a trust database with N
// throwaway Ed25519 SSH keys (libsodium; nothing is ever written to the
// user's ~/.ssh or GnuPG home), N/2 people of two keys each, a chain of N-1
// endorsements each with a real SSHSIG signature, exports it as a bundle and
// signs MANIFEST with a publisher key. Each run then imports the bundle with
// the real vouch binary into a new database that holds only the publisher's
// key, with --require-signer, and the wall time of that process is measured
// (process start, MANIFEST check, parsing, every signature verified, one
// transaction). Checks that every run imported everything.
//
// Usage: bundle-import [--keys N] [--runs R] [--vouch PATH] [--keep]
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bundle/bundle_export.h"
#include "bundle/bundle_manifest.h"
#include "crypto/digest.h"
#include "trust/statement.h"
#include "trustdb/key_import.h"
#include "trustdb/store.h"
#include "util/base64.h"

namespace {

using namespace vouch;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bundle-import: %s\n", what.c_str());
  std::exit(1);
}

std::string ssh_string(std::string_view s) {
  std::string out(4, '\0');
  const auto n = static_cast<uint32_t>(s.size());
  out[0] = static_cast<char>(n >> 24), out[1] = static_cast<char>(n >> 16);
  out[2] = static_cast<char>(n >> 8), out[3] = static_cast<char>(n);
  return out + std::string(s);
}

struct FastKey {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  std::string blob, line;
  KeyId id;
};

FastKey fast_key(const std::string& comment) {
  FastKey k;
  crypto_sign_keypair(k.pk, k.sk);
  k.blob = ssh_string("ssh-ed25519") + ssh_string(std::string_view(reinterpret_cast<char*>(k.pk), sizeof k.pk));
  k.line = "ssh-ed25519 " + util::base64_encode(k.blob) + " " + comment;
  k.id = KeyId{KeyKind::ssh, "SHA256:" + util::base64_encode_unpadded(crypto::digest(crypto::HashAlgo::sha256, k.blob))};
  return k;
}

/// PROTOCOL.sshsig: the binary blob `ssh-keygen -Y sign` makes.
std::string fast_sshsig(const FastKey& k, std::string_view ns, std::string_view msg) {
  const std::string tail = ssh_string(ns) + ssh_string("") + ssh_string("sha512");
  const std::string to_sign = "SSHSIG" + tail + ssh_string(crypto::digest(crypto::HashAlgo::sha512, msg));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), k.sk);
  const std::string sigblob =
      ssh_string("ssh-ed25519") + ssh_string(std::string_view(reinterpret_cast<char*>(sig), sizeof sig));
  return std::string("SSHSIG") + std::string("\0\0\0\1", 4) + ssh_string(k.blob) + tail + ssh_string(sigblob);
}

trust::TrustStore open_db(const std::string& path) {
  auto s = trust::TrustStore::open(path, trust::OpenMode::create);
  if (!s) die(s.error().message);
  return std::move(*s);
}

void add_ssh_key(trust::TrustStore& db, const FastKey& k) {
  auto imported = trust::import_key_data(k.line, "k.pub");
  if (!imported) die(imported.error().message);
  if (auto a = db.add_key(imported->keys.at(0)); !a) die(a.error().message);
}

/// Runs argv with stdout and stderr to files; returns the exit status.
int run(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen((log + ".err").c_str(), "w", stderr)) _exit(126);
    execv(a[0], a.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  int n = 1000, runs = 3;
  bool keep = false;
  std::string vouch_bin = VOUCH_BINARY_PATH;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--keys") n = std::stoi(next());
    else if (a == "--runs") runs = std::stoi(next());
    else if (a == "--vouch") vouch_bin = next();
    else if (a == "--keep") keep = true;
    else die("unknown argument " + a + " (usage: bundle-import [--keys N] [--runs R] [--vouch PATH] [--keep])");
  }
  if (n < 2 || runs < 1) die("--keys must be at least 2 and --runs at least 1");
  if (sodium_init() < 0) die("libsodium failed to initialise");
  char tmpl[] = "/tmp/vbi.XXXXXX";
  if (!mkdtemp(tmpl)) die("mkdtemp failed");
  const std::string work = tmpl, bundle = work + "/bundle";

  auto t0 = Clock::now();
  const FastKey publisher = fast_key("ospo@example.org");
  std::vector<FastKey> keys;
  for (int i = 0; i < n; ++i) keys.push_back(fast_key("k" + std::to_string(i) + "@example.org"));
  size_t endorsements = 0;
  {
    trust::TrustStore src = open_db(work + "/src.db");
    auto filled = src.transaction([&]() -> Result<void> {
      add_ssh_key(src, publisher);
      for (const auto& k : keys) add_ssh_key(src, k);
      for (int i = 0; i + 1 < n; i += 2) {
        const std::string name = "p" + std::to_string(i);
        if (auto a = src.add_person({name, "Person " + std::to_string(i), {name + "@example.org"},
                                     {keys[i].id, keys[i + 1].id}});
            !a)
          return a;
      }
      for (int i = 0; i + 1 < n; ++i) {
        trust::Endorsement e;
        e.issuer = keys[i].id;
        e.target = keys[i + 1].id;
        e.amount = i % 2 ? 60 : 120;
        e.depth = 1;
        e.created = 1764000000;
        const std::string text = trust::serialize(e);
        const std::string line = statement::to_transport_line(
            {std::string(statement::kEndorsementType), text, fast_sshsig(keys[i], statement::kEndorsementType, text)});
        if (auto a = src.put_endorsement(e, line); !a) return a.error();
        ++endorsements;
      }
      return {};
    });
    if (!filled) die(filled.error().message);
    auto ex = trust::export_bundle(src, bundle, {});
    if (!ex) die(ex.error().message);
  }
  std::ifstream in(bundle + "/MANIFEST", std::ios::binary);
  const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(bundle + "/MANIFEST.sig", std::ios::binary)
      << trust::serialize_manifest_signatures({{publisher.id, fast_sshsig(publisher, trust::kKeyringNamespace, manifest)}});
  const double setup_ms = ms_since(t0);
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(bundle)) files += e.is_regular_file() ? 1 : 0;

  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    const std::string db = work + "/dst" + std::to_string(r) + ".db";
    {
      trust::TrustStore dst = open_db(db);
      add_ssh_key(dst, publisher);
    }
    auto t = Clock::now();
    int rc = run({vouch_bin, "--db", db, "keyring", "import", bundle, "--require-signer", publisher.id.str()},
                 work + "/import" + std::to_string(r) + ".log");
    times.push_back(ms_since(t));
    if (rc != 0) die("vouch keyring import exited " + std::to_string(rc) + " (see " + work + "/import*.log; kept)");
    trust::TrustStore dst = open_db(db);
    if (dst.list_keys()->size() != static_cast<size_t>(n) + 1 || dst.list_endorsements()->size() != endorsements ||
        dst.list_people()->size() != static_cast<size_t>(n / 2))
      die("the import did not land completely (" + work + " kept)");
  }
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  std::printf("bundle-import: %d keys, %d people, %zu signed endorsements, %zu files, MANIFEST signed\n", n + 1,
              n / 2, endorsements, files);
  std::printf("setup:  %.0f ms (generate, store, export)\n", setup_ms);
  std::printf("import: %d runs into a new database with --require-signer: best %.0f ms, median %.0f ms, worst %.0f ms\n",
              runs, sorted.front(), sorted[sorted.size() / 2], sorted.back());
  std::printf("        %.2f ms per key (best run)\n", sorted.front() / (n + 1));
  if (keep) std::printf("kept:   %s\n", work.c_str());
  else fs::remove_all(work);
  return 0;
}
