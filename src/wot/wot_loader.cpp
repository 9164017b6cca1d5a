#include "wot/wot_loader.h"

#include <map>
#include <string>
#include <vector>

namespace vouch::trust {

Result<WotInput> load_wot_input(const TrustStore& store) {
  auto people = store.list_people();
  if (!people) return people.error();
  std::map<std::string, std::vector<std::string>> emails_of;
  for (const auto& p : *people) emails_of[p.name] = p.emails;

  auto keys = store.list_keys();
  if (!keys) return keys.error();
  WotInput in;
  in.keys.reserve(keys->size());
  for (const auto& k : *keys) {
    WotKey w{k.id, k.person, {}};
    if (k.person) {
      auto it = emails_of.find(*k.person);
      if (it != emails_of.end()) w.emails = it->second;
    }
    in.keys.push_back(std::move(w));
  }

  auto endorsements = store.list_endorsements();
  if (!endorsements) return endorsements.error();
  in.endorsements = std::move(*endorsements);
  auto roots = store.list_roots();
  if (!roots) return roots.error();
  in.roots = std::move(*roots);
  auto revocations = store.list_revocations();
  if (!revocations) return revocations.error();
  in.revocations = std::move(*revocations);
  return in;
}

}  // namespace vouch::trust
