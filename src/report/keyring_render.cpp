#include "report/keyring_render.h"

#include <string_view>

namespace vouch::report {
namespace {

nlohmann::json items_json(const std::vector<trust::BundleItem>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) {
    nlohmann::json j{{"kind", i.kind}, {"id", i.id}};
    if (!i.detail.empty()) j["detail"] = i.detail;
    out.push_back(std::move(j));
  }
  return out;
}

/// "LABEL: N" and, when `listed`, one line per item.
void items_text(std::string& text, std::string_view label, const std::vector<trust::BundleItem>& items, bool listed) {
  if (items.empty()) return;
  text += std::string(label) + ": " + std::to_string(items.size()) + "\n";
  if (!listed) return;
  for (const auto& i : items)
    text += "  " + i.kind + " " + i.id + (i.detail.empty() ? "" : " (" + i.detail + ")") + "\n";
}

}  // namespace

Document render_keyring_export(const trust::BundleExportReport& r, const std::string& dir) {
  Document doc;
  doc.text = "exported " + std::to_string(r.keys) + " keys, " + std::to_string(r.people) + " people, " +
             std::to_string(r.endorsements) + " endorsements, " + std::to_string(r.revocations) + " revocations to " +
             dir + " (" + std::to_string(r.files) + " files in MANIFEST)\n";
  doc.text += r.signer ? "MANIFEST signed by " + r.signer->str() + "\n" : "MANIFEST not signed (use --sign KEY)\n";
  const std::string head = std::to_string(r.head.seq) + ":" + r.head.hash;
  doc.text += "audit log head " + head + " (audit-head; check it later with `vouch log --verify --head " + dir + "`)\n";
  doc.json = {{"schema", 1},
              {"verdict", "pass"},
              {"directory", dir},
              {"keys", r.keys},
              {"people", r.people},
              {"endorsements", r.endorsements},
              {"revocations", r.revocations},
              {"files", r.files},
              {"signer", r.signer ? nlohmann::json(r.signer->str()) : nlohmann::json()},
              {"audit_head", head}};
  return doc;
}

bool keyring_import_ok(const trust::BundleImportReport& r) { return r.refused.empty() && r.applied; }

Document render_keyring_import(const trust::BundleImportReport& r, const std::string& dir, bool verbose) {
  Document doc;
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& c : r.signatures) {
    doc.text += "MANIFEST signature by " + c.key.str() + ": " + std::string(to_string(c.result.status)) +
                (c.result.reason.empty() || c.result.status == SigStatus::good ? "" : " (" + c.result.reason + ")") +
                "\n";
    sigs.push_back({{"key", c.key.str()}, {"status", to_string(c.result.status)}, {"reason", c.result.reason}});
  }
  const std::string publisher_head =
      r.publisher_head ? std::to_string(r.publisher_head->seq) + ":" + r.publisher_head->hash : "";
  if (r.publisher_head) doc.text += "publisher's audit log head " + publisher_head + "\n";
  items_text(doc.text, "added", r.added, true);
  items_text(doc.text, "changed", r.changed, true);
  items_text(doc.text, "unchanged", r.unchanged, verbose);
  items_text(doc.text, "skipped", r.skipped, true);
  items_text(doc.text, "refused", r.refused, true);
  const bool ok = keyring_import_ok(r);
  doc.text +=
      ok ? "imported " + dir + "\n" : "nothing imported: " + std::to_string(r.refused.size()) + " item(s) refused\n";
  doc.json = {{"schema", 1},
              {"verdict", ok ? "pass" : "fail"},
              {"directory", dir},
              {"applied", r.applied},
              {"signatures", sigs},
              {"added", items_json(r.added)},
              {"changed", items_json(r.changed)},
              {"unchanged", items_json(r.unchanged)},
              {"skipped", items_json(r.skipped)},
              {"refused", items_json(r.refused)},
              {"warnings", r.warnings},
              {"publisher_head", r.publisher_head ? nlohmann::json(publisher_head) : nlohmann::json()}};
  if (!ok) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& i : r.refused) errors.push_back(i.kind + " " + i.id + ": " + i.detail);
    doc.json["errors"] = errors;
  }
  return doc;
}

}  // namespace vouch::report
