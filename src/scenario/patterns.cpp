#include "scenario/patterns.hpp"

namespace bbx::scenario {

util::Regex compile_pattern(std::string_view pattern, const SourceLocation& where, const std::string& label) {
  std::string why;
  auto re = util::Regex::try_compile(pattern, &why);
  if (!re) fail_input(where, label + ": invalid regex '" + std::string(pattern) + "': " + why);
  return *re;
}

std::optional<util::Regex> compile_pattern_template(const model::Template& pattern, const std::string& label) {
  const std::string& text = pattern.text;
  if (text.find("${") == std::string::npos) return compile_pattern(text, pattern.where, label);
  std::string probe;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") == 0) {
      auto end = text.find('}', i);
      if (end == std::string::npos) break;  // the variables check reports it
      probe += 'x';
      i = end + 1;
    } else {
      probe += text[i++];
    }
  }
  compile_pattern(probe, pattern.where, label);
  return std::nullopt;
}

}  // namespace bbx::scenario
