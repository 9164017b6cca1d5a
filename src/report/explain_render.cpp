#include "report/explain_render.h"

namespace vouch::report {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out.empty() ? "-" : out;
}

}  // namespace

nlohmann::json explain_json(const verify::Explanation& ex) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : ex.rules) {
    nlohmann::json matches = nlohmann::json::array();
    for (const auto& m : r.matches) matches.push_back({{"pattern", m.pattern}, {"paths", m.paths}});
    nlohmann::json reqs = nlohmann::json::array();
    for (const auto& q : r.requirements)
      reqs.push_back({{"requirement", q.text}, {"need", q.need}, {"candidates", q.candidates}});
    rules.push_back({{"name", r.name},
                     {"implicit", r.implicit},
                     {"self_approval", r.self_approval},
                     {"notify", r.notify},
                     {"matches", matches},
                     {"requirements", reqs}});
  }
  nlohmann::json doc = {{"schema", 1},
                        {"commit", ex.commit},
                        {"governed_by", ex.governed_by},
                        {"serial", ex.serial},
                        {"changed_paths", ex.changed_paths},
                        {"rules", rules},
                        {"notes", ex.notes}};
  if (ex.rooted) {
    doc["trust_root"] = ex.trust_root;
    doc["descends_from_trust_root"] = *ex.rooted;
  }
  return doc;
}

std::string explain_text(const verify::Explanation& ex) {
  std::string out = "commit " + ex.commit.substr(0, 12) + " is governed by the policy of " +
                    ex.governed_by.substr(0, 12) + " (serial " + std::to_string(ex.serial) + ")\n";
  out += std::to_string(ex.changed_paths.size()) + " changed path(s)\n";
  for (const auto& r : ex.rules) {
    out += "rule " + r.name + (r.implicit ? " (implicit: protects the policy and keyring)" : "") +
           (r.self_approval ? "" : " (the signer does not count)") + (r.notify ? " (notify)" : "") + "\n";
    if (r.name == "commits") out += "  applies to every commit\n";
    for (const auto& m : r.matches) out += "  " + m.pattern + " matched " + join(m.paths) + "\n";
    for (const auto& q : r.requirements) out += "  needs " + q.text + ": " + join(q.candidates) + "\n";
  }
  for (const auto& n : ex.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace vouch::report
