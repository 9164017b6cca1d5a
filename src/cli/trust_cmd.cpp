// vouch trust root add|remove|list, trust check, trust path, trust graph
// (docs/trust-model.md, docs/vouch.1). The computation is wot/wot.h over
// wot/wot_loader.h's input; the picture is report/trust_graph_render.h.
#include <unistd.h>

#include <fstream>
#include <memory>

#include "app/trust_query.h"
#include "cli/trust_cmds.h"
#include "report/graph_image.h"
#include "report/trust_graph_render.h"
#include "report/trust_render.h"
#include "trustdb/key_import.h"
#include "util/clock.h"
#include "util/time_parse.h"
#include "wot/wot.h"
#include "wot/wot_loader.h"

namespace vouch::cli {
namespace {

struct RootArgs {
  std::string key;
};

struct QueryArgs {
  std::string target, at, min_age;
  int amount = trust::kFullTrust;
};

struct GraphArgs {
  std::string format, output, at, min_age;
};

Result<int64_t> parse_at(const std::string& at) {
  if (at.empty()) return util::now();
  auto t = util::parse_time(at);
  if (!t) return make_error(ErrorKind::bad_input, "--at " + at + ": expected unix seconds or YYYY-MM-DD[THH:MM:SSZ]");
  return *t;
}

Result<int64_t> parse_min_age(const std::string& text) {
  if (text.empty()) return int64_t{0};
  auto d = util::parse_duration(text);
  if (!d) return make_error(ErrorKind::bad_input, "--min-age " + text + ": expected a duration such as 30d, 12h, 2w");
  return *d;
}

Result<app::TrustQuery> run_query(const GlobalOptions& g, const QueryArgs& a, int stop_at) {
  VOUCH_LET(at, parse_at(a.at));
  VOUCH_LET(min_age, parse_min_age(a.min_age));
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

int run_graph(const GlobalOptions& g, const GraphArgs& a) {
  auto at = parse_at(a.at);
  if (!at) return fail(g, at.error());
  auto min_age = parse_min_age(a.min_age);
  if (!min_age) return fail(g, min_age.error());
  // The graph's own --format wins; otherwise the global one (json) or DOT.
  const std::string format = !a.format.empty() ? a.format : g.json() ? "json" : "dot";
  if (format == "png" && a.output.empty() && ::isatty(STDOUT_FILENO))
    return fail(g, make_error(ErrorKind::bad_input, "--format png writes binary data: use --output FILE"));
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto input = trust::load_wot_input(*store);
  if (!input) return fail(g, input.error());
  auto people = store->list_people();
  if (!people) return fail(g, people.error());
  trust::GraphInput in{std::move(*input), std::move(*people), *at, *min_age};
  std::string out;
  if (format == "json") {
    out = trust::graph_to_json(in).dump(2) + "\n";
  } else if (format == "dot") {
    out = trust::graph_to_dot(in);
  } else {
    auto image = trust::render_dot(trust::graph_to_dot(in), format == "svg" ? trust::ImageFormat::svg
                                                                           : trust::ImageFormat::png);
    if (!image) return fail(g, image.error());
    out = std::move(*image);
  }
  if (a.output.empty()) {
    std::cout << out;
    std::cout.flush();
    return kOk;
  }
  std::ofstream f(a.output, std::ios::binary | std::ios::trunc);
  f << out;
  f.close();
  if (!f) return fail(g, make_error(ErrorKind::environment, "cannot write " + a.output));
  return kOk;
}

int run_root_change(const GlobalOptions& g, const RootArgs& a, bool add) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto key = trust::resolve_key_argument(*store, a.key);
  if (!key) return fail(g, key.error());
  auto changed = add ? store->add_root(*key) : store->remove_root(*key);
  if (!changed) return fail(g, changed.error());
  std::string what = add ? (*changed ? "root added: " : "already a root: ")
                         : (*changed ? "root removed: " : "not a root: ");
  emit(g, what + key->str() + "\n",
       {{"schema", 1}, {"key", key->str()}, {"action", add ? "add" : "remove"}, {"changed", *changed}});
  return kOk;
}

int run_root_list(const GlobalOptions& g) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto roots = store->list_roots();
  if (!roots) return fail(g, roots.error());
  std::string text;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : *roots) {
    auto owner = store->person_of(r);
    if (!owner) return fail(g, owner.error());
    text += r.str() + (*owner ? "  " + **owner : "") + "\n";
    list.push_back({{"id", r.str()}, {"person", *owner ? nlohmann::json(**owner) : nlohmann::json(nullptr)}});
  }
  if (roots->empty() && !g.quiet) text = "no roots: add one with `vouch trust root add KEY`\n";
  emit(g, text, {{"schema", 1}, {"roots", list}});
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

  auto* root = trust->add_subcommand("root", "The keys this database's owner trusts fully as introducers");
  root->require_subcommand(1);
  root->footer("Example:\n  vouch trust root add ~/.ssh/id_ed25519.pub\n  vouch trust root list");
  auto ra = std::make_shared<RootArgs>();
  auto* radd = root->add_subcommand("add", "Make a key a root");
  radd->add_option("key", ra->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  radd->footer("Example:\n  vouch trust root add openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  radd->callback([&g, ra, &exit_code] { exit_code = run_root_change(g, *ra, true); });
  auto rr = std::make_shared<RootArgs>();
  auto* rrm = root->add_subcommand("remove", "Stop trusting a key as a root");
  rrm->add_option("key", rr->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  rrm->footer("Example:\n  vouch trust root remove ssh:SHA256:Vn3Y...");
  rrm->callback([&g, rr, &exit_code] { exit_code = run_root_change(g, *rr, false); });
  auto* rls = root->add_subcommand("list", "List the roots");
  rls->footer("Example:\n  vouch trust root list --format json");
  rls->callback([&g, &exit_code] { exit_code = run_root_list(g); });

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
