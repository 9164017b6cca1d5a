// The C crypto libraries vouch links, set up once per process and wrapped
// once: libsodium's initialisation, GPGME's version check (which must run
// before any other GPGME call), and move-only owners for OpenSSL handles.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace vouch::crypto {

/// sodium_init(), once and thread-safely; false when libsodium is unusable.
bool sodium_ready();

/// gpgme_check_version(nullptr), once and thread-safely: GPGME's version
/// text, or nullptr when GPGME is unusable.
const char* gpgme_version();

// ---- OpenSSL handles: every OpenSSL object vouch creates is owned by one of these.
template <auto Free>
struct OsslDeleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslDeleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslDeleter<OSSL_PARAM_free>>;

}  // namespace vouch::crypto
