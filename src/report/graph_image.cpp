#include "report/graph_image.h"

#include <graphviz/gvc.h>

#include <memory>

namespace vouch::trust {
namespace {

/// Graphviz reports errors through a global callback; collect them for the
/// Error message instead of letting them reach stderr.
std::string& last_graphviz_error() {
  static std::string text;
  return text;
}

int collect_error(char* message) {
  std::string& out = last_graphviz_error();
  std::string line(message);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  if (!line.empty()) out += (out.empty() ? "" : "; ") + line;
  return 0;
}

struct ContextDeleter {
  void operator()(GVC_t* c) const { gvFreeContext(c); }
};
struct GraphDeleter {
  void operator()(Agraph_t* g) const { agclose(g); }
};

}  // namespace

Result<std::string> render_dot(std::string_view dot, ImageFormat format) {
  const char* renderer = format == ImageFormat::svg ? "svg" : "png";
  last_graphviz_error().clear();
  agseterr(AGERR);  // errors only, no warnings
  agseterrf(collect_error);
  std::unique_ptr<GVC_t, ContextDeleter> gvc(gvContext());
  if (!gvc) return make_error(ErrorKind::environment, "graphviz: cannot create a context");
  const std::string text(dot);
  std::unique_ptr<Agraph_t, GraphDeleter> graph(agmemread(text.c_str()));
  if (!graph)
    return make_error(ErrorKind::malformed,
                      "graphviz: " + (last_graphviz_error().empty() ? std::string("cannot parse the DOT text")
                                                                    : last_graphviz_error()));
  const auto env_error = [&](const std::string& what) {
    return make_error(ErrorKind::environment,
                      "graphviz cannot " + what + ": " +
                          (last_graphviz_error().empty() ? "no message" : last_graphviz_error()) +
                          " (is libgvc's plugin configuration installed?)");
  };
  if (gvLayout(gvc.get(), graph.get(), "dot") != 0) return env_error("lay out the graph");
  char* data = nullptr;
  unsigned int length = 0;
  const int rc = gvRenderData(gvc.get(), graph.get(), renderer, &data, &length);
  std::string out = rc == 0 && data != nullptr ? std::string(data, length) : std::string();
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc.get(), graph.get());
  if (rc != 0 || out.empty()) return env_error(std::string("render ") + renderer);
  return out;
}

}  // namespace vouch::trust
