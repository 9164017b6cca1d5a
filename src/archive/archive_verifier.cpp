#include "archive/archive_verifier.h"

#include <algorithm>

#include "archive/archive_approvals.h"
#include "archive/archive_compare.h"
#include "archive/export_ignore.h"
#include "archive/known_files.h"
#include "archive/raw_names.h"
#include "git/tree_reader.h"
#include "policy/policy_parser.h"
#include "util/clock.h"
#include "verify/keyring_verifier.h"
#include "verify/policy_context.h"

namespace vouch::archive {
namespace {

/// The policy that explains the archive and counts its approvals, with the
/// keys approvals are checked with; nullopt policy: the commit has none.
struct ReleasePolicy {
  std::optional<policy::Policy> policy;
  std::shared_ptr<const keys::Keyring> keyring;
};

Result<ReleasePolicy> release_policy(git::Repository& repo, const std::string& commit, const ArchiveVerifyOptions& opts) {
  ReleasePolicy out;
  if (opts.keyring == nullptr) {
    // Policy mode: the same policy the tag was judged by.
    verify::PolicyCache cache(repo, opts.policy.store);
    auto gp = opts.policy.policy_file.empty() ? cache.at(commit) : cache.from_file(opts.policy.policy_file);
    if (!gp) return gp.error();
    if (*gp) {
      out.policy = (*gp)->policy;
      out.keyring = (*gp)->keyring;
    }
    return out;
  }
  auto text = git::read_file_at(repo, commit, policy::kPolicyPath);
  if (!text) return text.error();
  if (!*text) return out;
  auto parsed = policy::parse_policy(**text, commit.substr(0, 12) + ":" + policy::kPolicyPath);
  if (!parsed) return parsed.error();
  out.policy = std::move(*parsed);
  out.keyring = std::shared_ptr<const keys::Keyring>(opts.keyring, [](const keys::Keyring*) {});
  return out;
}

Result<std::vector<policy::PathPattern>> compile(const std::vector<std::string>& texts, const std::string& field) {
  std::vector<policy::PathPattern> out;
  for (const auto& t : texts) {
    auto p = policy::PathPattern::compile(t);
    if (!p) return make_error(ErrorKind::malformed, "[release] " + field + ": " + p.error().message);
    out.push_back(std::move(*p));
  }
  return out;
}

std::string failure_line(const std::string& archive, const ArchiveFinding& f) {
  std::string line = "archive " + archive + ": " + f.kind + " " + f.path;
  if (f.kind == "added") line += f.detail.empty() ? " (not in the tag's tree)" : " (" + f.detail + ", not in the tag's tree)";
  else if (!f.detail.empty()) line += " (" + f.detail + ")";
  return line;
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<ArchiveVerdict> verify_archive(git::Repository& repo, const std::string& archive_path, const std::string& tag,
                                      const ArchiveVerifyOptions& opts) {
  ArchiveVerdict v;
  v.archive = archive_path;
  v.tag = tag;
  v.known_dirs = opts.known_dirs;
  // --known first: a typo in a directory name is bad input before any work.
  auto known = KnownFiles::index(opts.known_dirs);
  if (!known) return known.error();

  auto tv = opts.keyring != nullptr ? verify::verify_tag(repo, *opts.keyring, tag, {0, opts.now, {}})
                                    : verify::verify_tag_policy(repo, tag, opts.policy);
  if (!tv) return tv.error();
  v.tag_verdict = std::move(*tv);
  auto commit = repo.resolve_commit(v.tag_verdict.target);
  if (!commit) return make_error(ErrorKind::bad_input, "tag " + tag + " does not point at a commit: " + commit.error().message);
  v.commit = *commit;

  // A tagged commit that does not verify from the trust root has no policy
  // in force: its [release] rules would be the tagger's own, so none apply.
  bool unverified = opts.keyring == nullptr && !v.tag_verdict.commit_verified;
  auto rp = unverified ? Result<ReleasePolicy>(ReleasePolicy{}) : release_policy(repo, v.commit, opts);
  if (!rp) return rp.error();
  ReleaseRules rules;
  if (rp->policy) {
    auto add = compile(rp->policy->archive_may_add, "archive_may_add");
    if (!add) return add.error();
    auto change = compile(rp->policy->archive_may_change, "archive_may_change");
    if (!change) return change.error();
    auto omit = compile(rp->policy->archive_may_omit, "archive_may_omit");
    if (!omit) return omit.error();
    rules.may_add = std::move(*add);
    rules.may_change = std::move(*change);
    rules.may_omit = std::move(*omit);
  }
  auto tree = git::list_tree(repo, v.commit, "");
  if (!tree) return tree.error();
  auto ignored = export_ignored(repo, *tree);
  if (!ignored) return ignored.error();
  rules.not_expected = std::move(*ignored);

  auto reader = ArchiveReader::open_file(archive_path);
  if (!reader) return reader.error();
  auto scan = scan_archive(*reader, opts.limits);
  if (!scan) return scan.error();
  v.format = scan->filters.empty() ? scan->format : scan->filters + ", " + scan->format;

  // The raw headers, read a second time without libarchive's interpretation.
  bool zip = scan->format == "ZIP";
  uint64_t max_stream = opts.limits.max_bytes + (opts.limits.max_members + 1) * 4096 + (64u << 20);
  auto raw = scan_raw_names_file(archive_path, zip, opts.limits.max_members, max_stream);
  if (!raw) return raw.error();
  if (!zip) {
    std::vector<std::string> names;
    names.reserve(scan->members.size());
    for (const auto& m : scan->members) names.push_back(m.path);
    cross_check(*raw, names);
  }

  Comparison c = compare_archive(scan->members, *tree, rules, raw->issues);
  v.prefix = c.prefix;
  v.notes = std::move(c.notes);
  v.members = c.members;
  v.matched = c.matched;
  v.findings = std::move(c.findings);
  v.classes = std::move(c.classes);
  v.export_ignored = std::move(c.export_ignored);

  // Known or unknown: by the member's own bytes, so look members up by the
  // path the finding names.
  if (!known->empty()) {
    std::map<std::string, const ArchiveMember*, std::less<>> files;
    for (const auto& m : scan->members) {
      std::string_view p = m.path;
      while (p.starts_with("./")) p.remove_prefix(2);
      if (m.kind == MemberKind::file) files.emplace(p, &m);
    }
    for (auto& f : v.findings) {
      if (f.kind != "allowed" || f.origin == "omitted") continue;
      auto m = files.find(v.prefix + f.path);
      if (m == files.end()) continue;
      if (auto match = known->match(base_name(f.path), m->second->size, m->second->sha256)) f.known_as = *match;
    }
  }

  bool differs = std::any_of(v.findings.begin(), v.findings.end(), [](const auto& f) { return f.kind == "allowed"; });
  if (rp->policy) {
    auto sha = file_sha256(archive_path);
    if (!sha) return sha.error();
    ArchiveApprovalInputs in{&*rp->policy, rp->keyring.get(), v.tag_verdict.tag_oid, *sha, v.tag_verdict.signer_person,
                             opts.policy.now != 0 ? opts.policy.now : (opts.now != 0 ? opts.now : util::now())};
    auto a = check_archive_approvals(repo, in, differs);
    if (!a) return a.error();
    v.approvals = std::move(*a);
  }

  v.errors = v.tag_verdict.errors;
  if (!v.tag_verdict.pass && v.errors.empty()) v.errors.push_back("tag " + tag + ": does not verify");
  for (const auto& f : v.findings)
    if (f.kind != "allowed") v.errors.push_back(failure_line(archive_path, f));
  for (const auto& line : approval_failures(v.approvals)) v.errors.push_back("archive " + archive_path + ": " + line);
  v.pass = v.errors.empty();
  return v;
}

}  // namespace vouch::archive
