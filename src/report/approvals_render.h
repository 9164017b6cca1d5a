// Rendering of the approval use cases (src/app/approvals.h): `vouch approve`,
// `vouch approvals REV` and `vouch approvals sync` (docs/vouch.1).
#pragma once

#include <string>

#include "app/approvals.h"
#include "report/document.h"

namespace vouch::report {

/// "approved 1234abcd5678 as ssh:SHA256:..." (or "withdrew the approval of
/// ..."; for an archive: "approved archive FILE (sha256 ...) for tag TAG as ...").
Document render_approve(const app::ApproveResult& r, const app::ApproveOptions& opts);

/// One line per note line: "STATUS KEY (PERSON)[ archive sha256 X][: reason |  # comment]",
/// or "no approvals of TYPE OID12".
Document render_approval_list(const app::ApprovalList& list);

/// "approvals synced with REMOTE" or "no approvals here or on REMOTE".
Document render_sync(const app::SyncResult& r);

}  // namespace vouch::report
