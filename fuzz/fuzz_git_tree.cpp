// Fuzzes tree walking and changed paths (git/tree_reader.h,
// git/changed_paths.h) on crafted objects: the input is up to 8 raw tree
// objects separated by "\n@@\n", written as they are into an in-memory
// object database (libgit2's mempack) of a scratch bare repository. Chunk 0
// is the tree of the commit under test, chunk 1 the tree of its first parent
// (no chunk 1: a root commit). In each chunk, an entry's 20-byte id that
// starts with '@' is replaced before writing: "@K" with K a digit names
// chunk K (when K comes later, so ids can be known), anything else a blob
// holding the id's last 18 bytes. Everything else, malformed entries
// included, reaches libgit2 and vouch untouched. Any input gives an Error or
// paths, never a crash; changed path names are sorted and unique.
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "git/changed_paths.h"
#include "git/repository.h"
#include "git/tree_reader.h"

namespace {

constexpr std::string_view kSeparator = "\n@@\n";
constexpr size_t kMaxChunks = 8;

struct Scratch {
  std::string dir;
  vouch::git::Repository* repo = nullptr;
  git_odb_backend* mempack = nullptr;
};

Scratch& scratch() {
  static Scratch s = [] {
    Scratch out;
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);  // objects are dropped after every input
    char tmpl[] = "/tmp/vouch-fuzz-tree-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) std::abort();
    out.dir = tmpl;
    git_repository* raw = nullptr;
    if (git_repository_init(&raw, out.dir.c_str(), 1) != 0) std::abort();
    git_repository_free(raw);
    auto repo = vouch::git::Repository::open(out.dir);
    if (!repo) std::abort();
    out.repo = new vouch::git::Repository(std::move(*repo));
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, out.repo->handle()) != 0) std::abort();
    if (git_mempack_new(&out.mempack) != 0 || git_odb_add_backend(odb, out.mempack, 1000) != 0) std::abort();
    git_odb_free(odb);
    static std::string dir = out.dir;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    });
    return out;
  }();
  return s;
}

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

bool write_object(std::string_view bytes, git_object_t type, git_oid* out) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, scratch().repo->handle()) != 0) return false;
  const bool ok = git_odb_write(out, odb, bytes.data(), bytes.size(), type) == 0;
  git_odb_free(odb);
  return ok;
}

/// Rewrites the '@' ids of `chunk` (see the file comment), leaving the rest.
std::string link(std::string chunk, size_t index, const std::vector<git_oid>& written, size_t count) {
  size_t pos = 0;
  while (pos < chunk.size()) {
    const size_t nul = chunk.find('\0', pos);
    if (nul == std::string::npos || nul + 21 > chunk.size()) break;
    char* id = chunk.data() + nul + 1;
    if (id[0] == '@') {
      git_oid target{};
      const size_t k = static_cast<size_t>(id[1] - '0');
      bool have = false;
      if (id[1] >= '0' && id[1] <= '9' && k > index && k < count) {
        target = written[k];
        have = true;
      } else {
        have = write_object(std::string_view(id + 2, 18), GIT_OBJECT_BLOB, &target);
      }
      if (have) std::copy(target.id, target.id + GIT_OID_RAWSZ, reinterpret_cast<unsigned char*>(id));
    }
    pos = nul + 21;
  }
  return chunk;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Scratch& s = scratch();
  std::vector<std::string> chunks;
  for (size_t start = 0; chunks.size() < kMaxChunks;) {
    const size_t sep = input.find(kSeparator, start);
    if (sep == std::string_view::npos || chunks.size() + 1 == kMaxChunks) {
      chunks.emplace_back(input.substr(start));
      break;
    }
    chunks.emplace_back(input.substr(start, sep - start));
    start = sep + kSeparator.size();
  }
  std::vector<git_oid> trees(chunks.size());
  bool ok = true;
  for (size_t i = chunks.size(); i-- > 0 && ok;) {
    ok = write_object(link(chunks[i], i, trees, chunks.size()), GIT_OBJECT_TREE, &trees[i]);
  }
  git_oid parent{}, commit{};
  const std::string who = "author A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> 1700000000 +0000\n";
  std::string body = "tree " + hex(trees[0]) + "\n";
  if (ok && chunks.size() > 1) {
    ok = write_object("tree " + hex(trees[1]) + "\n" + who + "\nparent\n", GIT_OBJECT_COMMIT, &parent);
    body += "parent " + hex(parent) + "\n";
  }
  if (ok) ok = write_object(body + who + "\nfuzzed\n", GIT_OBJECT_COMMIT, &commit);
  if (ok) {
    const std::string c = hex(commit);
    vouch::git::Repository& repo = *s.repo;
    (void)vouch::git::tree_of(repo, c);
    if (auto files = vouch::git::list_tree(repo, c)) {
      size_t n = 0;
      for (const auto& f : *files) {
        if (f.path.empty() || f.path.front() == '/') std::abort();
        if (++n > 16) continue;
        (void)vouch::git::read_file_at(repo, c, f.path);
        if (auto slash = f.path.rfind('/'); slash != std::string::npos)
          (void)vouch::git::list_tree(repo, c, f.path.substr(0, slash));
      }
    }
    (void)vouch::git::changed_paths(repo, c);
    if (auto names = vouch::git::changed_path_names(repo, c)) {
      for (size_t i = 1; i < names->size(); ++i)
        if (!((*names)[i - 1] < (*names)[i])) std::abort();
    }
  }
  git_mempack_reset(s.mempack);
  return 0;
}
