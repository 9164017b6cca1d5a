#include "app/audit.h"

#include <filesystem>

#include "util/file.h"

namespace vouch::app {

Result<trust::AuditHead> read_audit_anchor(const std::string& arg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string path = arg;
  if (fs::is_directory(path, ec)) path = (fs::path(path) / "audit-head").string();
  if (!fs::exists(path, ec)) {
    if (arg.find('/') != std::string::npos) return make_error(ErrorKind::bad_input, "--head " + arg + ": no such file");
    return trust::parse_audit_head(arg, "--head " + arg);
  }
  auto text = util::read_file(path, 1 << 16);
  if (!text) return make_error(ErrorKind::bad_input, "--head " + arg + ": " + text.error().message);
  return trust::parse_audit_head(*text, path);
}

Result<AuditCheck> check_audit_log(const trust::TrustStore& store, const std::vector<std::string>& anchor_args) {
  std::vector<trust::AuditHead> anchors;
  for (const auto& arg : anchor_args) {
    VOUCH_LET(anchor, read_audit_anchor(arg));
    anchors.push_back(anchor);
  }
  VOUCH_LET(chain, store.verify_audit_log());
  AuditCheck out;
  out.entries = chain.entries;
  out.head_hash = chain.head_hash;
  out.anchors = anchors.size();
  // A broken link makes the rest meaningless.
  if (chain.problem) {
    out.problem = chain.problem;
    out.chain_broken = true;
    return out;
  }
  out.problem = chain.head_problem;
  if (!out.problem && !anchors.empty()) {
    VOUCH_LET(entries, store.audit_log());
    for (const auto& anchor : anchors)
      if (auto p = trust::anchor_problem(entries, anchor); !p.empty() && !out.problem)
        out.problem = trust::AuditProblem{anchor.seq, p};
  }
  VOUCH_LET(replay, store.verify_tables());
  if (!out.problem && replay.problem) out.problem = replay.problem;
  out.differences = std::move(replay.differences);
  return out;
}

}  // namespace vouch::app
