#include "app/policy_init.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "git/repository.h"
#include "policy/policy_parser.h"
#include "trustdb/key_import.h"
#include "util/file.h"

namespace vouch::app {
namespace {

namespace fs = std::filesystem;

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
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

}  // namespace

Result<PolicyInitResult> init_policy(const PolicyInitOptions& a) {
  if (a.people.size() != a.keys.size())
    return make_error(ErrorKind::bad_input, "policy init: give one --key for each --person (" +
                                                plural(a.people.size(), "person", "people") + ", " +
                                                plural(a.keys.size(), "key", "keys") + ")");
  VOUCH_LET(repo, git::Repository::open(a.repo));
  fs::path root = repo.path();
  fs::path policy_path = root / policy::kPolicyPath;
  fs::path keyring = root / ".vouch/keys";
  std::error_code ec;
  if (fs::exists(policy_path, ec) && !a.force)
    return make_error(ErrorKind::bad_input, policy_path.string() + " already exists (use --force to overwrite it)");

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
      if (!imported) return imported.error();
      if (imported->keys.size() != 1)
        return make_error(ErrorKind::bad_input, "policy init: " + a.keys[i] + " holds " +
                                                    plural(imported->keys.size(), "key", "keys") +
                                                    "; give a file with one key");
      const auto& rec = imported->keys.front();
      id = rec.id;
      std::string base = name;
      for (char& c : base)
        if (c == '/' || c == '\\') c = '_';
      fs::path file = keyring / (base + (id.kind == KeyKind::ssh ? ".pub" : ".asc"));
      for (int n = 2; std::any_of(key_files.begin(), key_files.end(), [&](const auto& kf) { return kf.first == file; });
           ++n)
        file = keyring / (base + "-" + std::to_string(n) + (id.kind == KeyKind::ssh ? ".pub" : ".asc"));
      std::string material = rec.material;
      if (!material.empty() && material.back() != '\n') material += '\n';
      key_files.emplace_back(file, material);
    } else {
      return make_error(ErrorKind::bad_input,
                        "policy init: --key " + a.keys[i] +
                            " is neither a key id (ssh:SHA256:..., openpgp:FPR) nor a public key file");
    }
    auto same = std::find_if(people.begin(), people.end(), [&](const StarterPerson& p) { return p.name == name; });
    if (same == people.end())
      people.push_back({name, {id}});
    else
      same->keys.push_back(id);
  }
  std::string text = starter_text(people);
  if (!people.empty()) {
    // Written only if it passes `policy check`: no half-valid starter.
    auto check = policy::check_policy(text, policy::kPolicyPath);
    if (!check.policy) {
      std::string msg = "policy init: the policy for these people would not be valid:";
      for (const auto& e : check.errors) msg += "\n  " + e;
      return make_error(ErrorKind::bad_input, msg);
    }
  }
  fs::create_directories(keyring, ec);
  if (ec) return make_error(ErrorKind::environment, "cannot create " + keyring.string() + ": " + ec.message());
  for (const auto& [file, material] : key_files) VOUCH_TRY(util::write_file_atomic(file.string(), material, 0644));
  VOUCH_TRY(util::write_file_atomic(policy_path.string(), text, 0644));

  PolicyInitResult result;
  result.complete = !people.empty();
  result.keys_given = a.keys.size();
  for (const auto& kf : key_files) result.key_files.push_back(fs::relative(kf.first, root, ec).string());
  return result;
}

}  // namespace vouch::app
