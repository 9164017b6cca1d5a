// In-process rendering of DOT through Graphviz's library (graph_image.h).
#include "report/graph_image.h"

#include <gtest/gtest.h>

namespace vouch::trust {
namespace {

constexpr std::string_view kDot = "digraph trust { \"alice\" -> \"bob\" [label=\"120\"]; }";

TEST(GraphImage, SvgNamesTheNodes) {
  auto svg = render_dot(kDot, ImageFormat::svg);
  ASSERT_TRUE(svg.ok()) << svg.error().message;
  EXPECT_EQ(svg->rfind("<?xml", 0), 0u);
  EXPECT_NE(svg->find(">alice</text>"), std::string::npos) << *svg;
  EXPECT_NE(svg->find(">bob</text>"), std::string::npos);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
}

TEST(GraphImage, PngHasTheSignature) {
  auto png = render_dot(kDot, ImageFormat::png);
  ASSERT_TRUE(png.ok()) << png.error().message;
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(GraphImage, DotGraphvizCannotParseIsMalformed) {
  auto bad = render_dot("digraph { a -> ", ImageFormat::svg);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::malformed);
  EXPECT_EQ(bad.error().message.rfind("graphviz: ", 0), 0u) << bad.error().message;
  EXPECT_EQ(bad.error().message.find('\n'), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace vouch::trust
