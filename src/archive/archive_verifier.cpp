#include "archive/archive_verifier.h"

#include "archive/archive_compare.h"
#include "git/tree_reader.h"
#include "policy/policy_parser.h"
#include "verify/keyring_verifier.h"
#include "verify/policy_context.h"

namespace vouch::archive {
namespace {

Result<std::vector<std::string>> may_add_patterns(git::Repository& repo, const std::string& commit,
                                                  const ArchiveVerifyOptions& opts) {
  if (opts.keyring == nullptr) {
    // Policy mode: the same policy the tag was judged by.
    verify::PolicyCache cache(repo, opts.policy.store);
    auto gp = opts.policy.policy_file.empty() ? cache.at(commit) : cache.from_file(opts.policy.policy_file);
    if (!gp) return gp.error();
    if (!*gp) return std::vector<std::string>{};
    return (*gp)->policy.archive_may_add;
  }
  auto text = git::read_file_at(repo, commit, policy::kPolicyPath);
  if (!text) return text.error();
  if (!*text) return std::vector<std::string>{};
  auto parsed = policy::parse_policy(**text, commit.substr(0, 12) + ":" + policy::kPolicyPath);
  if (!parsed) return parsed.error();
  return parsed->archive_may_add;
}

std::string failure_line(const std::string& archive, const ArchiveFinding& f) {
  std::string line = "archive " + archive + ": " + f.kind + " " + f.path;
  if (f.kind == "added") line += f.detail.empty() ? " (not in the tag's tree)" : " (" + f.detail + ", not in the tag's tree)";
  else if (!f.detail.empty()) line += " (" + f.detail + ")";
  return line;
}

}  // namespace

Result<ArchiveVerdict> verify_archive(git::Repository& repo, const std::string& archive_path, const std::string& tag,
                                      const ArchiveVerifyOptions& opts) {
  ArchiveVerdict v;
  v.archive = archive_path;
  v.tag = tag;
  auto tv = opts.keyring != nullptr ? verify::verify_tag(repo, *opts.keyring, tag, {0, opts.now, {}})
                                    : verify::verify_tag_policy(repo, tag, opts.policy);
  if (!tv) return tv.error();
  v.tag_verdict = std::move(*tv);
  auto commit = repo.resolve_commit(v.tag_verdict.target);
  if (!commit) return make_error(ErrorKind::bad_input, "tag " + tag + " does not point at a commit: " + commit.error().message);
  v.commit = *commit;

  auto texts = may_add_patterns(repo, v.commit, opts);
  if (!texts) return texts.error();
  std::vector<policy::PathPattern> may_add;
  for (const auto& t : *texts) {
    auto p = policy::PathPattern::compile(t);
    if (!p) return make_error(ErrorKind::malformed, "[release] archive_may_add: " + p.error().message);
    may_add.push_back(std::move(*p));
  }
  auto tree = git::list_tree(repo, v.commit, "");
  if (!tree) return tree.error();

  auto reader = ArchiveReader::open_file(archive_path);
  if (!reader) return reader.error();
  auto scan = scan_archive(*reader, opts.limits);
  if (!scan) return scan.error();
  v.format = scan->filters.empty() ? scan->format : scan->filters + ", " + scan->format;

  Comparison c = compare_archive(scan->members, *tree, may_add);
  v.prefix = c.prefix;
  v.notes = std::move(c.notes);
  v.members = c.members;
  v.matched = c.matched;
  v.findings = std::move(c.findings);
  v.errors = v.tag_verdict.errors;
  if (!v.tag_verdict.pass && v.errors.empty()) v.errors.push_back("tag " + tag + ": does not verify");
  for (const auto& f : v.findings)
    if (f.kind != "allowed") v.errors.push_back(failure_line(archive_path, f));
  v.pass = v.errors.empty();
  return v;
}

}  // namespace vouch::archive
