// An in-memory repository for the engine's seam (src/verify/object_source.h)
// and an in-process Ed25519 SSH signer, so that table-driven engine tests run
// in milliseconds without git, ssh-keygen or gpg. The signatures are real
// SSHSIG signatures (libsodium), verified by vouch's real code; only where the
// objects come from is faked. Object ids are counters, not hashes: the engine
// treats them as opaque names.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/ssh_key.h"
#include "policy/approval.h"
#include "statement/statement.h"
#include "statement/verifier.h"
#include "util/base64.h"
#include "verify/object_source.h"

namespace vouch::testing {

/// An Ed25519 key made from a one-byte seed, signing SSHSIG in-process.
class SshSigner {
 public:
  explicit SshSigner(unsigned char seed_byte) {
    if (sodium_init() < 0) std::abort();
    unsigned char seed[crypto_sign_SEEDBYTES];
    std::fill(std::begin(seed), std::end(seed), seed_byte);
    crypto_sign_seed_keypair(pk_, sk_, seed);
    blob_ = ssh_string("ssh-ed25519") + ssh_string(std::string(reinterpret_cast<char*>(pk_), sizeof pk_));
  }

  /// "ssh-ed25519 AAAA... comment": a key file line.
  std::string public_line(const std::string& comment) const {
    return "ssh-ed25519 " + util::base64_encode(blob_) + " " + comment + "\n";
  }
  KeyId id() const { return KeyId{KeyKind::ssh, crypto::parse_ssh_public_key_blob(blob_)->fingerprint()}; }

  /// The binary SSHSIG blob over `message` (hash sha512), as ssh-keygen -Y sign makes it.
  std::string sshsig(std::string_view message, std::string_view ns) const {
    unsigned char digest[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(digest, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string to_sign = "SSHSIG" + ssh_string(ns) + ssh_string("") + ssh_string("sha512") +
                          ssh_string(std::string(reinterpret_cast<char*>(digest), sizeof digest));
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), sk_);
    std::string sig_blob =
        ssh_string("ssh-ed25519") + ssh_string(std::string(reinterpret_cast<char*>(sig), sizeof sig));
    return "SSHSIG" + u32(1) + ssh_string(blob_) + ssh_string(ns) + ssh_string("") + ssh_string("sha512") +
           ssh_string(sig_blob);
  }

  /// A `vouch-approval` note line for `object`, signed by this key.
  std::string approval_line(const policy::Approval& a) const {
    auto text = policy::serialize_checked(a);
    if (!text) std::abort();
    return statement::to_transport_line(
        statement::SignedStatement{std::string(statement::kApprovalType), *text, sshsig(*text, "vouch-approval")});
  }

 private:
  static std::string u32(uint32_t v) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return out;
  }
  static std::string ssh_string(std::string_view s) { return u32(static_cast<uint32_t>(s.size())) + std::string(s); }

  unsigned char pk_[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk_[crypto_sign_SECRETKEYBYTES];
  std::string blob_;
};

/// Commits with their whole trees, annotated tags, notes and config, kept in maps.
class MemoryObjects final : public verify::ObjectSource {
 public:
  using Files = std::map<std::string, std::string>;  ///< path -> content

  /// Adds a commit with `files` as its whole tree, signed by `signer` (null:
  /// unsigned) at committer time `time`; returns its oid and moves HEAD there.
  std::string commit(const Files& files, const std::vector<std::string>& parents, const SshSigner* signer, int64_t time,
                     const std::string& message = "change") {
    std::string tree = next_oid('7');
    trees_[tree] = files;
    std::string raw = "tree " + tree + "\n";
    for (const auto& p : parents) raw += "parent " + p + "\n";
    std::string who = "Dev <dev@example.org> " + std::to_string(time) + " +0000\n";
    raw += "author " + who + "committer " + who;
    std::string body = "\n" + message + "\n";
    if (signer) {
      std::string armored = statement::armor_sshsig(signer->sshsig(raw + body, "git"));
      std::string header = "gpgsig";
      size_t start = 0;
      while (start < armored.size()) {
        size_t end = armored.find('\n', start);
        if (end == std::string::npos) end = armored.size();
        header += " " + armored.substr(start, end - start) + "\n";
        start = end + 1;
      }
      raw += header;
    }
    raw += body;
    std::string oid = next_oid('c');
    commits_[oid] = {raw, tree, parents};
    order_.push_back(oid);
    refs_["HEAD"] = oid;
    return oid;
  }

  void set_note(const std::string& oid, const std::string& text) { notes_[oid] = text; }
  void add_note_line(const std::string& oid, const std::string& line) { notes_[oid] += line + "\n"; }
  void set_config(const std::string& key, const std::string& value) { config_[key] = value; }
  void set_ref(const std::string& name, const std::string& oid) { refs_[name] = oid; }
  const std::string& tree_oid(const std::string& commit) const { return commits_.at(commit).tree; }

  std::string path() const override { return "memory"; }

  Result<std::string> resolve_commit(std::string_view rev) override {
    std::string r(rev);
    if (auto it = refs_.find(r); it != refs_.end()) r = it->second;
    if (commits_.count(r)) return r;
    return make_error(ErrorKind::not_found, "unknown revision " + std::string(rev));
  }

  Result<std::vector<std::string>> list_commits(const std::vector<std::string>& specs) override {
    std::set<std::string> wanted, excluded;
    for (const auto& spec : specs) {
      auto dots = spec.find("..");
      if (dots == std::string::npos) {
        VOUCH_LET(tip, resolve_commit(spec));
        ancestors(tip, wanted);
      } else {
        VOUCH_LET(base, resolve_commit(spec.substr(0, dots)));
        VOUCH_LET(tip, resolve_commit(spec.substr(dots + 2)));
        ancestors(tip, wanted);
        ancestors(base, excluded);
      }
    }
    std::vector<std::string> out;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it)
      if (wanted.count(*it) && !excluded.count(*it)) out.push_back(*it);
    return out;
  }

  Result<std::vector<std::string>> first_parent_chain(std::string_view tip, std::string_view stop) override {
    VOUCH_LET(cur, resolve_commit(tip));
    std::string stop_oid;
    if (!stop.empty()) {
      VOUCH_LET(s, resolve_commit(stop));
      stop_oid = s;
    }
    std::vector<std::string> chain;
    while (cur != stop_oid) {
      chain.push_back(cur);
      const auto& parents = commits_.at(cur).parents;
      if (parents.empty()) {
        if (stop_oid.empty()) break;
        return make_error(ErrorKind::bad_input,
                          std::string(stop) + " is not a first-parent ancestor of " + std::string(tip));
      }
      cur = parents.front();
    }
    return chain;
  }

  Result<std::string> raw_object(std::string_view oid) override {
    if (auto it = commits_.find(std::string(oid)); it != commits_.end()) return it->second.raw;
    return make_error(ErrorKind::not_found, "no object " + std::string(oid));
  }

  Result<git::Repository::Tag> tag(std::string_view name) override {
    return make_error(ErrorKind::not_found, "no tag " + std::string(name));
  }

  Result<std::string> config_string(std::string_view key) override {
    if (auto it = config_.find(std::string(key)); it != config_.end()) return it->second;
    return make_error(ErrorKind::not_found, "config " + std::string(key) + " is not set");
  }

  Result<std::optional<std::string>> read_file_at(std::string_view commit, std::string_view path) override {
    VOUCH_LET(files, files_of(commit));
    if (auto it = files->find(std::string(path)); it != files->end()) return std::optional<std::string>(it->second);
    return std::optional<std::string>{};
  }

  Result<std::vector<git::TreeFile>> list_tree(std::string_view commit, std::string_view dir) override {
    VOUCH_LET(files, files_of(commit));
    std::string prefix(dir);
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    std::vector<git::TreeFile> out;
    for (const auto& [path, content] : *files) {
      if (!path.starts_with(prefix)) continue;
      std::string blob = "b" + std::string(commit) + path;  // a name read_blob understands
      blobs_[blob] = content;
      out.push_back({path, blob, 0100644});
    }
    return out;
  }

  Result<std::string> read_blob(std::string_view blob_oid) override {
    if (auto it = blobs_.find(std::string(blob_oid)); it != blobs_.end()) return it->second;
    return make_error(ErrorKind::not_found, "no object " + std::string(blob_oid));
  }

  Result<std::string> tree_of(std::string_view commit) override {
    if (auto it = commits_.find(std::string(commit)); it != commits_.end()) return it->second.tree;
    return make_error(ErrorKind::not_found, "no commit " + std::string(commit));
  }

  Result<std::optional<std::string>> read_note(std::string_view object_oid) override {
    if (auto it = notes_.find(std::string(object_oid)); it != notes_.end())
      return std::optional<std::string>(it->second);
    return std::optional<std::string>{};
  }

  Result<std::vector<std::string>> changed_path_names(std::string_view commit) override {
    VOUCH_LET(files, files_of(commit));
    const auto& parents = commits_.at(std::string(commit)).parents;
    Files none;
    const Files& before = parents.empty() ? none : trees_.at(commits_.at(parents.front()).tree);
    std::set<std::string> changed;
    for (const auto& [path, content] : *files)
      if (auto it = before.find(path); it == before.end() || it->second != content) changed.insert(path);
    for (const auto& [path, content] : before)
      if (!files->count(path)) changed.insert(path);
    return std::vector<std::string>(changed.begin(), changed.end());
  }

 private:
  struct Commit {
    std::string raw, tree;
    std::vector<std::string> parents;
  };

  std::string next_oid(char kind) {
    char buf[41];
    std::snprintf(buf, sizeof buf, "%c%039llu", kind, static_cast<unsigned long long>(++counter_));
    return buf;
  }

  Result<const Files*> files_of(std::string_view commit) {
    auto it = commits_.find(std::string(commit));
    if (it == commits_.end()) return make_error(ErrorKind::not_found, "no commit " + std::string(commit));
    return &trees_.at(it->second.tree);
  }

  void ancestors(const std::string& tip, std::set<std::string>& out) const {
    std::vector<std::string> todo{tip};
    while (!todo.empty()) {
      std::string c = todo.back();
      todo.pop_back();
      if (!out.insert(c).second) continue;
      for (const auto& p : commits_.at(c).parents) todo.push_back(p);
    }
  }

  uint64_t counter_ = 0;
  std::map<std::string, Commit> commits_;
  std::vector<std::string> order_;
  std::map<std::string, Files> trees_;
  std::map<std::string, std::string> blobs_, notes_, config_, refs_;
};

}  // namespace vouch::testing
