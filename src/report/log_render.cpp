#include "report/log_render.h"

#include <nlohmann/json.hpp>

#include "report/trust_render.h"

namespace vouch::report {
namespace {

/// The change an entry records (its payload's "change"), null when absent.
nlohmann::json change_of(const trust::AuditEntry& e) {
  auto payload = nlohmann::json::parse(e.payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("change")) return nullptr;
  return payload["change"];
}

/// "key=value ..." of a change, without the bulky evidence.
std::string summary(const nlohmann::json& change) {
  if (!change.is_object()) return change.is_null() ? "" : change.dump();
  std::string out;
  for (const auto& [k, v] : change.items()) {
    if (k == "statement" || k == "material" || k == "material_sha256" || k == "baseline") continue;
    if (v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get<std::string>().empty())) continue;
    std::string value = v.is_string() ? v.get<std::string>() : v.dump();
    if (value.size() > 80) value = value.substr(0, 77) + "...";
    if (!out.empty()) out += ' ';
    out.append(k).append("=").append(value);
  }
  return out;
}

}  // namespace

Document render_audit_log(const std::vector<trust::AuditEntry>& entries, bool quiet) {
  Document doc;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries) {
    auto change = change_of(e);
    doc.text += std::to_string(e.seq) + "  " + utc_time(e.time) + "  " + e.actor + "  " + e.action;
    if (auto s = summary(change); !s.empty()) doc.text += "  " + s;
    doc.text += "\n";
    list.push_back({{"seq", e.seq},
                    {"time", e.time},
                    {"actor", e.actor},
                    {"action", e.action},
                    {"change", change},
                    {"prev_hash", e.prev_hash},
                    {"hash", e.hash}});
  }
  if (entries.empty() && !quiet) doc.text = "the audit log is empty\n";
  doc.json = {{"schema", 1}, {"entries", list}};
  return doc;
}

Document render_audit_check(const app::AuditCheck& c) {
  Document doc;
  doc.json = {{"schema", 1}, {"verdict", "pass"}, {"entries", c.entries}, {"head", c.head_hash}};
  nlohmann::json errors = nlohmann::json::array();
  if (c.problem) {
    doc.text += "audit log broken: " + c.problem->message + "\n";
    errors.push_back(c.problem->message);
    doc.json["problem"] = {{"seq", c.problem->seq}, {"message", c.problem->message}};
  }
  if (!c.chain_broken) {
    nlohmann::json diffs = nlohmann::json::array();
    if (!c.differences.empty()) {
      const size_t n = c.differences.size();
      doc.text += "trust tables differ from the audit log (" + std::to_string(n) +
                  (n == 1 ? " difference" : " differences") + "):\n";
      for (const auto& d : c.differences) {
        doc.text += "  " + d.message + "\n";
        diffs.push_back({{"table", d.table}, {"row", d.row}, {"message", d.message}});
        errors.push_back(d.message);
      }
    }
    doc.json["differences"] = diffs;
  }
  if (!errors.empty()) {
    doc.json["verdict"] = "fail";
    doc.json["errors"] = errors;
    return doc;
  }
  doc.text = "audit log intact: " + std::to_string(c.entries) + " entries, head " + c.head_hash + "\n";
  doc.text += "trust tables match the log";
  if (c.anchors > 0)
    doc.text += "; " + std::to_string(c.anchors) + (c.anchors == 1 ? " anchor" : " anchors") + " found";
  doc.text += "\n";
  return doc;
}

}  // namespace vouch::report
