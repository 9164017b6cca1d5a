#include "report/policy_render.h"

namespace vouch::report {
namespace {

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

/// "serial 3, 4 people, 2 groups, 3 rules + implicit policy rule".
std::string policy_summary_text(const policy::Policy& p) {
  size_t rules = p.rules.size();
  bool implicit = !p.rules.empty() && p.rules.back().implicit;
  if (implicit) --rules;
  std::string out = "serial " + std::to_string(p.serial) + ", " + plural(p.people.size(), "person", "people") + ", " +
                    plural(p.groups.size(), "group", "groups") + ", " + plural(rules, "rule", "rules");
  if (implicit) out += " + implicit policy rule";
  if (!p.tags.empty()) out += ", " + plural(p.tags.size(), "tag rule", "tag rules");
  return out;
}

nlohmann::json policy_summary_json(const policy::Policy& p) {
  bool implicit = !p.rules.empty() && p.rules.back().implicit;
  nlohmann::json implicit_paths = nlohmann::json::array();
  if (implicit) implicit_paths = p.rules.back().paths;
  return {{"serial", p.serial},
          {"people", p.people.size()},
          {"groups", p.groups.size()},
          {"rules", p.rules.size() - (implicit ? 1 : 0)},
          {"implicit_policy_rule", implicit},
          {"implicit_policy_paths", implicit_paths},
          {"tags", p.tags.size()}};
}

Document render_policy_init(const app::PolicyInitResult& r) {
  std::string msg = "wrote " + std::string(policy::kPolicyPath);
  for (const auto& f : r.key_files) msg += " and " + f;
  msg += "\n";
  if (!r.complete)
    msg +=
        "next: replace \"FILL-IN\" with your key id, copy your public key into .vouch/keys/, then run `vouch policy "
        "check`\n";
  else if (r.key_files.size() < r.keys_given)
    msg += "next: copy the public keys given by id into .vouch/keys/, then commit .vouch/ with a signed commit\n";
  else
    msg += "next: review it, run `vouch policy check`, then commit .vouch/ with a signed commit\n";
  nlohmann::json json = {{"schema", 1}, {"file", policy::kPolicyPath}, {"complete", r.complete}};
  json["key_files"] = r.key_files;
  return {msg, json};
}

Document render_policy_check(const policy::PolicyCheck& check, const std::string& shown, bool quiet) {
  Document doc;
  doc.json = {{"schema", 1},
              {"file", shown},
              {"verdict", check.policy ? "valid" : "invalid"},
              {"errors", check.errors},
              {"summary", check.policy ? policy_summary_json(*check.policy) : nlohmann::json()}};
  if (check.policy && !quiet) doc.text = shown + ": valid (" + policy_summary_text(*check.policy) + ")\n";
  return doc;
}

}  // namespace vouch::report
