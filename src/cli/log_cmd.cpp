// vouch log [--verify [--head ANCHOR]...]: the trust database's audit log
// (docs/trust-model.md "The audit log is the source of truth", threats 23 and 35). Listing reads the entries;
// --verify recomputes the hash chain and checks the head record
// (trustdb/audit_log.h), checks each --head anchor, then replays the log and
// compares it with the tables (trustdb/audit_replay.h).
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/trust_cmds.h"
#include "report/trust_render.h"
#include "util/file.h"

namespace vouch::cli {
namespace {

struct LogArgs {
  bool verify = false;
  std::vector<std::string> heads;
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
    if (k == "statement" || k == "material" || k == "material_sha256" || k == "baseline") continue;
    if (v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get<std::string>().empty())) continue;
    std::string value = v.is_string() ? v.get<std::string>() : v.dump();
    if (value.size() > 80) value = value.substr(0, 77) + "...";
    out += (out.empty() ? "" : " ") + k + "=" + value;
  }
  return out;
}

/// An anchor argument: "SEQ:HASH", an audit-head file, or a bundle directory
/// holding one.
Result<trust::AuditHead> read_anchor(const std::string& arg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string path = arg;
  if (fs::is_directory(path, ec)) path = (fs::path(path) / "audit-head").string();
  if (!fs::exists(path, ec)) {
    if (arg.find('/') != std::string::npos)
      return make_error(ErrorKind::bad_input, "--head " + arg + ": no such file");
    return trust::parse_audit_head(arg, "--head " + arg);
  }
  auto text = util::read_file(path, 1 << 16);
  if (!text) return make_error(ErrorKind::bad_input, "--head " + arg + ": " + text.error().message);
  return trust::parse_audit_head(*text, path);
}

int broken(const GlobalOptions& g, nlohmann::json j, int64_t seq, const std::string& message) {
  j["verdict"] = "fail";
  j["problem"] = {{"seq", seq}, {"message", message}};
  j["errors"] = {message};
  emit(g, "audit log broken: " + message + "\n", j);
  return kFailed;
}

int run_verify(const GlobalOptions& g, const trust::TrustStore& store, const LogArgs& a) {
  std::vector<trust::AuditHead> anchors;
  for (const auto& h : a.heads) {
    auto anchor = read_anchor(h);
    if (!anchor) return fail(g, anchor.error());
    anchors.push_back(*anchor);
  }
  auto v = store.verify_audit_log();
  if (!v) return fail(g, v.error());
  nlohmann::json j = {{"schema", 1}, {"verdict", "pass"}, {"entries", v->entries}, {"head", v->head_hash}};
  // A broken link makes the rest meaningless; everything else is reported together.
  if (v->problem) return broken(g, j, v->problem->seq, v->problem->message);
  std::string text;
  nlohmann::json errors = nlohmann::json::array();
  std::optional<trust::AuditProblem> problem = v->head_problem;
  if (!problem && !anchors.empty()) {
    auto entries = store.audit_log();
    if (!entries) return fail(g, entries.error());
    for (const auto& anchor : anchors)
      if (auto p = trust::anchor_problem(*entries, anchor); !p.empty() && !problem)
        problem = trust::AuditProblem{anchor.seq, p};
  }
  auto replay = store.verify_tables();
  if (!replay) return fail(g, replay.error());
  if (!problem && replay->problem) problem = replay->problem;
  if (problem) {
    text += "audit log broken: " + problem->message + "\n";
    errors.push_back(problem->message);
    j["problem"] = {{"seq", problem->seq}, {"message", problem->message}};
  }
  nlohmann::json diffs = nlohmann::json::array();
  if (!replay->differences.empty()) {
    const size_t n = replay->differences.size();
    text += "trust tables differ from the audit log (" + std::to_string(n) +
            (n == 1 ? " difference" : " differences") + "):\n";
    for (const auto& d : replay->differences) {
      text += "  " + d.message + "\n";
      diffs.push_back({{"table", d.table}, {"row", d.row}, {"message", d.message}});
      errors.push_back(d.message);
    }
  }
  j["differences"] = diffs;
  if (!errors.empty()) {
    j["verdict"] = "fail";
    j["errors"] = errors;
    emit(g, text, j);
    return kFailed;
  }
  text = "audit log intact: " + std::to_string(v->entries) + " entries, head " + v->head_hash + "\n";
  text += "trust tables match the log";
  if (!anchors.empty()) text += "; " + std::to_string(anchors.size()) + (anchors.size() == 1 ? " anchor" : " anchors") + " found";
  emit(g, text + "\n", j);
  return kOk;
}

int run_log(const GlobalOptions& g, const LogArgs& a) {
  if (!a.verify && !a.heads.empty())
    return fail(g, make_error(ErrorKind::bad_input, "--head checks an anchor: use it with --verify"));
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  if (a.verify) return run_verify(g, *store, a);
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
  cmd->add_flag("--verify", a->verify,
                "recompute the hash chain and replay the log against the tables; exit 1 naming the first "
                "broken entry or each differing row");
  cmd->add_option("--head", a->heads,
                  "with --verify: the log must hold this point, SEQ:HASH, an audit-head file or a bundle "
                  "directory (repeatable)")
      ->type_name("ANCHOR");
  cmd->footer("Example:\n  vouch log\n  vouch log --verify   # audit log intact: 12 entries, head 5f0c...\n"
              "  vouch log --verify --head ospo-keys/   # the log still holds what that export published");
  cmd->callback([&g, a, &exit_code] { exit_code = run_log(g, *a); });
}

}  // namespace vouch::cli
