#include "cli/policy_cmd.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "git/repository.h"
#include "policy/policy_parser.h"
#include "trust/key_import.h"
#include "util/file.h"

namespace vouch::cli {
namespace {

namespace fs = std::filesystem;

struct CheckArgs {
  std::string file;
};

struct InitArgs {
  std::vector<std::string> people;
  std::vector<std::string> keys;
  bool force = false;
};

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "serial 3, 4 people, 2 groups, 3 rules + implicit policy rule".
std::string summary_text(const policy::Policy& p) {
  size_t rules = p.rules.size();
  bool implicit = !p.rules.empty() && p.rules.back().implicit;
  if (implicit) --rules;
  std::string out = "serial " + std::to_string(p.serial) + ", " + plural(p.people.size(), "person", "people") + ", " +
                    plural(p.groups.size(), "group", "groups") + ", " + plural(rules, "rule", "rules");
  if (implicit) out += " + implicit policy rule";
  if (!p.tags.empty()) out += ", " + plural(p.tags.size(), "tag rule", "tag rules");
  return out;
}

nlohmann::json summary_json(const policy::Policy& p) {
  bool implicit = !p.rules.empty() && p.rules.back().implicit;
  nlohmann::json implicit_paths = nlohmann::json::array();
  if (implicit) implicit_paths = p.rules.back().paths;
  return {{"serial", p.serial},
          {"people", p.people.size()},
          {"groups", p.groups.size()},
          {"rules", p.rules.size() - (implicit ? 1 : 0)},
          {"implicit_policy_rule", implicit},
          {"implicit_policy_paths", implicit_paths},
          {"tags", p.tags.size()}};
}

Result<std::string> read_text(const std::string& path) {
  auto text = util::read_file(path);
  if (text) return text;
  std::string message = "cannot read policy " + text.error().message.substr(std::string_view("cannot read ").size());
  if (message.ends_with(": no such file")) message += " (run `vouch policy init` to write one)";
  return make_error(text.error().kind, message);
}

int run_check(const GlobalOptions& g, const CheckArgs& a) {
  std::string path = a.file, shown = a.file;
  if (path.empty()) {
    auto repo = git::Repository::open(g.repo);
    if (!repo) return fail(g, repo.error());
    path = repo->path() + "/" + policy::kPolicyPath;
    shown = policy::kPolicyPath;
  }
  auto text = read_text(path);
  if (!text) return fail(g, text.error());
  auto check = policy::check_policy(*text, shown);
  nlohmann::json json = {{"schema", 1},
                         {"file", shown},
                         {"verdict", check.policy ? "valid" : "invalid"},
                         {"errors", check.errors},
                         {"summary", check.policy ? summary_json(*check.policy) : nlohmann::json()}};
  if (check.policy) {
    emit(g, g.quiet ? "" : shown + ": valid (" + summary_text(*check.policy) + ")\n", json);
    return kOk;
  }
  for (const auto& e : check.errors) std::cerr << e << "\n";
  std::cerr << "vouch: error: " << shown << " is not a valid policy (" << plural(check.errors.size(), "error", "errors")
            << ")\n";
  if (g.json()) std::cout << json.dump(2) << "\n";
  return kBadInput;
}

/// A TOML key for a person name: bare when it can be, quoted otherwise.
std::string toml_key(const std::string& name) {
  bool bare = !name.empty();
  for (char c : name)
    bare = bare && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  if (bare) return name;
  std::string out = "\"";
  for (char c : name) out += c == '\\' ? std::string("\\\\") : std::string(1, c);
  return out + "\"";
}

struct StarterPerson {
  std::string name;
  std::vector<KeyId> keys;
};

std::string starter_text(const std::vector<StarterPerson>& people) {
  std::ostringstream o;
  o << "# vouch repository policy (reference: docs/policy.md in the vouch sources).\n"
       "# Each commit is checked under the policy of its first parent, so a change\n"
       "# to this file takes effect from the next commit on. Raise `serial` with\n"
       "# every change: a lower serial is refused as a rollback.\n";
  if (people.empty()) {
    o << "#\n"
         "# To finish it:\n"
         "#   1. Replace \"FILL-IN\" below with your key id:\n"
         "#        SSH:     ssh-keygen -lf ~/.ssh/id_ed25519.pub  -> \"ssh:SHA256:...\"\n"
         "#        OpenPGP: gpg --fingerprint YOU                 -> \"openpgp:\" + the 40 hex digits, no spaces\n"
         "#      and copy your public key (.pub or .asc) into .vouch/keys/.\n"
         "#   2. Run `vouch policy check` until it says \"valid\".\n"
         "# Or let vouch do both: vouch policy init --force --person NAME --key ~/.ssh/id_ed25519.pub\n";
  }
  o << "\nversion = 1\nserial = 1\n"
       "# repository = \"example/project\"   # optional: binds approvals to this repository\n"
       "keyring = \".vouch/keys\"             # public keys of the people below\n\n";
  std::vector<std::string> names;
  if (people.empty()) {
    o << "[people.me]\nkeys = [\"FILL-IN\"]\n";
    names.push_back("me");
  }
  for (const auto& p : people) {
    o << "[people." << toml_key(p.name) << "]\nkeys = [";
    for (size_t i = 0; i < p.keys.size(); ++i) o << (i ? ", " : "") << "\"" << p.keys[i].str() << "\"";
    o << "]\n";
    names.push_back(p.name);
  }
  o << "\n[groups]\nmaintainers = [";
  for (size_t i = 0; i < names.size(); ++i) o << (i ? ", " : "") << "\"" << names[i] << "\"";
  o << "]\n\n"
       "[commits]                          # every commit: a good signature by a maintainer\n"
       "require = [\"1 of maintainers\"]\n\n"
       "# Paths that need more people. The policy file and the keyring are always\n"
       "# protected: unless a rule covers them, an implicit rule named \"policy\"\n"
       "# requires all of every group for them.\n"
       "# [[rules]]\n"
       "# name = \"build-system\"\n"
       "# paths = [\"configure.ac\", \"CMakeLists.txt\", \"*.m4\", \"m4/**\", \"build-aux/**\"]\n"
       "# require = [\"2 of maintainers\"]\n"
       "# self_approval = false             # the author does not count for this rule\n\n"
       "# [[tags]]\n"
       "# refs = [\"refs/tags/v*\"]\n"
       "# require = [\"1 of maintainers\"]\n\n"
       "# [refs]\n"
       "# protected = [\"refs/heads/main\", \"refs/tags/*\"]   # hooks refuse deletion and force-pushes\n";
  return o.str();
}

Result<void> write_file(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  if (!out) return make_error(ErrorKind::environment, "cannot write " + path.string());
  return {};
}

int run_init(const GlobalOptions& g, const InitArgs& a) {
  if (a.people.size() != a.keys.size())
    return fail(g, make_error(ErrorKind::bad_input, "policy init: give one --key for each --person (" +
                                                        plural(a.people.size(), "person", "people") + ", " +
                                                        plural(a.keys.size(), "key", "keys") + ")"));
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  fs::path root = repo->path();
  fs::path policy_path = root / policy::kPolicyPath;
  fs::path keyring = root / ".vouch/keys";
  std::error_code ec;
  if (fs::exists(policy_path, ec) && !a.force)
    return fail(g, make_error(ErrorKind::bad_input, policy_path.string() + " already exists (use --force to overwrite it)"));

  // Resolve every key before writing anything.
  std::vector<StarterPerson> people;
  std::vector<std::pair<fs::path, std::string>> key_files;
  for (size_t i = 0; i < a.people.size(); ++i) {
    const std::string& name = a.people[i];
    KeyId id;
    if (auto parsed = KeyId::parse(a.keys[i])) {
      id = *parsed;
    } else if (fs::is_regular_file(a.keys[i], ec)) {
      auto imported = trust::import_key_file(a.keys[i]);
      if (!imported) return fail(g, imported.error());
      if (imported->keys.size() != 1)
        return fail(g, make_error(ErrorKind::bad_input, "policy init: " + a.keys[i] + " holds " +
                                                            plural(imported->keys.size(), "key", "keys") + "; give a file with one key"));
      const auto& rec = imported->keys.front();
      id = rec.id;
      std::string base = name;
      for (char& c : base)
        if (c == '/' || c == '\\') c = '_';
      fs::path file = keyring / (base + (id.kind == KeyKind::ssh ? ".pub" : ".asc"));
      for (int n = 2; std::any_of(key_files.begin(), key_files.end(), [&](const auto& kf) { return kf.first == file; }); ++n)
        file = keyring / (base + "-" + std::to_string(n) + (id.kind == KeyKind::ssh ? ".pub" : ".asc"));
      std::string material = rec.material;
      if (!material.empty() && material.back() != '\n') material += '\n';
      key_files.emplace_back(file, material);
    } else {
      return fail(g, make_error(ErrorKind::bad_input, "policy init: --key " + a.keys[i] +
                                                          " is neither a key id (ssh:SHA256:..., openpgp:FPR) nor a public key file"));
    }
    auto same = std::find_if(people.begin(), people.end(), [&](const StarterPerson& p) { return p.name == name; });
    if (same == people.end()) people.push_back({name, {id}});
    else same->keys.push_back(id);
  }
  std::string text = starter_text(people);
  if (!people.empty()) {
    // Written only if it passes `policy check`: no half-valid starter.
    auto check = policy::check_policy(text, policy::kPolicyPath);
    if (!check.policy) {
      std::string msg = "policy init: the policy for these people would not be valid:";
      for (const auto& e : check.errors) msg += "\n  " + e;
      return fail(g, make_error(ErrorKind::bad_input, msg));
    }
  }
  fs::create_directories(keyring, ec);
  if (ec) return fail(g, make_error(ErrorKind::environment, "cannot create " + keyring.string() + ": " + ec.message()));
  for (const auto& [file, material] : key_files)
    if (auto w = write_file(file, material); !w) return fail(g, w.error());
  if (auto w = write_file(policy_path, text); !w) return fail(g, w.error());

  std::string msg = "wrote " + std::string(policy::kPolicyPath);
  for (const auto& kf : key_files) msg += " and " + fs::relative(kf.first, root, ec).string();
  msg += "\n";
  if (people.empty())
    msg += "next: replace \"FILL-IN\" with your key id, copy your public key into .vouch/keys/, then run `vouch policy check`\n";
  else if (key_files.size() < a.keys.size())
    msg += "next: copy the public keys given by id into .vouch/keys/, then commit .vouch/ with a signed commit\n";
  else
    msg += "next: review it, run `vouch policy check`, then commit .vouch/ with a signed commit\n";
  nlohmann::json json = {{"schema", 1}, {"file", policy::kPolicyPath}, {"complete", !people.empty()}};
  json["key_files"] = nlohmann::json::array();
  for (const auto& kf : key_files) json["key_files"].push_back(fs::relative(kf.first, root, ec).string());
  emit(g, g.quiet ? "" : msg, json);
  return kOk;
}

}  // namespace

void add_policy_commands(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto* policy = app.add_subcommand("policy", "write, validate and explain .vouch/policy.toml");
  policy->require_subcommand(1);
  policy->footer("Examples:\n  vouch policy init --person alice --key ~/.ssh/id_ed25519.pub\n  vouch policy check\n"
                 "  vouch policy explain HEAD");

  auto check = std::make_shared<CheckArgs>();
  auto* c = policy->add_subcommand("check", "validate a policy file; exit 2 with FILE:LINE:COLUMN errors when invalid");
  c->add_option("FILE", check->file, "the policy to check (default: the working tree's .vouch/policy.toml)");
  c->footer("Example:\n  vouch policy check\n  vouch policy check --format json policies/strict.toml");
  c->callback([&global, &exit_code, check] { exit_code = run_check(global, *check); });

  auto init = std::make_shared<InitArgs>();
  auto* i = policy->add_subcommand("init", "write a commented starter .vouch/policy.toml and create .vouch/keys/");
  i->add_option("--person", init->people, "a maintainer's name (repeat; pairs with --key by position)")->type_name("NAME");
  i->add_option("--key", init->keys,
                "that maintainer's key: a key id, or a public key file (copied into .vouch/keys/)")
      ->type_name("KEY");
  i->add_flag("--force", init->force, "overwrite an existing .vouch/policy.toml");
  i->footer("Without --person the starter has a FILL-IN key that `policy check` rejects until you replace it.\n"
            "Example:\n  vouch policy init --person alice --key ~/.ssh/id_ed25519.pub --person bob --key openpgp:FPR");
  i->callback([&global, &exit_code, init] { exit_code = run_init(global, *init); });
}

}  // namespace vouch::cli
