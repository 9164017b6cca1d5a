// Text and JSON of `vouch hook install|uninstall|run` (docs/hooks.md).
#pragma once

#include <string>

#include "app/hooks.h"
#include "report/document.h"

namespace vouch::report {

/// "installed PATH (runs VOUCH hook run HOOK)" per script, the trust root
/// (or how to set one) and what --share-approvals changed;
/// {"schema", "installed": [{"hook", "path", "vouch"}], "trust_root": {"trust_root", "source"}}.
Document render_hook_install(const app::HookInstallResult& r);

/// "removed PATH" / "left PATH in place: vouch did not write it";
/// {"schema", "removed": [paths], "kept": [paths]}.
Document render_hook_uninstall(const app::HookUninstallResult& r);

/// The last line a refused hook prints on stderr, for the hook that ran:
/// "vouch: push refused (2 problems); no ref was updated".
std::string hook_refusal_line(const std::string& hook, const app::HookRunResult& r);

}  // namespace vouch::report
