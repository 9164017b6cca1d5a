#include "verify/rule_evaluator.h"

#include <algorithm>
#include <set>

namespace vouch::verify {
namespace {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

/// "m4/a.m4, m4/b.m4 and 3 more": a failure line stays one line.
std::string path_list(const std::vector<std::string>& paths) {
  constexpr size_t kShown = 3;
  std::vector<std::string> shown(paths.begin(), paths.begin() + static_cast<long>(std::min(kShown, paths.size())));
  std::string out = join(shown, ", ");
  if (paths.size() > kShown) out += " and " + std::to_string(paths.size() - kShown) + " more";
  return out;
}

enum class Scope { commits, rules };

RuleResult evaluate(const std::string& name, const std::vector<policy::Requirement>& require,
                    const policy::Policy& policy, const std::vector<Participant>& participants, bool self_approval,
                    Scope scope, std::vector<std::string> paths, std::vector<std::string>& failures) {
  RuleResult result;
  result.name = name;
  result.paths = std::move(paths);
  result.satisfied = true;
  for (const auto& req : require) {
    RequirementResult rr;
    rr.group = req.group;
    auto group = policy.groups.find(req.group);
    rr.need = req.all && group != policy.groups.end() ? static_cast<int>(group->second.size()) : req.count;
    std::set<std::string> counted;
    std::set<std::string> signers;
    for (const auto& p : participants)
      if (p.is_signer) signers.insert(p.person);
    if (group != policy.groups.end()) {
      for (const auto& p : participants) {
        if (!self_approval && signers.count(p.person)) continue;  // the signer's own approval does not count either
        if (scope == Scope::commits ? !p.trusted_for_commits : !p.trusted_for_rules) continue;
        if (std::find(group->second.begin(), group->second.end(), p.person) != group->second.end())
          counted.insert(p.person);
      }
    }
    rr.counted.assign(counted.begin(), counted.end());
    rr.have = static_cast<int>(rr.counted.size());
    if (rr.have < rr.need) {
      result.satisfied = false;
      std::string line = "rule " + name + " needs " + std::to_string(rr.need - rr.have) + " more of " + req.group +
                         " (have " + std::to_string(rr.have) + ": " + (rr.counted.empty() ? "-" : join(rr.counted, ", ")) +
                         ")";
      if (!result.paths.empty()) line += " for " + path_list(result.paths);
      failures.push_back(std::move(line));
    }
    result.requirements.push_back(std::move(rr));
  }
  return result;
}

}  // namespace

Result<std::vector<CompiledRule>> compile_rules(const policy::Policy& policy) {
  std::vector<CompiledRule> out;
  for (const auto& rule : policy.rules) {
    CompiledRule c;
    c.rule = &rule;
    for (const auto& text : rule.paths) {
      auto p = policy::PathPattern::compile(text);
      if (!p) return make_error(ErrorKind::malformed, "rule " + rule.name + ": " + p.error().message);
      c.patterns.push_back(std::move(*p));
    }
    out.push_back(std::move(c));
  }
  return out;
}

RuleEvaluation evaluate_commit_rules(const policy::Policy& policy, const std::vector<CompiledRule>& rules,
                                     const std::vector<std::string>& changed_paths,
                                     const std::vector<Participant>& participants) {
  RuleEvaluation ev;
  ev.rules.push_back(evaluate("commits", policy.commit_require, policy, participants, true, Scope::commits, {},
                              ev.failures));
  for (const auto& c : rules) {
    std::vector<std::string> matched;
    for (const auto& path : changed_paths) {
      for (const auto& pattern : c.patterns) {
        if (pattern.matches(path)) {
          matched.push_back(path);
          break;
        }
      }
    }
    if (matched.empty()) continue;
    if (c.rule->notify) ev.notices.push_back("rule " + c.rule->name + " (notify): " + path_list(matched) + " changed");
    ev.rules.push_back(evaluate(c.rule->name, c.rule->require, policy, participants, c.rule->self_approval,
                                Scope::rules, std::move(matched), ev.failures));
  }
  return ev;
}

bool ref_matches(std::string_view pattern, std::string_view ref) {
  // Iterative wildcard match with one backtrack point: because `*` matches
  // any run of characters, '/' included, retrying from the last star is
  // enough (no exponential backtracking).
  size_t p = 0, r = 0;
  size_t star_p = std::string_view::npos, star_r = 0;
  while (r < ref.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      star_p = p;
      star_r = r;
      continue;
    }
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == ref[r])) {
      ++p;
      ++r;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    r = ++star_r;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

RuleEvaluation evaluate_tag_rules(const policy::Policy& policy, const std::string& ref,
                                  const std::vector<Participant>& participants, bool& matched) {
  RuleEvaluation ev;
  matched = false;
  int index = 0;
  for (const auto& tag_rule : policy.tags) {
    ++index;
    bool applies = std::any_of(tag_rule.refs.begin(), tag_rule.refs.end(),
                               [&](const std::string& pattern) { return ref_matches(pattern, ref); });
    if (!applies) continue;
    matched = true;
    ev.rules.push_back(evaluate("tags[" + std::to_string(index) + "] " + join(tag_rule.refs, ","), tag_rule.require,
                                policy, participants, true, Scope::commits, {}, ev.failures));
  }
  return ev;
}

}  // namespace vouch::verify
