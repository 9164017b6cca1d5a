#include "git/repository.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "git/handles.h"

namespace vouch::git {

struct Repository::Impl {
  RepositoryHandle repo;
  OdbHandle odb;  // kept open: every raw_object() goes through it
};

namespace {

std::string strip_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Whether the config file of git dir `git_dir` declares a SHA-256 object
// format. libgit2 1.5 refuses to open such repositories with a generic
// "unsupported extension" error; vouch names the actual reason.
bool is_sha256_git_dir(const std::string& git_dir) {
  ConfigHandle cfg;
  std::string file = strip_slash(git_dir) + "/config";
  if (git_config_open_ondisk(cfg.out(), file.c_str()) != 0) return false;
  Buf value;
  if (git_config_get_string_buf(value.get(), cfg.get(), "extensions.objectformat") != 0) {
    return false;
  }
  return equals_ignore_case(value.str(), "sha256");
}

Error sha256_error() {
  return make_error(ErrorKind::unsupported,
                    "SHA-256 object format repositories are not supported (libgit2 1.5)");
}

bool parse_oid(std::string_view hex, git_oid* out) {
  if (hex.size() != GIT_OID_HEXSZ) return false;
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return git_oid_fromstrn(out, hex.data(), hex.size()) == 0;
}

}  // namespace

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;

Result<Repository> Repository::open(const std::string& path) {
  ensure_libgit2();
  auto impl = std::make_unique<Impl>();
  if (git_repository_open_ext(impl->repo.out(), path.c_str(), 0, nullptr) != 0) {
    Buf found;
    if (git_repository_discover(found.get(), path.c_str(), 0, nullptr) == 0 &&
        is_sha256_git_dir(found.str())) {
      return sha256_error();
    }
    return make_error(ErrorKind::bad_input, "not a git repository: " + path);
  }
  if (is_sha256_git_dir(git_repository_path(impl->repo.get()))) return sha256_error();
  if (git_repository_odb(impl->odb.out(), impl->repo.get()) != 0) {
    return make_error(ErrorKind::environment,
                      "cannot open the object database of " + path + ": " + last_error());
  }
  return Repository(std::move(impl));
}

std::string Repository::path() const {
  const char* workdir = git_repository_workdir(impl_->repo.get());
  return strip_slash(workdir != nullptr ? workdir : git_repository_path(impl_->repo.get()));
}

git_repository* Repository::handle() const { return impl_->repo.get(); }

std::string Repository::git_dir() const {
  return strip_slash(git_repository_path(impl_->repo.get()));
}

std::string missing_object_hint(git_repository* repo) {
  if (git_repository_is_shallow(repo) == 1)
    return " (shallow clone: the history is cut off; fetch all of it with `git fetch --unshallow`)";
  // A pack fetched from a partial clone's promisor remote has a
  // pack-*.promisor file beside it; older git versions also set
  // extensions.partialclone. (libgit2 1.5 leaks a PCRE2 match block per
  // entry when its config iterators walk the configuration, so none is used.)
  bool partial = false;
  std::error_code ec;
  const std::filesystem::path packs = std::filesystem::path(git_repository_commondir(repo)) / "objects" / "pack";
  for (std::filesystem::directory_iterator it(packs, ec), end; !ec && it != end && !partial; it.increment(ec))
    partial = it->path().extension() == ".promisor";
  ConfigHandle cfg;
  if (!partial && git_repository_config_snapshot(cfg.out(), repo) == 0) {
    const char* value = nullptr;
    partial =
        git_config_get_string(&value, cfg.get(), "extensions.partialclone") == 0 && value != nullptr && *value != '\0';
  }
  git_error_clear();
  if (partial)
    return " (partial clone: objects were left out by --filter; vouch reads them locally only, so clone "
           "without --filter)";
  return "";
}

Result<std::string> Repository::resolve_commit(std::string_view rev) {
  std::string spec(rev);
  ObjectHandle obj;
  if (spec.empty() || git_revparse_single(obj.out(), impl_->repo.get(), spec.c_str()) != 0) {
    // A full object id that a shallow or partial clone lacks is missing
    // history (exit 3), not a typo.
    const std::string hint = missing_object_hint(impl_->repo.get());
    const bool full_id = spec.size() == 40 && std::all_of(spec.begin(), spec.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!hint.empty() && full_id) return make_error(ErrorKind::environment, "commit " + spec + " is missing" + hint);
    return make_error(ErrorKind::bad_input, "unknown revision '" + spec + "'" + hint);
  }
  ObjectHandle commit;
  if (git_object_peel(commit.out(), obj.get(), GIT_OBJECT_COMMIT) != 0) {
    return make_error(ErrorKind::bad_input, "revision '" + spec + "' is not a commit");
  }
  return oid_hex(*git_object_id(commit.get()));
}

Result<std::vector<std::string>> Repository::list_commits(const std::vector<std::string>& specs) {
  if (specs.empty()) return make_error(ErrorKind::bad_input, "no revisions given");
  RevwalkHandle walk;
  if (git_revwalk_new(walk.out(), impl_->repo.get()) != 0) {
    return make_error(ErrorKind::internal, "cannot start a revision walk: " + last_error());
  }
  // Topological + time: newest first, and a parent never before its children.
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);

  auto add = [&](std::string_view rev, bool hide) -> Result<void> {
    auto oid_hexstr = resolve_commit(rev);
    if (!oid_hexstr) return oid_hexstr.error();
    git_oid oid;
    parse_oid(*oid_hexstr, &oid);
    int rc = hide ? git_revwalk_hide(walk.get(), &oid) : git_revwalk_push(walk.get(), &oid);
    if (rc != 0) {
      return make_error(ErrorKind::environment,
                        "cannot walk from revision '" + std::string(rev) + "': " + last_error());
    }
    return {};
  };

  for (const std::string& spec : specs) {
    Result<void> r;
    size_t dots = spec.find("..");
    if (!spec.empty() && spec.front() == '^') {
      r = add(std::string_view(spec).substr(1), true);
    } else if (dots == std::string::npos) {
      r = add(spec, false);
    } else if (spec.compare(dots, 3, "...") == 0) {
      return make_error(ErrorKind::bad_input,
                        "symmetric difference '" + spec + "' is not supported");
    } else {
      std::string from = spec.substr(0, dots);
      std::string to = spec.substr(dots + 2);
      r = add(from.empty() ? "HEAD" : from, true);
      if (r) r = add(to.empty() ? "HEAD" : to, false);
    }
    if (!r) return r.error();
  }

  std::vector<std::string> out;
  git_oid oid;
  int rc = 0;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) out.push_back(oid_hex(oid));
  if (rc != GIT_ITEROVER) {
    const std::string why = last_error();
    return make_error(ErrorKind::environment, "cannot walk history: " + why + missing_object_hint(impl_->repo.get()));
  }
  return out;
}

Result<std::vector<std::string>> Repository::first_parent_chain(std::string_view tip,
                                                                std::string_view stop) {
  auto tip_hex = resolve_commit(tip);
  if (!tip_hex) return tip_hex.error();
  git_oid cur;
  parse_oid(*tip_hex, &cur);
  git_oid stop_oid{};
  bool has_stop = !stop.empty();
  if (has_stop) {
    auto stop_hex = resolve_commit(stop);
    if (!stop_hex) return stop_hex.error();
    parse_oid(*stop_hex, &stop_oid);
  }

  std::vector<std::string> chain;
  while (!(has_stop && git_oid_equal(&cur, &stop_oid))) {
    chain.push_back(oid_hex(cur));
    CommitHandle commit;
    if (git_commit_lookup(commit.out(), impl_->repo.get(), &cur) != 0) {
      return make_error(ErrorKind::environment, "cannot read commit " + oid_hex(cur) +
                                                    " (shallow clone?): " + last_error());
    }
    if (git_commit_parentcount(commit.get()) == 0) {
      if (!has_stop) break;
      return make_error(ErrorKind::bad_input, std::string(stop) +
                                                  " is not a first-parent ancestor of " +
                                                  std::string(tip));
    }
    cur = *git_commit_parent_id(commit.get(), 0);
  }
  return chain;
}

Result<std::string> Repository::raw_object(std::string_view oid_str) {
  git_oid oid;
  if (!parse_oid(oid_str, &oid)) {
    return make_error(ErrorKind::bad_input, "invalid object id '" + std::string(oid_str) + "'");
  }
  OdbObjectHandle obj;
  int rc = git_odb_read(obj.out(), impl_->odb.get(), &oid);
  if (rc == GIT_ENOTFOUND) {
    if (auto hint = missing_object_hint(impl_->repo.get()); !hint.empty())
      return make_error(ErrorKind::environment, "object " + std::string(oid_str) + " is missing" + hint);
    return make_error(ErrorKind::not_found, "no object " + std::string(oid_str));
  }
  if (rc != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read object " + std::string(oid_str) + ": " + last_error());
  }
  return std::string(static_cast<const char*>(git_odb_object_data(obj.get())),
                     git_odb_object_size(obj.get()));
}

Result<Repository::Tag> Repository::tag(std::string_view name) {
  static constexpr std::string_view kPrefix = "refs/tags/";
  Tag t;
  if (name.substr(0, kPrefix.size()) == kPrefix) {
    t.ref = std::string(name);
    t.name = std::string(name.substr(kPrefix.size()));
  } else {
    t.name = std::string(name);
    t.ref = std::string(kPrefix) + t.name;
  }
  Error not_found = make_error(ErrorKind::not_found, "no tag '" + std::string(name) + "'");
  if (t.name.empty()) return not_found;

  ReferenceHandle ref;
  if (git_reference_lookup(ref.out(), impl_->repo.get(), t.ref.c_str()) != 0) return not_found;
  ReferenceHandle resolved;
  if (git_reference_resolve(resolved.out(), ref.get()) != 0) return not_found;
  const git_oid* target = git_reference_target(resolved.get());
  if (target == nullptr) return not_found;

  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, impl_->odb.get(), target) != 0) {
    return make_error(ErrorKind::environment, "cannot read the object of tag '" +
                                                  std::string(name) + "': " + last_error());
  }
  if (type != GIT_OBJECT_TAG) {
    t.annotated = false;
    t.target_oid = oid_hex(*target);
    t.target_type = git_object_type2string(type);
    return t;
  }

  t.annotated = true;
  t.tag_oid = oid_hex(*target);
  TagHandle tag_obj;
  if (git_tag_lookup(tag_obj.out(), impl_->repo.get(), target) != 0) {
    return make_error(ErrorKind::malformed,
                      "cannot parse tag '" + std::string(name) + "': " + last_error());
  }
  t.target_oid = oid_hex(*git_tag_target_id(tag_obj.get()));
  t.target_type = git_object_type2string(git_tag_target_type(tag_obj.get()));
  auto raw = raw_object(t.tag_oid);
  if (!raw) return raw.error();
  t.raw = std::move(*raw);
  return t;
}

Result<std::string> Repository::config_string(std::string_view key) {
  std::string k(key);
  ConfigHandle cfg;
  if (git_repository_config(cfg.out(), impl_->repo.get()) != 0) {
    return make_error(ErrorKind::environment, "cannot read git config: " + last_error());
  }
  Buf value;
  int rc = git_config_get_string_buf(value.get(), cfg.get(), k.c_str());
  if (rc == GIT_ENOTFOUND) {
    return make_error(ErrorKind::not_found, "config key '" + k + "' is not set");
  }
  if (rc == GIT_EINVALIDSPEC) {
    return make_error(ErrorKind::bad_input, "invalid config key '" + k + "'");
  }
  if (rc != 0) {
    return make_error(ErrorKind::environment,
                      "cannot read config key '" + k + "': " + last_error());
  }
  return value.str();
}

Result<void> Repository::set_config_string(std::string_view key, std::string_view value) {
  std::string k(key), v(value);
  ConfigHandle cfg;
  ConfigHandle local;
  if (git_repository_config(cfg.out(), impl_->repo.get()) != 0 ||
      git_config_open_level(local.out(), cfg.get(), GIT_CONFIG_LEVEL_LOCAL) != 0) {
    return make_error(ErrorKind::environment, "cannot open the repository's git config: " + last_error());
  }
  int rc = git_config_set_string(local.get(), k.c_str(), v.c_str());
  if (rc == GIT_EINVALIDSPEC) return make_error(ErrorKind::bad_input, "invalid config key '" + k + "'");
  if (rc != 0) return make_error(ErrorKind::environment, "cannot set config key '" + k + "': " + last_error());
  return {};
}

Result<std::map<std::string, std::string>> Repository::list_refs() {
  using RefIteratorHandle = Handle<git_reference_iterator, git_reference_iterator_free>;
  auto fail = [&] { return make_error(ErrorKind::environment, "cannot list the refs of " + git_dir() + ": " + last_error()); };
  RefIteratorHandle it;
  if (git_reference_iterator_new(it.out(), impl_->repo.get()) != 0) return fail();
  std::map<std::string, std::string> out;
  while (true) {
    ReferenceHandle ref;
    int rc = git_reference_next(ref.out(), it.get());
    if (rc == GIT_ITEROVER) break;
    if (rc != 0) return fail();
    ReferenceHandle resolved;
    if (git_reference_resolve(resolved.out(), ref.get()) != 0) continue;  // dangling symbolic ref
    const git_oid* target = git_reference_target(resolved.get());
    if (target == nullptr) continue;
    out.emplace(git_reference_name(ref.get()), oid_hex(*target));
  }
  return out;
}

}  // namespace vouch::git
