// vouch log [--verify]: the trust database's audit log (trust.md "audit log",
// threat 23). Listing reads the entries; --verify recomputes the hash chain
// (trust/audit_log.h) and names the first broken link.
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/trust_cmds.h"
#include "report/trust_render.h"

namespace vouch::cli {
namespace {

struct LogArgs {
  bool verify = false;
};

/// The change an entry records, without the bulky evidence (signed
/// statements and key material stay in the JSON form).
nlohmann::json change_of(const trust::AuditEntry& e) {
  auto payload = nlohmann::json::parse(e.payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("change")) return nullptr;
  return payload["change"];
}

std::string summary(const nlohmann::json& change) {
  if (!change.is_object()) return change.is_null() ? "" : change.dump();
  std::string out;
  for (const auto& [k, v] : change.items()) {
    if (k == "statement" || k == "material") continue;
    std::string value = v.is_string() ? v.get<std::string>() : v.dump();
    if (value.size() > 80) value = value.substr(0, 77) + "...";
    out += (out.empty() ? "" : " ") + k + "=" + value;
  }
  return out;
}

int run_verify(const GlobalOptions& g, const trust::TrustStore& store) {
  auto v = store.verify_audit_log();
  if (!v) return fail(g, v.error());
  nlohmann::json j = {{"schema", 1},
                      {"verdict", v->problem ? "fail" : "pass"},
                      {"entries", v->entries},
                      {"head", v->head_hash}};
  if (v->problem) {
    j["problem"] = {{"seq", v->problem->seq}, {"message", v->problem->message}};
    j["errors"] = {v->problem->message};
    emit(g, "audit log broken: " + v->problem->message + "\n", j);
    return kFailed;
  }
  emit(g, "audit log intact: " + std::to_string(v->entries) + " entries, head " + v->head_hash + "\n", j);
  return kOk;
}

int run_log(const GlobalOptions& g, const LogArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  if (a.verify) return run_verify(g, *store);
  auto entries = store->audit_log();
  if (!entries) return fail(g, entries.error());
  std::string text;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : *entries) {
    auto change = change_of(e);
    text += std::to_string(e.seq) + "  " + report::utc_time(e.time) + "  " + e.actor + "  " + e.action;
    if (auto s = summary(change); !s.empty()) text += "  " + s;
    text += "\n";
    list.push_back({{"seq", e.seq},
                    {"time", e.time},
                    {"actor", e.actor},
                    {"action", e.action},
                    {"change", change},
                    {"prev_hash", e.prev_hash},
                    {"hash", e.hash}});
  }
  if (entries->empty() && !g.quiet) text = "the audit log is empty\n";
  emit(g, text, {{"schema", 1}, {"entries", list}});
  return kOk;
}

}  // namespace

void add_log_command(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<LogArgs>();
  auto* cmd = app.add_subcommand("log", "The trust database's audit log");
  cmd->add_flag("--verify", a->verify, "recompute the hash chain; exit 1 naming the first broken entry");
  cmd->footer("Example:\n  vouch log\n  vouch log --verify   # audit log intact: 12 entries, head 5f0c...");
  cmd->callback([&g, a, &exit_code] { exit_code = run_log(g, *a); });
}

}  // namespace vouch::cli
