// Text and JSON of `vouch log` and `vouch log --verify` (docs/trust-model.md,
// "The audit log is the source of truth").
#pragma once

#include <vector>

#include "app/audit.h"
#include "report/document.h"
#include "trust/model.h"

namespace vouch::report {

/// One line per entry, "SEQ  TIME  ACTOR  ACTION  key=value ..." (the change
/// without its bulky evidence: statements and key material stay in JSON);
/// {"schema", "entries": [{"seq", "time", "actor", "action", "change",
/// "prev_hash", "hash"}]}. An empty log says so unless `quiet`.
Document render_audit_log(const std::vector<trust::AuditEntry>& entries, bool quiet);

/// "audit log intact: N entries, head H" and "trust tables match the log",
/// or "audit log broken: ..." and each differing row;
/// {"schema", "verdict", "entries", "head", "differences", "problem"?, "errors"?}.
Document render_audit_check(const app::AuditCheck& c);

}  // namespace vouch::report
