// Regexes written in scenario files, compiled once when the file is loaded: the same engine
// (util::Regex, PCRE2), the same syntax (inline flags such as "(?i)" anywhere) and the same
// error message wherever a regex is accepted (expectations, readiness, steps, routes, TCP
// replies, --filter).
#pragma once

#include <string>
#include <string_view>

#include "bbx/error.hpp"
#include "bbx/model/common.hpp"
#include "util/regex.hpp"

namespace bbx::scenario {

// The compiled pattern. Throws bbx::Error (invalid_input) at `where`:
//   "<label>: invalid regex '<pattern>': <why> at offset N".
util::Regex compile_pattern(std::string_view pattern, const SourceLocation& where, const std::string& label);

// A pattern that holds ${variables} can only be compiled once they are expanded (at run
// time). Checked now with each ${...} replaced by a plain letter, so a syntax error outside
// the variables fails at load. Returns the compiled pattern when it holds no variable.
std::optional<util::Regex> compile_pattern_template(const model::Template& pattern, const std::string& label);

}  // namespace bbx::scenario
