#include "cli/options.h"

#include <cstdio>
#include <iostream>

namespace vouch::cli {

int exit_code_of(const Error& e) {
  switch (e.kind) {
    case ErrorKind::bad_input:
    case ErrorKind::malformed:
    case ErrorKind::not_found: return kBadInput;
    // Understood but not supported: a DSA key or an X.509 signature given as
    // input is bad input; a database written by a newer vouch is too.
    case ErrorKind::unsupported: return kBadInput;
    case ErrorKind::environment:
    case ErrorKind::internal: return kEnvironment;
  }
  return kEnvironment;
}

int fail(const GlobalOptions& g, const Error& e) {
  std::cerr << "vouch: error: " << e.message << "\n";
  if (g.json()) std::cout << report::error_json(e.message).dump(2) << "\n";
  return exit_code_of(e);
}

Result<trust::TrustStore> open_store(const GlobalOptions& g, trust::OpenMode mode) {
  auto path = trust::resolve_db_path(g.db);
  if (!path) return path.error();
  return trust::TrustStore::open(*path, mode);
}

void emit(const GlobalOptions& g, const std::string& text, const nlohmann::json& json) {
  if (g.json()) std::cout << json.dump(2) << "\n";
  else std::cout << text;
  std::cout.flush();
}

}  // namespace vouch::cli
