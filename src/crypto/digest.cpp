#include "crypto/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace vouch::crypto {
namespace {
const EVP_MD* md_of(HashAlgo a) {
  switch (a) {
    case HashAlgo::md5: return EVP_md5();
    case HashAlgo::sha1: return EVP_sha1();
    case HashAlgo::ripemd160: return EVP_ripemd160();
    case HashAlgo::sha224: return EVP_sha224();
    case HashAlgo::sha256: return EVP_sha256();
    case HashAlgo::sha384: return EVP_sha384();
    case HashAlgo::sha512: return EVP_sha512();
  }
  return nullptr;
}
}  // namespace

std::string_view to_string(HashAlgo a) {
  switch (a) {
    case HashAlgo::md5: return "MD5";
    case HashAlgo::sha1: return "SHA1";
    case HashAlgo::ripemd160: return "RIPEMD160";
    case HashAlgo::sha224: return "SHA224";
    case HashAlgo::sha256: return "SHA256";
    case HashAlgo::sha384: return "SHA384";
    case HashAlgo::sha512: return "SHA512";
  }
  return "?";
}

size_t digest_size(HashAlgo a) {
  switch (a) {
    case HashAlgo::md5: return 16;
    case HashAlgo::sha1: return 20;
    case HashAlgo::ripemd160: return 20;
    case HashAlgo::sha224: return 28;
    case HashAlgo::sha256: return 32;
    case HashAlgo::sha384: return 48;
    case HashAlgo::sha512: return 64;
  }
  return 0;
}

struct Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlgo algo) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  // RIPEMD160 and MD5 may be missing from OpenSSL 3's default provider
  // configuration; an init failure is a library/environment error.
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, md_of(algo), nullptr) != 1)
    throw std::runtime_error("OpenSSL digest " + std::string(to_string(algo)) + " unavailable");
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::string_view data) { EVP_DigestUpdate(impl_->ctx, data.data(), data.size()); }

std::string Hasher::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string digest(HashAlgo algo, std::string_view data) {
  Hasher h(algo);
  h.update(data);
  return h.finish();
}

}  // namespace vouch::crypto
