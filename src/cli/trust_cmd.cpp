// vouch trust check, trust path, trust graph (trust root: trust_root_cmd.cpp)
// (docs/trust-model.md, docs/vouch.1). The computation is wot/wot.h over
// app/trust_query.h's input; the picture is report/trust_graph_render.h.
#include <unistd.h>

#include <fstream>
#include <memory>

#include "app/trust_query.h"
#include "cli/trust_cmds.h"
#include "report/trust_graph_render.h"
#include "report/trust_render.h"
#include "util/clock.h"

namespace vouch::cli {
namespace {

struct QueryArgs {
  std::string target, at, min_age;
  int amount = trust::kFullTrust;
};

struct GraphArgs {
  std::string format, output, at, min_age;
};

Result<app::TrustQuery> run_query(const GlobalOptions& g, const QueryArgs& a, int stop_at) {
  VOUCH_LET(at, parse_time_option("--at", a.at, util::now()));
  VOUCH_LET(min_age, parse_duration_option("--min-age", a.min_age));
  VOUCH_LET(store, open_store(g, trust::OpenMode::existing));
  return app::query_trust(store, {a.target, at, min_age, stop_at});
}

int run_check(const GlobalOptions& g, const QueryArgs& a) {
  auto q = run_query(g, a, a.amount);
  if (!q) return fail(g, q.error());
  auto doc = report::render_trust_check(*q, a.amount);
  emit(g, g.quiet ? "" : doc.text, doc.json);
  return q->result.amount >= a.amount ? kOk : kFailed;
}

int run_path(const GlobalOptions& g, const QueryArgs& a) {
  auto q = run_query(g, a, 0);
  if (!q) return fail(g, q.error());
  auto doc = report::render_trust_path(*q);
  emit(g, doc.text, doc.json);
  return q->result.paths.empty() ? kFailed : kOk;
}

Result<std::string> graph_output(const GlobalOptions& g, const GraphArgs& a, const std::string& format) {
  VOUCH_LET(at, parse_time_option("--at", a.at, util::now()));
  VOUCH_LET(min_age, parse_duration_option("--min-age", a.min_age));
  if (format == "png" && a.output.empty() && ::isatty(STDOUT_FILENO))
    return make_error(ErrorKind::bad_input, "--format png writes binary data: use --output FILE");
  VOUCH_LET(store, open_store(g, trust::OpenMode::existing));
  VOUCH_LET(data, app::load_trust_graph(store));
  return trust::render_graph({std::move(data.wot), std::move(data.people), at, min_age}, format);
}

int run_graph(const GlobalOptions& g, const GraphArgs& a) {
  // The graph's own --format wins; otherwise the global one (json) or DOT.
  const std::string format = !a.format.empty() ? a.format : g.json() ? "json" : "dot";
  auto out = graph_output(g, a, format);
  if (!out) return fail(g, out.error());
  if (a.output.empty()) {
    std::cout << *out;
    std::cout.flush();
    return kOk;
  }
  std::ofstream f(a.output, std::ios::binary | std::ios::trunc);
  f << *out;
  f.close();
  if (!f) return fail(g, make_error(ErrorKind::environment, "cannot write " + a.output));
  return kOk;
}

void add_query_options(CLI::App* cmd, QueryArgs& a) {
  cmd->add_option("target", a.target, "key id, fingerprint, public key file or person")->required()->type_name(
      "KEY|PERSON");
  cmd->add_option("--at", a.at, "reference time (default: now)")->type_name("TIME");
  cmd->add_option("--min-age", a.min_age, "probation: endorsements younger than this do not count")
      ->type_name("DURATION");
}

}  // namespace

void add_trust_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* trust = app.add_subcommand("trust", "The web of trust: roots, trust checks, paths and the graph");
  trust->require_subcommand(1);
  trust->footer("Example:\n  vouch trust root add ~/.ssh/id_ed25519.pub\n  vouch trust check alice");

  add_trust_root_commands(trust, g, exit_code);

  auto ca = std::make_shared<QueryArgs>();
  auto* check = trust->add_subcommand("check", "How much a key or person is trusted; exit 0 when enough");
  add_query_options(check, *ca);
  check->add_option("--amount", ca->amount, "required amount (default 120 = fully trusted; 240 = two people)")
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  check->footer("Example:\n  vouch trust check alice\n  vouch trust check ~/keys/bob.pub --amount 240 --min-age 30d");
  check->callback([&g, ca, &exit_code] { exit_code = run_check(g, *ca); });

  auto pa = std::make_shared<QueryArgs>();
  auto* path = trust->add_subcommand("path", "Every trust path to a key or person, hop by hop");
  add_query_options(path, *pa);
  path->footer("Example:\n  vouch trust path alice");
  path->callback([&g, pa, &exit_code] { exit_code = run_path(g, *pa); });

  auto ga = std::make_shared<GraphArgs>();
  auto* graph = trust->add_subcommand("graph", "The whole web of trust as a Graphviz picture or JSON");
  graph->add_option("--format", ga->format, "dot (default), json, svg or png (rendered in-process by Graphviz)")
      ->check(CLI::IsMember({"dot", "json", "svg", "png"}));
  graph->add_option("--output,-o", ga->output, "write to FILE instead of stdout")->type_name("FILE");
  graph->add_option("--at", ga->at, "draw the endorsements in force at TIME (default: now)")->type_name("TIME");
  graph->add_option("--min-age", ga->min_age, "mark endorsements younger than this as under probation")
      ->type_name("DURATION");
  graph->footer("Example:\n  vouch trust graph --format svg --output trust.svg\n  vouch trust graph --format json");
  graph->callback([&g, ga, &exit_code] { exit_code = run_graph(g, *ga); });
}

}  // namespace vouch::cli
