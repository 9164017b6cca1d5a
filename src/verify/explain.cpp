#include "verify/explain.h"

#include <algorithm>

#include "git/changed_paths.h"
#include "git/signed_object.h"
#include "verify/policy_context.h"

namespace vouch::verify {
namespace {


std::vector<ExplainedRequirement> explain_requirements(const policy::Policy& policy,
                                                       const std::vector<policy::Requirement>& require) {
  std::vector<ExplainedRequirement> out;
  for (const auto& req : require) {
    ExplainedRequirement e;
    e.text = req.text();
    auto group = policy.groups.find(req.group);
    if (group != policy.groups.end()) e.candidates = group->second;
    e.need = req.all ? static_cast<int>(e.candidates.size()) : req.count;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<Explanation> explain_commit(git::Repository& repo, const std::string& rev, const std::string& trust_root) {
  auto oid = repo.resolve_commit(rev);
  if (!oid) return oid.error();
  auto raw = repo.raw_object(*oid);
  if (!raw) return raw.error();
  auto parents = git::commit_parents(*raw);
  Explanation ex;
  ex.commit = *oid;
  ex.governed_by = parents.empty() ? *oid : parents.front();
  PolicyCache cache(repo, nullptr);
  auto gp = cache.at(ex.governed_by);
  if (!gp) return gp.error();
  if (!*gp)
    return make_error(ErrorKind::bad_input, "commit " + ex.governed_by.substr(0, 12) + " has no " +
                                                policy::kPolicyPath + ", so no policy governs " + rev);
  const policy::Policy& policy = (*gp)->policy;
  ex.serial = policy.serial;
  auto changed = git::changed_path_names(repo, *oid);
  if (!changed) return changed.error();
  ex.changed_paths = *changed;

  ExplainedRule commits;
  commits.name = "commits";
  commits.requirements = explain_requirements(policy, policy.commit_require);
  ex.rules.push_back(std::move(commits));
  for (const auto& compiled : (*gp)->rules) {
    ExplainedRule rule;
    rule.name = compiled.rule->name;
    rule.implicit = compiled.rule->implicit;
    rule.self_approval = compiled.rule->self_approval;
    rule.notify = compiled.rule->notify;
    for (const auto& pattern : compiled.patterns) {
      PatternMatch m;
      m.pattern = pattern.text();
      for (const auto& path : *changed)
        if (pattern.matches(path)) m.paths.push_back(path);
      if (!m.paths.empty()) rule.matches.push_back(std::move(m));
    }
    if (rule.matches.empty()) continue;
    rule.requirements = explain_requirements(policy, compiled.rule->require);
    ex.rules.push_back(std::move(rule));
  }
  if (policy.min_amount)
    ex.notes.push_back("[trust]: a key counts only if the local trust database gives it at least " +
                       std::to_string(*policy.min_amount) +
                       (policy.min_key_age ? " (for path rules, counting only endorsements older than " +
                                                 std::to_string(*policy.min_key_age / 86400) + " days)"
                                           : std::string()));
  std::string wanted = trust_root;
  if (wanted.empty()) {
    if (auto configured = repo.config_string("vouch.trustRoot")) wanted = *configured;
  }
  if (!wanted.empty()) {
    auto root = repo.resolve_commit(wanted);
    if (!root) return make_error(root.error().kind, "trust root: " + root.error().message);
    ex.trust_root = *root;
    ex.rooted = repo.first_parent_chain(ex.governed_by, *root).ok();
    if (!*ex.rooted)
      ex.notes.push_back("the governing commit " + ex.governed_by.substr(0, 12) +
                         " does not descend from the trust root " + root->substr(0, 12) +
                         " through first parents: this policy is not in force, and verification of " + rev +
                         " fails");
  }
  if (std::find(changed->begin(), changed->end(), policy::kPolicyPath) != changed->end())
    ex.notes.push_back("this commit changes the policy: the new file must be valid and its serial greater than " +
                       std::to_string(policy.serial));
  return ex;
}

}  // namespace vouch::verify
