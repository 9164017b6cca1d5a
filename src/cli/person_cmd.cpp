// vouch person add|list|show|add-key|remove (docs/vouch.1, docs/trust-model.md): a person is
// a short name with a display name, emails and one or more keys; a key
// belongs to at most one person (the store enforces it).
#include <memory>

#include "app/keys.h"
#include "cli/trust_cmds.h"
#include "report/trust_render.h"
#include "trustdb/key_import.h"
#include "util/clock.h"

namespace vouch::cli {
namespace {

struct AddArgs {
  std::string name, display;
  std::vector<std::string> emails, keys;
};

struct ShowArgs {
  std::string name;
};

struct AddKeyArgs {
  std::string name, key;
};

struct RemoveArgs {
  std::string name;
  bool with_keys = false;
};

int run_add(const GlobalOptions& g, const AddArgs& a) {
  auto store = open_store(g, trust::OpenMode::create);
  if (!store) return fail(g, store.error());
  trust::Person p{a.name, a.display, a.emails, {}};
  for (const auto& k : a.keys) {
    auto id = trust::resolve_key_argument(*store, k);
    if (!id) return fail(g, id.error());
    p.keys.push_back(*id);
  }
  if (auto added = store->add_person(p); !added) return fail(g, added.error());
  auto doc = report::render_person_added(p);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_list(const GlobalOptions& g) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto people = store->list_people();
  if (!people) return fail(g, people.error());
  emit(g, report::person_list_text(*people), report::person_list_json(*people));
  return kOk;
}

int run_show(const GlobalOptions& g, const ShowArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto shown = app::person_keys(*store, a.name);
  if (!shown) return fail(g, shown.error());
  const auto& [person, keys] = *shown;
  emit(g, report::person_show_text(person, keys), report::person_show_json(person, keys));
  return kOk;
}

int run_add_key(const GlobalOptions& g, const AddKeyArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto id = trust::resolve_key_argument(*store, a.key);
  if (!id) return fail(g, id.error());
  auto added = store->add_key_to_person(a.name, *id);
  if (!added) return fail(g, added.error());
  auto doc = report::render_person_key_added(a.name, *id, *added);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_remove(const GlobalOptions& g, const RemoveArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto removed = store->remove_person(a.name, a.with_keys ? trust::PersonKeys::remove : trust::PersonKeys::refuse);
  if (!removed) return fail(g, removed.error());
  auto doc = report::render_person_removed(a.name, *removed);
  emit(g, doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_person_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* person = app.add_subcommand("person", "People in the trust database and their keys");
  person->require_subcommand(1);
  person->footer("Example:\n  vouch person add alice --name \"Alice Liddell\" --email alice@example.org --key alice.asc");

  auto aa = std::make_shared<AddArgs>();
  auto* add = person->add_subcommand("add", "Add a person");
  add->add_option("name", aa->name, "short name: lower-case letters, digits, '.', '_', '-'")->required();
  add->add_option("--name", aa->display, "display name")->type_name("DISPLAY");
  add->add_option("--email", aa->emails, "an email address (repeatable)")->type_name("E");
  add->add_option("--key", aa->keys, "a key of this person, already imported (repeatable)")->type_name("KEY");
  add->footer("Example:\n  vouch person add alice --name \"Alice Liddell\" --email alice@example.org --key alice.asc");
  add->callback([&g, aa, &exit_code] { exit_code = run_add(g, *aa); });

  auto* list = person->add_subcommand("list", "List people");
  list->footer("Example:\n  vouch person list --format json");
  list->callback([&g, &exit_code] { exit_code = run_list(g); });

  auto sa = std::make_shared<ShowArgs>();
  auto* show = person->add_subcommand("show", "A person with their keys");
  show->add_option("name", sa->name, "the person's short name")->required();
  show->footer("Example:\n  vouch person show alice");
  show->callback([&g, sa, &exit_code] { exit_code = run_show(g, *sa); });

  auto ka = std::make_shared<AddKeyArgs>();
  auto* addkey = person->add_subcommand("add-key", "Give a person one more key");
  addkey->add_option("name", ka->name, "the person's short name")->required();
  addkey->add_option("key", ka->key, "an imported key")->required()->type_name("KEY");
  addkey->footer("Example:\n  vouch person add-key alice ~/keys/alice-laptop.pub");
  addkey->callback([&g, ka, &exit_code] { exit_code = run_add_key(g, *ka); });

  auto ra = std::make_shared<RemoveArgs>();
  auto* rm = person->add_subcommand("remove", "Remove a person (refused while they hold keys, unless --with-keys)");
  rm->add_option("name", ra->name, "the person's short name")->required();
  rm->add_flag("--with-keys", ra->with_keys,
               "also remove the person's keys (their endorsements and revocations stay, as with `key remove`)");
  rm->footer("Example:\n  vouch person remove alice\n  vouch person remove mallory --with-keys");
  rm->callback([&g, ra, &exit_code] { exit_code = run_remove(g, *ra); });
}

}  // namespace vouch::cli
