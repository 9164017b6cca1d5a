#include "hooks/remote_notes.h"

#include <utility>
#include <vector>

#include "git/notes.h"
#include "util/process.h"

namespace vouch::hooks {

/// The remote's refs/notes/vouch as `git ls-remote` reports it: its oid,
/// "" when the remote has none, nullopt when the remote cannot be asked.
std::optional<std::string> remote_notes(const std::string& where) {
  auto r = util::run_process({"git", "ls-remote", "--", where, git::kNotesRef});
  if (!r || r->status != 0) return std::nullopt;
  if (r->out.size() >= 41 && r->out[40] == '\t') return r->out.substr(0, 40);
  return std::string();
}

/// `hook install --share-approvals REMOTE`: plain `git fetch` and `git push`
/// of REMOTE carry refs/notes/vouch from now on (and push the current branch,
/// as a push refspec replaces git's default). Existing values are kept.
Result<std::string> share_approvals(git::Repository& repo, const std::string& remote) {
  if (remote.empty() || remote.front() == '-')
    return make_error(ErrorKind::bad_input, "--share-approvals: invalid remote name '" + remote + "'");
  if (!repo.config_string("remote." + remote + ".url"))
    return make_error(ErrorKind::bad_input, "--share-approvals: no remote '" + remote + "' (git remote -v lists them)");
  std::string text;
  const std::string fetch = "+" + std::string(git::kNotesRef) + ":" + git::kNotesRef;
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"remote." + remote + ".fetch", fetch},
                                                        {"remote." + remote + ".push", git::kNotesRef},
                                                        {"remote." + remote + ".push", "HEAD"}}) {
    auto has = util::run_process({"git", "-C", repo.path(), "config", "--get-all", key});
    if (!has) return has.error();
    bool present = false;
    for (size_t pos = 0; pos < has->out.size();) {
      size_t end = has->out.find('\n', pos);
      if (end == std::string::npos) end = has->out.size();
      present = present || has->out.substr(pos, end - pos) == value;
      pos = end + 1;
    }
    if (present) continue;
    auto add = util::run_process({"git", "-C", repo.path(), "config", "--add", key, value});
    if (!add) return add.error();
    if (add->status != 0)
      return make_error(ErrorKind::environment, "git config --add " + key + " failed: " + util::first_line(add->err));
    text += "git config --add " + key + " " + value + "\n";
  }
  return text;
}

}  // namespace vouch::hooks
