#include "util/regex.hpp"

namespace bbx::util {

std::regex compile_regex(const std::string& pattern) {
  if (pattern.rfind("(?i)", 0) == 0) return std::regex(pattern.substr(4), std::regex::ECMAScript | std::regex::icase);
  return std::regex(pattern, std::regex::ECMAScript);
}

}  // namespace bbx::util
