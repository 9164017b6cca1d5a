// Message digests through OpenSSL EVP, behind one small RAII type.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace vouch::crypto {

enum class HashAlgo { md5, sha1, ripemd160, sha224, sha256, sha384, sha512 };

std::string_view to_string(HashAlgo a);
/// Digest length in bytes.
size_t digest_size(HashAlgo a);

/// Incremental hasher; move-only.
class Hasher {
 public:
  explicit Hasher(HashAlgo algo);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(std::string_view data);
  /// Returns the digest; the hasher must not be used afterwards.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One-shot digest.
std::string digest(HashAlgo algo, std::string_view data);

}  // namespace vouch::crypto
