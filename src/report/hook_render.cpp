#include "report/hook_render.h"

namespace vouch::report {

Document render_hook_install(const app::HookInstallResult& r) {
  Document doc;
  nlohmann::json installed = nlohmann::json::array();
  for (const auto& h : r.installed) {
    doc.text += "installed " + h.path + " (runs " + h.vouch + " hook run " + h.hook + ")\n";
    installed.push_back({{"hook", h.hook}, {"path", h.path}, {"vouch", h.vouch}});
  }
  const hooks::TrustRootChoice& root = r.trust_root;
  if (root.oid.empty()) {
    doc.text += "no trust root (" + root.how +
                "): every branch and tag push will be refused until you run\n"
                "  git -C " +
                r.git_dir +
                " config vouch.trustRoot OID\n"
                "(OID: the first commit whose .vouch/policy.toml you accept as given)\n";
  } else {
    doc.text += "trust root " + root.oid + " (" + root.how + ")" +
                (root.present ? "" : "; not in the repository yet: the push that brings it is checked against it") +
                "\n";
  }
  doc.text += r.shared;
  nlohmann::json trust = {{"trust_root", root.oid.empty() ? nlohmann::json() : nlohmann::json(root.oid)},
                          {"source", root.how}};
  doc.json = {{"schema", 1}, {"installed", installed}, {"trust_root", trust}};
  return doc;
}

Document render_hook_uninstall(const app::HookUninstallResult& r) {
  Document doc;
  for (const auto& path : r.removed) doc.text += "removed " + path + "\n";
  for (const auto& path : r.kept) doc.text += "left " + path + " in place: vouch did not write it\n";
  if (r.removed.empty() && r.kept.empty()) doc.text += "no vouch hook installed in " + r.dir + "\n";
  doc.json = {{"schema", 1}, {"removed", r.removed}, {"kept", r.kept}};
  return doc;
}

std::string hook_refusal_line(const std::string& hook, const app::HookRunResult& r) {
  const size_t n = r.problems.size();
  const std::string count = std::to_string(n) + (n == 1 ? " problem" : " problems");
  if (hook == "pre-receive") return "vouch: push refused (" + count + "); no ref was updated";
  if (hook == "update") return "vouch: update of " + r.first_ref + " refused (" + count + ")";
  return "vouch: push stopped before sending (" + count + "); the server would refuse it";
}

}  // namespace vouch::report
