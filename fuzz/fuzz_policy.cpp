// Fuzzes the policy parser: any bytes give a validated Policy or errors,
// never a crash, and an accepted Policy keeps the promises of policy.h.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/path_pattern.h"
#include "policy/policy_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vouch::policy;
  auto check = check_policy(input, "policy.toml");
  if (check.policy.has_value() == !check.errors.empty()) std::abort();
  for (const auto& e : check.errors)
    if (!e.starts_with("policy.toml:")) std::abort();
  if (!check.policy) return 0;
  const Policy& p = *check.policy;
  auto requirements_ok = [&p](const std::vector<Requirement>& reqs) {
    for (const auto& r : reqs) {
      auto g = p.groups.find(r.group);
      if (g == p.groups.end() || r.count < 1 || r.count > static_cast<int>(g->second.size())) std::abort();
    }
  };
  requirements_ok(p.commit_require);
  for (const auto& rule : p.rules) {
    requirements_ok(rule.require);
    if (rule.paths.empty()) std::abort();
    for (const auto& text : rule.paths) {
      auto pattern = PathPattern::compile(text);
      if (!pattern) std::abort();
      (void)pattern->matches(".vouch/policy.toml");
    }
  }
  for (const auto& tag : p.tags) requirements_ok(tag.require);
  for (const auto& [name, person] : p.people)
    if (person.keys.empty()) std::abort();
  // A path pattern fuzz rides along: the input as a pattern, matched against itself.
  if (auto pattern = PathPattern::compile(input)) (void)pattern->matches(input);
  return 0;
}
