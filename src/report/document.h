// One command's output, rendered once: the text a person reads and the JSON
// document ("schema": 1) a program reads, built from the same result struct
// so the two never disagree (docs/vouch.1).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vouch::report {

struct Document {
  std::string text;
  nlohmann::json json;
};

}  // namespace vouch::report
