// vouch log [--verify [--head ANCHOR]...]: the trust database's audit log
// (docs/trust-model.md "The audit log is the source of truth", threats 23 and 35). Listing reads the entries;
// --verify recomputes the hash chain, checks the head record and each --head
// anchor, then replays the log against the tables (app/audit.h). Rendering is
// report/log_render.h.
#include <memory>

#include "app/audit.h"
#include "cli/trust_cmds.h"
#include "report/log_render.h"

namespace vouch::cli {
namespace {

struct LogArgs {
  bool verify = false;
  std::vector<std::string> heads;
};

int run_log(const GlobalOptions& g, const LogArgs& a) {
  if (!a.verify && !a.heads.empty())
    return fail(g, make_error(ErrorKind::bad_input, "--head checks an anchor: use it with --verify"));
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  if (a.verify) {
    auto check = app::check_audit_log(*store, a.heads);
    if (!check) return fail(g, check.error());
    auto doc = report::render_audit_check(*check);
    emit(g, doc.text, doc.json);
    return check->intact() ? kOk : kFailed;
  }
  auto entries = store->audit_log();
  if (!entries) return fail(g, entries.error());
  auto doc = report::render_audit_log(*entries, g.quiet);
  emit(g, doc.text, doc.json);
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
