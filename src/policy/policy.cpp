#include "policy/policy.h"

namespace vouch::policy {

std::string Requirement::text() const {
  return (all ? std::string("all") : std::to_string(count)) + " of " + group;
}

std::optional<std::string> Policy::person_of(const KeyId& key) const {
  for (const auto& [name, person] : people)
    for (const auto& k : person.keys)
      if (k == key) return name;
  return std::nullopt;
}

std::vector<KeyId> Policy::all_keys() const {
  std::vector<KeyId> out;
  for (const auto& [name, person] : people) out.insert(out.end(), person.keys.begin(), person.keys.end());
  return out;
}

}  // namespace vouch::policy
