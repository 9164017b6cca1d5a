// Results of vouch's verifications, as values. The report layer renders them
// as text or JSON; the two renderings come from these same structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vouch/types.h"

namespace vouch {

/// A signed tag merged into a commit (`mergetag` header): reported, not
/// counted in place of the commit's own signature.
struct MergetagVerdict {
  std::string tag_name;
  SignatureResult signature;
};

struct CommitVerdict {
  std::string oid;
  std::string summary;  ///< first line of the message
  SignatureResult signature;
  std::vector<MergetagVerdict> mergetags;
  bool pass = false;
  std::vector<std::string> errors;  ///< one line each, for anything that failed
};

struct VerifyReport {
  std::string repository;
  std::string mode = "keyring";  ///< "keyring" (every commit signed by a key in a directory)
  std::vector<std::string> ranges;
  std::string tip;
  std::vector<CommitVerdict> commits;  ///< newest first
  std::vector<std::string> warnings;   ///< keyring notes (invalid keys ignored, ...)

  size_t passed() const;
  size_t failed() const { return commits.size() - passed(); }
  bool pass() const { return failed() == 0; }
};

struct TagVerdict {
  std::string name;     ///< as given
  std::string ref;      ///< refs/tags/...
  std::string tag_oid;  ///< empty for a lightweight tag
  std::string target;   ///< the tagged object
  bool annotated = false;
  SignatureResult signature;
  bool pass = false;
  std::vector<std::string> errors;
};

struct FileVerdict {
  std::string file;
  std::string signature_file;
  std::string ssh_namespace;
  SignatureResult signature;
  bool pass = false;
};

}  // namespace vouch
