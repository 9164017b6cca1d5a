#include "app/trust_query.h"

#include "trustdb/key_import.h"
#include "wot/wot_loader.h"

namespace vouch::app {

Result<TrustTarget> resolve_trust_target(const trust::TrustStore& store, const std::string& arg) {
  VOUCH_LET(person, store.get_person(arg));
  if (person) return TrustTarget{arg, {}, arg};
  VOUCH_LET(key, trust::resolve_key_argument(store, arg));
  VOUCH_LET(owner, store.person_of(key));
  return TrustTarget{std::nullopt, key, key.str() + (owner ? " (" + *owner + ")" : "")};
}

Result<TrustQuery> query_trust(const trust::TrustStore& store, const TrustQueryOptions& opts) {
  VOUCH_LET(target, resolve_trust_target(store, opts.target));
  VOUCH_LET(input, trust::load_wot_input(store));
  trust::WotOptions wot;
  wot.at = opts.at;
  wot.min_age = opts.min_age;
  wot.stop_at = opts.stop_at;
  wot.explain = true;
  auto graph = trust::TrustGraph::build(input, wot);
  auto result = target.person ? graph.trust_of_person(*target.person) : graph.trust_of_key(target.key);
  return TrustQuery{std::move(target), std::move(result)};
}

Result<TrustGraphData> load_trust_graph(const trust::TrustStore& store) {
  VOUCH_LET(wot, trust::load_wot_input(store));
  VOUCH_LET(people, store.list_people());
  return TrustGraphData{std::move(wot), std::move(people)};
}

Result<std::vector<RootEntry>> list_roots(const trust::TrustStore& store) {
  VOUCH_LET(roots, store.list_roots());
  std::vector<RootEntry> out;
  for (const auto& r : roots) {
    VOUCH_LET(owner, store.person_of(r));
    out.push_back({r, std::move(owner)});
  }
  return out;
}

}  // namespace vouch::app
