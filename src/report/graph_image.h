// Pictures of the trust graph without external tools: the DOT text of
// trust_graph_render.h laid out and rendered in-process by Graphviz's
// library (libgvc: the "dot" layout, the "svg" and "png" renderers), for
// `vouch trust graph --format svg|png`.
#pragma once

#include <string>
#include <string_view>

#include "vouch/result.h"

namespace vouch::trust {

enum class ImageFormat { svg, png };

/// Lays out `dot` and renders it. Returns the image bytes (SVG text, or PNG
/// starting with "\x89PNG\r\n\x1a\n"). Errors: DOT Graphviz cannot parse ->
/// malformed "graphviz: <its message>"; a layout or renderer plugin missing
/// or failing -> environment "graphviz cannot render png: <its message>
/// (is libgvc's plugin configuration installed?)". Graphviz's own
/// warnings are not printed.
Result<std::string> render_dot(std::string_view dot, ImageFormat format);

}  // namespace vouch::trust
