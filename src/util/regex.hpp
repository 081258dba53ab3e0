// ECMAScript regexes as scenario files write them.
#pragma once

#include <regex>
#include <string>

namespace bbx::util {

// Compiles pattern as std::regex ECMAScript. A leading "(?i)" (which ECMAScript lacks)
// makes it case-insensitive. Throws std::regex_error when the pattern is invalid.
std::regex compile_regex(const std::string& pattern);

}  // namespace bbx::util
