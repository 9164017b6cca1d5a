// Result<T>: a value or an Error, for code that can fail in expected ways.
//
// libstdc++ 12's <expected> does not compile under clang 14 (which the fuzz
// build needs), so vouch carries this small equivalent. Low-level code returns
// Result; only the CLI's top level turns an Error into a message and exit code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace vouch {

/// What kind of failure an Error is; the CLI maps it to an exit code
/// (bad_input and malformed -> 2, environment and internal -> 3).
enum class ErrorKind {
  bad_input,    ///< unknown revision, bad argument, not a repository
  malformed,    ///< bytes that do not parse: armor, packets, key lines, statements
  unsupported,  ///< understood but not supported (DSA key, v5 packet, ...)
  not_found,    ///< a named thing does not exist
  environment,  ///< I/O, gpg missing, database locked
  internal,     ///< a bug or a library failure we did not expect
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  ///< one line, names the thing and what is wrong
};

inline Error make_error(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation that produces no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace vouch

/// Early return of a failed Result from a function returning a Result:
///   VOUCH_TRY(store.begin());
#define VOUCH_TRY(expr)                          \
  do {                                           \
    if (auto vouch_try_r = (expr); !vouch_try_r) \
      return vouch_try_r.error();                \
  } while (0)

/// Declares `name` as the value of a successful Result, or returns its error:
///   VOUCH_LET(text, util::read_file(path));   // std::string text
#define VOUCH_LET(name, expr)                    \
  auto name##_result = (expr);                   \
  if (!name##_result) return name##_result.error(); \
  auto name = std::move(*name##_result)

