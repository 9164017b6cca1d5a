// Helpers for end-to-end tests that run the real vouch binary against real
// repositories made in the test.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_env.h"

namespace vouch::test {

/// Runs the vouch binary with `args` in `cwd`.
inline RunResult vouch(const std::vector<std::string>& args, const std::string& cwd = "",
                       const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {vouch_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {.cwd = cwd, .env = env});
}

/// Runs vouch with --format json and parses stdout (a parse failure fails the test).
inline nlohmann::json vouch_json(std::vector<std::string> args, int expected_exit, const std::string& cwd = "") {
  args.insert(args.begin(), {"--format", "json"});
  RunResult r = vouch(args, cwd);
  EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out;
  return j;
}

/// Inserts a `gpgsig` header carrying `signature` into an unsigned raw commit.
inline std::string with_gpgsig(const std::string& raw_commit, const std::string& signature) {
  auto blank = raw_commit.find("\n\n");
  std::string header = "gpgsig ";
  std::string sig = signature;
  while (!sig.empty() && sig.back() == '\n') sig.pop_back();
  for (char c : sig) {
    header += c;
    if (c == '\n') header += ' ';
  }
  return raw_commit.substr(0, blank + 1) + header + "\n" + raw_commit.substr(blank + 1);
}

/// Writes an executable gpg wrapper that signs as if at `faked_time`
/// (gpg --faked-system-time), optionally with extra arguments such as
/// "--digest-algo SHA1". For git's gpg.program.
inline std::string faked_gpg(const std::string& dir, const std::string& name, const std::string& faked_time,
                             const std::string& extra = "") {
  std::string path = dir + "/" + name;
  std::string script = "#!/bin/sh\nexec gpg";
  if (!faked_time.empty()) script += " --faked-system-time " + faked_time;
  if (!extra.empty()) script += " " + extra;
  script += " \"$@\"\n";
  write_file(path, script);
  run_ok({"chmod", "+x", path});
  return path;
}

}  // namespace vouch::test

namespace vouch::test {

/// Revokes `fpr` in `gpg`'s home with a revocation certificate made at
/// `faked_time` (empty: now). gpg's menu: 0 no reason, 1 compromised,
/// 2 superseded, 3 no longer used. Returns the armored certificate.
inline std::string revoke_openpgp(GpgHome& gpg, const std::string& fpr, int menu_reason,
                                  const std::string& faked_time = "") {
  // --gen-revoke refuses --batch: answer its questions on --command-fd.
  std::vector<std::string> args = {"gpg", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "",
                                   "--command-fd", "0", "--status-fd", "2", "--armor"};
  if (!faked_time.empty()) args.insert(args.end(), {"--faked-system-time", faked_time});
  args.insert(args.end(), {"--gen-revoke", fpr});
  RunResult r = run(args, {.env = gpg.env(),
                           .input = "y\n" + std::to_string(menu_reason) + "\nrevoked in a test\n\ny\n"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RunResult imp = gpg.gpg({"--import"}, r.out);
  EXPECT_EQ(imp.exit_code, 0) << imp.err;
  return r.out;
}

}  // namespace vouch::test
