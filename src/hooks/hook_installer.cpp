#include "hooks/hook_installer.h"

#include <unistd.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "git/tree_reader.h"
#include "hooks/proposed_repo.h"
#include "policy/policy.h"
#include "policy/policy_parser.h"
#include "verify/rule_evaluator.h"
#include "util/file.h"

namespace vouch::hooks {
namespace fs = std::filesystem;
namespace {

/// 'text' for sh: a single quote becomes '\'' ; nothing inside is expanded.
std::string sh_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace

Result<TrustRootChoice> choose_trust_root(git::Repository& repo, const std::string& requested) {
  TrustRootChoice c;
  if (!requested.empty()) {
    auto root = repo.resolve_commit(requested);
    bool full_oid = requested.size() == 40 && std::all_of(requested.begin(), requested.end(), [](char ch) {
      return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
    });
    if (!root && !(full_oid && root.error().message.starts_with("unknown revision")))
      return make_error(root.error().kind, "--trust-root: " + root.error().message);
    c.oid = root ? *root : requested;
    c.present = root.ok();
    c.how = "--trust-root";
    c.write = true;
    return c;
  }
  if (auto configured = repo.config_string("vouch.trustRoot")) {
    c.oid = *configured;
    c.how = "kept from git config vouch.trustRoot";
    return c;
  }
  // The first protected branch the repository has, by the policy at HEAD.
  auto refs = repo.list_refs();
  if (!refs) return refs.error();
  std::string branch;
  auto head = repo.resolve_commit("HEAD");
  if (head) {
    auto text = git::read_file_at(repo, *head, policy::kPolicyPath);
    if (text && *text) {
      if (auto p = policy::parse_policy(**text, policy::kPolicyPath)) {
        for (const auto& pattern : p->protected_refs) {
          for (const auto& [name, oid] : *refs) {
            if (branch.empty() && name.starts_with("refs/heads/") && verify::ref_matches(pattern, name)) branch = name;
          }
        }
      }
    }
  }
  std::string tip;
  if (!branch.empty()) {
    tip = refs->at(branch);
  } else if (head) {
    tip = *head;
    branch = "HEAD";
  } else if (std::any_of(refs->begin(), refs->end(), [](const auto& r) { return r.first.starts_with("refs/heads/"); })) {
    // `git init --bare` points HEAD at a branch that a push of `main` never creates.
    c.how = "none: HEAD names no commit; point it at the main branch: git symbolic-ref HEAD refs/heads/main";
    return c;
  } else {
    c.how = "none: the repository has no branch yet";
    return c;
  }
  auto chain = repo.first_parent_chain(tip, "");
  if (!chain) return chain.error();
  for (auto it = chain->rbegin(); it != chain->rend(); ++it) {
    auto text = git::read_file_at(repo, *it, policy::kPolicyPath);
    if (!text) return text.error();
    if (*text) {
      c.oid = *it;
      c.how = "the oldest commit of " + branch + " with " + policy::kPolicyPath;
      c.write = true;
      return c;
    }
  }
  c.how = "none: no commit of " + branch + " has " + policy::kPolicyPath;
  return c;
}

const char* hook_file_name(HookName h) {
  switch (h) {
    case HookName::pre_receive: return "pre-receive";
    case HookName::update: return "update";
    case HookName::pre_push: return "pre-push";
  }
  return "pre-receive";
}

bool is_bare(git::Repository& repo) { return repo.path() == repo.git_dir(); }

Result<std::string> hooks_dir(git::Repository& repo) {
  auto configured = repo.config_string("core.hooksPath");
  if (!configured) {
    if (configured.error().kind != ErrorKind::not_found) return configured.error();
    return repo.git_dir() + "/hooks";
  }
  std::string p = *configured;
  if (p.empty()) return repo.git_dir() + "/hooks";
  if (p.starts_with("~/")) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0')
      return make_error(ErrorKind::environment, "core.hooksPath " + p + " needs $HOME, which is not set");
    p = std::string(home) + p.substr(1);
  }
  if (p.front() != '/') p = repo.path() + "/" + p;  // git runs hooks from the work tree root (bare: the git dir)
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return fs::path(p).lexically_normal().string();
}

std::string hook_script(HookName hook, const std::string& vouch_path, const std::string& db) {
  std::string s = "#!/bin/sh\n";
  s += std::string(kHookMarker) + "\n";
  s += "# Hands the push to vouch (see docs/hooks.md); `vouch hook install --force` rewrites this file.\n";
  s += "VOUCH=" + sh_quote(vouch_path) + "\n";
  s += "if [ ! -x \"$VOUCH\" ]; then VOUCH=vouch; fi\n";
  s += "exec \"$VOUCH\"";
  if (!db.empty()) s += " --db " + sh_quote(db);
  s += " hook run " + std::string(hook_file_name(hook)) + " -- \"$@\"\n";
  return s;
}

std::string self_executable() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

namespace {

/// Whether the hook file at `path` carries vouch's marker line.
Result<bool> written_by_vouch(const std::string& path) {
  auto text = util::read_file(path, 1 << 20);
  if (!text) return make_error(ErrorKind::environment, text.error().message);
  return text->find("\n" + std::string(kHookMarker) + "\n") != std::string::npos;
}

}  // namespace

Result<Removal> uninstall_hook(const std::string& dir, HookName hook) {
  const std::string path = dir + "/" + hook_file_name(hook);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return Removal::absent;
  auto ours = written_by_vouch(path);
  if (!ours) return ours.error();
  if (!*ours) return Removal::foreign;
  if (!fs::remove(path, ec) || ec)
    return make_error(ErrorKind::environment, "cannot remove " + path + (ec ? ": " + ec.message() : ""));
  return Removal::removed;
}

Result<std::string> install_hook(const std::string& dir, HookName hook, const std::string& script,
                                 Overwrite overwrite) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(ErrorKind::environment, "cannot create the hooks directory " + dir + ": " + ec.message());
  const std::string path = dir + "/" + hook_file_name(hook);
  if (fs::exists(fs::symlink_status(path, ec))) {
    auto ours = written_by_vouch(path);
    if (!ours && overwrite != Overwrite::force) return ours.error();
    if (ours && !*ours && overwrite != Overwrite::force)
      return make_error(ErrorKind::bad_input,
                        path + " exists and was not written by vouch; use --force to replace it");
  }
  // A temporary file renamed into place: replaces a symlink itself, never the file it points to.
  if (auto written = util::write_file_atomic(path, script, 0755); !written) return written.error();
  return path;
}

}  // namespace vouch::hooks
