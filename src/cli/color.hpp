// Whether a command colours its terminal output: the --color option (auto, always, never).
#pragma once

#include "cli/args.hpp"

namespace bbx::cli {

// `always` and `never` decide; `auto` (the default) colours only when stdout is a terminal,
// NO_COLOR is unset and TERM is set and not "dumb". Another value is an input error (exit 2).
bool want_color(const ParsedArgs& args);

}  // namespace bbx::cli
