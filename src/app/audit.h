// `vouch log --verify [--head ANCHOR]...` (docs/trust-model.md, "The audit
// log is the source of truth"): recompute the hash chain, check the head
// record and each external anchor, replay the log and compare it with the
// tables. report/log_render.h renders the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trustdb/audit_log.h"
#include "trustdb/audit_replay.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::app {

struct AuditCheck {
  int64_t entries = 0;
  std::string head_hash;
  /// The first problem: a broken link of the chain (then chain_broken and
  /// nothing else was checked), else the head record, an anchor the log does
  /// not hold, or an entry the replay cannot apply.
  std::optional<trust::AuditProblem> problem;
  bool chain_broken = false;
  std::vector<trust::StateDifference> differences;  ///< tables vs the replayed log
  size_t anchors = 0;                               ///< --head anchors checked
  bool intact() const { return !problem && differences.empty(); }
};

/// An anchor argument: "SEQ:HASH", an audit-head file, or a bundle directory
/// holding one. Errors (bad_input) name the argument.
Result<trust::AuditHead> read_audit_anchor(const std::string& arg);

/// Reads every anchor first (a bad one is an error before anything is
/// checked), then checks the log as the header says.
Result<AuditCheck> check_audit_log(const trust::TrustStore& store, const std::vector<std::string>& anchor_args);

}  // namespace vouch::app
