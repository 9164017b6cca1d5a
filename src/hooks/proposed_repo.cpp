#include "hooks/proposed_repo.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "util/file.h"
#include "util/temp_dir.h"

namespace vouch::hooks {
namespace fs = std::filesystem;
namespace {

bool is_hex_oid(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}


}  // namespace

bool valid_ref_name(const std::string& ref) {
  if (!ref.starts_with("refs/") || ref.ends_with("/") || ref.ends_with(".lock") || ref.ends_with(".")) return false;
  if (ref.find("@{") != std::string::npos || ref.find("//") != std::string::npos) return false;
  for (char c : ref) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
    if (std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos) return false;
  }
  size_t pos = 0;
  while (pos <= ref.size()) {
    size_t end = ref.find('/', pos);
    if (end == std::string::npos) end = ref.size();
    std::string_view part(ref.data() + pos, end - pos);
    if (part.empty() || part.front() == '.' || part.find("..") != std::string_view::npos) return false;
    pos = end + 1;
  }
  return true;
}


std::vector<std::string> object_dirs_from_env() {
  std::vector<std::string> dirs;
  std::set<std::string> seen;
  auto add = [&](std::string d) {
    if (d.size() >= 2 && d.front() == '"' && d.back() == '"') d = d.substr(1, d.size() - 2);
    if (d.empty()) return;
    std::error_code ec;
    std::string abs = fs::absolute(d, ec).lexically_normal().string();
    if (ec) return;
    while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
    if (seen.insert(abs).second) dirs.push_back(abs);
  };
  for (const char* name : {"GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY"}) {
    if (const char* v = std::getenv(name)) add(v);
  }
  if (const char* v = std::getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES")) {
    std::string_view list(v);
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t end = list.find(':', pos);
      if (end == std::string_view::npos) end = list.size();
      add(std::string(list.substr(pos, end - pos)));
      pos = end + 1;
    }
  }
  return dirs;
}

ProposedRepository::ProposedRepository(std::string dir, git::Repository repo)
    : dir_(std::move(dir)), repo_(std::move(repo)) {}

ProposedRepository::~ProposedRepository() { remove(); }

ProposedRepository::ProposedRepository(ProposedRepository&& other) noexcept
    : dir_(std::exchange(other.dir_, std::string())), repo_(std::move(other.repo_)) {
  other.repo_.reset();
}

ProposedRepository& ProposedRepository::operator=(ProposedRepository&& other) noexcept {
  if (this != &other) {
    remove();
    dir_ = std::exchange(other.dir_, std::string());
    repo_ = std::move(other.repo_);
    other.repo_.reset();
  }
  return *this;
}

void ProposedRepository::remove() {
  repo_.reset();  // close libgit2's handles before the files go
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

Result<ProposedRepository> ProposedRepository::create(const std::string& base_git_dir,
                                                      const std::map<std::string, std::string>& refs,
                                                      const std::vector<std::string>& object_dirs) {
  std::string packed = "# pack-refs with: sorted \n";  // std::map iterates in byte order, as git sorts
  for (const auto& [name, oid] : refs) {
    if (!valid_ref_name(name)) return make_error(ErrorKind::bad_input, "invalid ref name '" + name + "'");
    if (!is_hex_oid(oid)) return make_error(ErrorKind::bad_input, "invalid object id '" + oid + "' for " + name);
    packed += oid + " " + name + "\n";
  }
  std::string alternates;
  std::error_code ec;
  std::string base_objects = fs::absolute(fs::path(base_git_dir) / "objects", ec).lexically_normal().string();
  if (ec) return make_error(ErrorKind::environment, "cannot resolve " + base_git_dir + ": " + ec.message());
  for (const auto& d : std::vector<std::string>{base_objects}) alternates += d + "\n";
  for (const auto& d : object_dirs) {
    if (d.find('\n') != std::string::npos || d.empty() || d.front() != '/')
      return make_error(ErrorKind::bad_input, "unusable object directory '" + d + "'");
    alternates += d + "\n";
  }

  auto temp = util::TempDir::create("vouch-hook");
  if (!temp) return temp.error();
  // Removed by `temp` on an early error, by the ProposedRepository afterwards.
  auto fail = [](const Error& e) -> Result<ProposedRepository> { return e; };
  const std::string tmpl = temp->path();
  fs::path dir(tmpl);
  for (const char* sub : {"objects/info", "objects/pack", "refs/heads", "refs/tags"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) return fail(make_error(ErrorKind::environment, "cannot create " + (dir / sub).string()));
  }
  for (const auto& [file, text] : std::vector<std::pair<std::string, std::string>>{
           {"HEAD", "ref: refs/heads/vouch-proposed-head\n"},
           {"config", "[core]\n\trepositoryformatversion = 0\n\tbare = true\n"},
           {"objects/info/alternates", alternates},
           {"packed-refs", packed}}) {
    if (auto r = util::write_file_atomic((dir / file).string(), text); !r) return fail(r.error());
  }
  auto repo = git::Repository::open(tmpl);
  if (!repo) return fail(make_error(ErrorKind::environment, "cannot open the proposed repository " + tmpl + ": " +
                                                                repo.error().message));
  return ProposedRepository(temp->release(), std::move(*repo));
}

}  // namespace vouch::hooks
