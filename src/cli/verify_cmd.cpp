// `vouch verify` (docs/vouch.1): parsing arguments and rendering only; the
// work is app/verify.h, the output report/render.h.
#include "cli/verify_cmd.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/verify.h"
#include "verify/signature_rules.h"

namespace vouch::cli {
namespace {

struct VerifyArgs {
  std::vector<std::string> revs;
  std::string keyring;
  std::string trust_root, policy, at, allow_sha1_before;
  bool all_commits = false, fail_fast = false, no_cache = false;
  unsigned jobs = 0;
};

/// Whether a CI service runs us (they all set CI): then no trust on first use.
bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0';
}

/// A progress line on stderr for verifications that take longer than a
/// second, only when stderr is a terminal and the output is text (never in
/// JSON or when piped). Erased when done.
std::function<void(size_t, size_t)> progress_line(const GlobalOptions& g) {
  if (g.format != "text" || g.quiet || !isatty(STDERR_FILENO)) return {};
  auto start = std::chrono::steady_clock::now();
  auto shown = std::make_shared<bool>(false);
  return [start, shown](size_t done, size_t total) {
    if (!*shown && std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) return;
    if (done >= total) {
      if (*shown) std::fprintf(stderr, "\r\033[K");
      return;
    }
    *shown = true;
    std::fprintf(stderr, "\rverifying: %zu/%zu commits", done, total);
  };
}

int run_verify(const GlobalOptions& g, const VerifyArgs& a) {
  auto at = parse_time_option("--at", a.at, 0);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_option(a.allow_sha1_before);
  if (!sha1) return fail(g, sha1.error());
  app::VerifyCommitsOptions opts{{g.repo, a.keyring, g.db, a.trust_root, a.policy, *at, *sha1},
                                 a.revs,
                                 !in_ci(),
                                 a.all_commits,
                                 a.fail_fast,
                                 a.jobs,
                                 progress_line(g)};
  auto report = app::verify_commits(opts);
  if (!report) return fail(g, report.error());
  if (report->trust_root_source == "first-policy" && !g.quiet)
    std::cerr << "vouch: trust on first use: no trust root is configured, so the oldest commit with a policy, "
              << report->trust_root.substr(0, 12) << ", was taken as given; pin it with `git config vouch.trustRoot "
              << report->trust_root << "` (CI and hooks never take a root on first use)\n";
  emit(g, report::to_text(*report, g.verbosity()), report::to_json(*report));
  return report->pass() ? kOk : kFailed;
}

}  // namespace

Result<std::optional<int64_t>> parse_sha1_option(const std::string& text) {
  if (text.empty()) return std::optional<int64_t>{};
  auto t = verify::parse_sha1_cutoff(text);
  if (!t)
    return make_error(ErrorKind::bad_input,
                      "--allow-sha1-before " + text + ": expected a date (YYYY-MM-DD), unix seconds or \"never\"");
  return std::optional<int64_t>{*t};
}

void add_verify_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto va = std::make_shared<VerifyArgs>();
  auto* verify = app.add_subcommand("verify", "Verify the signatures of commits");
  verify->add_option("revs", va->revs, "REV (every commit reachable from it) or A..B; default HEAD");
  verify->add_option("--keyring", va->keyring,
                     "no policy: every commit needs a good signature by a key in DIR (default: policy mode, "
                     ".vouch/policy.toml)")
      ->type_name("DIR");
  verify->add_option("--trust-root", va->trust_root, "first commit whose policy is taken as given")->type_name("REV");
  verify->add_option("--policy", va->policy, "evaluate under this policy file")->type_name("FILE");
  verify->add_flag("--all-commits", va->all_commits, "also check commits reached only through merges");
  verify->add_flag("--fail-fast", va->fail_fast, "stop at the first failing commit");
  verify->add_option("--jobs,-j", va->jobs, "parallel signature checks (default: number of cores)")->type_name("N");
  verify->add_flag("--no-cache", va->no_cache, "accepted for scripts; vouch has no verification cache yet, so there is nothing to bypass");
  verify->add_option("--at", va->at, "reference time for key validity (default: now)")->type_name("TIME");
  verify->add_option("--allow-sha1-before", va->allow_sha1_before, kSha1OptionHelp)->type_name("DATE|never");
  verify->footer("Examples:\n  vouch verify                          # policy mode: HEAD back to the trust root\n"
                 "  vouch verify origin/main..HEAD        # a pull request under the base's policy\n"
                 "  vouch verify --keyring keys/ --format json v1.0..v1.1");
  verify->callback([&g, va, &exit_code] { exit_code = run_verify(g, *va); });
}

}  // namespace vouch::cli
