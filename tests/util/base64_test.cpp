#include "util/base64.h"

#include <gtest/gtest.h>

namespace vouch::util {
namespace {

TEST(Base64Test, RoundTripsRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode_unpadded("fo"), "Zm8");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm8", Padding::optional), "fo");
}

TEST(Base64Test, RejectsNonCanonicalInput) {
  EXPECT_EQ(base64_decode("Zm8"), std::nullopt);        // padding required
  EXPECT_EQ(base64_decode("Zm9=="), std::nullopt);      // wrong padding
  EXPECT_EQ(base64_decode("Zm9v\n"), std::nullopt);     // whitespace
  EXPECT_EQ(base64_decode("Zm-v"), std::nullopt);       // url alphabet
  EXPECT_EQ(base64_decode("Zh=="), std::nullopt);       // non-zero trailing bits
  EXPECT_EQ(base64_decode("Z==="), std::nullopt);
}

}  // namespace
}  // namespace vouch::util
