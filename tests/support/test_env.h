// Test support: temporary directories, subprocesses with argument vectors,
// throwaway GnuPG homes and SSH keys, and real git repositories with signed
// commits. Every test builds its own world in a fresh short /tmp directory.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define VOUCH_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VOUCH_TEST_UNDER_ASAN 1
#endif
#endif

namespace vouch::test {

#ifdef VOUCH_TEST_UNDER_ASAN
inline constexpr bool kUnderAsan = true;
#else
inline constexpr bool kUnderAsan = false;
#endif

/// How many times slower the code under test runs than in the dev build:
/// AddressSanitizer's instrumentation costs up to about 5x on vouch's hot
/// loops, so time bounds are multiplied by 8 there. Bounds stay: a
/// complexity blow-up (quadratic matching, a walk that never ends) still
/// fails them (docs/testing.md, "Sanitizers").
inline constexpr int kSlowdown = kUnderAsan ? 8 : 1;

/// The source tree's root (the checkout the tests were configured from),
/// for the fixtures under tests/data, policies/ and keyring/.
std::string source_dir();

/// A fresh directory under /tmp (short path: gpg-agent's socket lives below
/// it). Removed when the test passed, left behind for inspection when it failed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;  ///< exit status, or 128+signal when killed
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string cwd;                           ///< empty: current directory
  std::map<std::string, std::string> env;    ///< overrides on top of the test's environment
  std::string input;                         ///< written to stdin
};

/// Runs argv[0] (PATH lookup) with the exact argument vector; never a shell.
RunResult run(const std::vector<std::string>& argv, const RunOptions& opts = {});

/// Like run() but fails the test (ADD_FAILURE) when the exit code is not 0.
std::string run_ok(const std::vector<std::string>& argv, const RunOptions& opts = {});

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);

/// Path of the vouch binary under test (VOUCH_BINARY, set by CMake).
std::string vouch_binary();

/// A private GNUPGHOME under `dir`. Kills its gpg-agent on destruction.
class GpgHome {
 public:
  explicit GpgHome(const std::string& dir);
  ~GpgHome();
  GpgHome(const GpgHome&) = delete;
  GpgHome& operator=(const GpgHome&) = delete;

  const std::string& path() const { return path_; }
  std::map<std::string, std::string> env() const;

  /// Generates a key; returns the primary fingerprint (upper-case hex).
  /// algo: "ed25519", "rsa3072", "nistp256", "nistp384", "nistp521", ...
  /// usage: "sign", "cert" (certification only), "default".
  /// expire: "never", "1d", or an ISO date. faked_time: gpg --faked-system-time
  /// value (e.g. "20200101T000000!") or empty.
  std::string gen_key(const std::string& uid, const std::string& algo = "ed25519",
                      const std::string& usage = "sign", const std::string& expire = "never",
                      const std::string& faked_time = "");
  /// Adds a subkey; returns the subkey's fingerprint.
  std::string add_subkey(const std::string& primary_fpr, const std::string& algo,
                         const std::string& usage = "sign", const std::string& expire = "never");
  /// Fingerprints (primary first, then subkeys) of the keys matching `query`.
  std::vector<std::string> fingerprints(const std::string& query);
  /// Armored public certificate of `fpr`.
  std::string export_public(const std::string& fpr);
  /// Runs gpg with this home and the given arguments.
  RunResult gpg(const std::vector<std::string>& args, const std::string& input = "");

 private:
  std::string path_;
};

/// An OpenSSH key pair made with ssh-keygen -q -N ''.
struct SshKey {
  std::string private_path;
  std::string public_path;
  std::string public_line;  ///< contents of the .pub file, without newline
  std::string fingerprint;  ///< "SHA256:..." as ssh-keygen -l prints it
};
/// type: "ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-2048", "rsa-3072", ...
SshKey make_ssh_key(const std::string& dir, const std::string& name, const std::string& type);

/// Signs `data` with ssh-keygen -Y sign -n ns; returns the armored signature.
std::string ssh_sign(const SshKey& key, const std::string& ns, const std::string& data,
                     const std::string& workdir);

/// A git repository in `dir` with deterministic identity and no user config.
class TestRepo {
 public:
  TestRepo(const std::string& dir, const GpgHome* gpg);
  const std::string& path() const { return path_; }
  std::map<std::string, std::string> env() const;
  std::string git(const std::vector<std::string>& args, const std::string& input = "");
  RunResult git_raw(const std::vector<std::string>& args, const std::string& input = "");

  /// How a commit or tag is signed: nothing, an SSH private key file, or an
  /// OpenPGP key fingerprint in the GpgHome.
  struct Signer {
    enum class Kind { none, ssh, openpgp } kind = Kind::none;
    std::string key;  ///< private key path (ssh) or fingerprint (openpgp)
    static Signer none() { return {}; }
    static Signer ssh(const SshKey& k) { return {Kind::ssh, k.private_path}; }
    static Signer openpgp(const std::string& fpr) { return {Kind::openpgp, fpr}; }
  };

  /// Writes files (path -> content), stages everything, commits; returns the oid.
  /// `date`: unix seconds for author and committer (0: a fixed recent time).
  std::string commit(const std::map<std::string, std::string>& files, const std::string& message,
                     const Signer& signer, int64_t date = 0);
  /// Annotated (signed when signer is set) or lightweight (`annotated` false) tag.
  void tag(const std::string& name, const std::string& target, const Signer& signer,
           bool annotated = true);

 private:
  std::vector<std::string> sign_config(const Signer& signer) const;
  std::string path_;
  const GpgHome* gpg_;
};

}  // namespace vouch::test
