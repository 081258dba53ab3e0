#include "cli/color.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "bbx/error.hpp"

namespace bbx::cli {

bool want_color(const ParsedArgs& args) {
  auto when = args.value("color").value_or("auto");
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") fail_input({}, "--color: expected auto, always or never, got '" + when + "'");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
}

}  // namespace bbx::cli
