#include "cli/verify_cmd.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/verify.h"
#include "util/time_parse.h"
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

struct TagArgs {
  std::vector<std::string> tags;
  std::string keyring, policy, at, trust_root, allow_sha1_before;
};

struct FileArgs {
  std::string file, signature, ns = "file", keyring, at, allow_sha1_before;
};

/// Whether a CI service runs us (they all set CI): then no trust on first use.
bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0';
}

Result<int64_t> parse_at(const std::string& at) {
  if (at.empty()) return int64_t{0};
  auto t = util::parse_time(at);
  if (!t) return make_error(ErrorKind::bad_input, "--at " + at + ": expected unix seconds or YYYY-MM-DD[THH:MM:SSZ]");
  return *t;
}

/// --allow-sha1-before DATE|never: unset when not given.
Result<std::optional<int64_t>> parse_sha1_flag(const std::string& text) {
  if (text.empty()) return std::optional<int64_t>{};
  auto t = verify::parse_sha1_cutoff(text);
  if (!t)
    return make_error(ErrorKind::bad_input, "--allow-sha1-before " + text +
                                                ": expected a date (YYYY-MM-DD), unix seconds or \"never\"");
  return std::optional<int64_t>{*t};
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
  auto at = parse_at(a.at);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_flag(a.allow_sha1_before);
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

int run_verify_tag(const GlobalOptions& g, const TagArgs& a) {
  auto at = parse_at(a.at);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_flag(a.allow_sha1_before);
  if (!sha1) return fail(g, sha1.error());
  auto verdicts = app::verify_tags({g.repo, a.keyring, g.db, a.trust_root, a.policy, *at, *sha1}, a.tags);
  if (!verdicts) return fail(g, verdicts.error());
  auto doc = report::render_tags(*verdicts, g.verbosity());
  emit(g, doc.text, doc.json);
  return doc.json["verdict"] == "pass" ? kOk : kFailed;
}

int run_verify_file(const GlobalOptions& g, const FileArgs& a) {
  if (a.keyring.empty()) return fail(g, make_error(ErrorKind::bad_input, "verify-file: --keyring DIR is required"));
  auto at = parse_at(a.at);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_flag(a.allow_sha1_before);
  if (!sha1) return fail(g, sha1.error());
  auto v = app::verify_file({a.file, a.signature, a.ns, a.keyring, *at, *sha1});
  if (!v) return fail(g, v.error());
  emit(g, report::to_text(*v, g.verbosity()), report::to_json(*v));
  return v->pass ? kOk : kFailed;
}

constexpr const char* kSha1Help =
    "accept SHA-1 OpenPGP signatures created before DATE, or never (default: the policy's "
    "[signatures] allow_sha1_before, else 2013-02-01)";

}  // namespace

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
  verify->add_option("--allow-sha1-before", va->allow_sha1_before, kSha1Help)->type_name("DATE|never");
  verify->footer("Examples:\n  vouch verify                          # policy mode: HEAD back to the trust root\n"
                 "  vouch verify origin/main..HEAD        # a pull request under the base's policy\n"
                 "  vouch verify --keyring keys/ --format json v1.0..v1.1");
  verify->callback([&g, va, &exit_code] { exit_code = run_verify(g, *va); });

  auto ta = std::make_shared<TagArgs>();
  auto* tag = app.add_subcommand("verify-tag", "Verify annotated, signed tags");
  tag->add_option("tags", ta->tags, "tag names")->required();
  tag->add_option("--keyring", ta->keyring, "a good signature by a key in DIR suffices")->type_name("DIR");
  tag->add_option("--trust-root", ta->trust_root,
                  "the trust root the tagged commit must verify from (default: git config vouch.trustRoot)")
      ->type_name("REV");
  tag->add_option("--policy", ta->policy, "use this policy instead of the tagged commit's")->type_name("FILE");
  tag->add_option("--at", ta->at, "reference time (default: now)")->type_name("TIME");
  tag->add_option("--allow-sha1-before", ta->allow_sha1_before, kSha1Help)->type_name("DATE|never");
  tag->footer("Examples:\n  vouch verify-tag v5.6.1                      # policy mode, from git config vouch.trustRoot\n"
              "  vouch verify-tag v5.6.1 --keyring .vouch/keys");
  tag->callback([&g, ta, &exit_code] { exit_code = run_verify_tag(g, *ta); });

  auto fa = std::make_shared<FileArgs>();
  auto* file = app.add_subcommand("verify-file", "Verify a detached OpenPGP or SSH signature over a file");
  file->add_option("file", fa->file, "the signed file")->required();
  file->add_option("--signature,-s", fa->signature, "the detached signature (.sig, .asc)")->required()->type_name("SIG");
  file->add_option("--namespace,-n", fa->ns, "SSH signature namespace (default: file)")->type_name("NS");
  file->add_option("--keyring", fa->keyring, "keys that may sign")->required()->type_name("DIR");
  file->add_option("--at", fa->at, "reference time (default: now)")->type_name("TIME");
  file->add_option("--allow-sha1-before", fa->allow_sha1_before, kSha1Help)->type_name("DATE|never");
  file->footer("Example:\n  vouch verify-file xz-5.6.1.tar.gz --signature xz-5.6.1.tar.gz.sig --keyring keys/");
  file->callback([&g, fa, &exit_code] { exit_code = run_verify_file(g, *fa); });
}

}  // namespace vouch::cli
