#include "assert/text_match.hpp"

#include <nlohmann/json.hpp>

#include "util/regex.hpp"

namespace bbx::assertions {

std::string describe(const model::TextMatch& m) {
  return m.regex ? "matches /" + m.pattern + "/" : "contains " + nlohmann::json(m.pattern).dump();
}

Matcher::Matcher(const model::TextMatch& m) : spec_(m), description_(describe(m)) {
  if (!m.regex) return;
  try {
    re_ = std::make_shared<std::regex>(util::compile_regex(m.pattern));
  } catch (const std::regex_error& e) {
    fail_input(m.where, "invalid regex '" + m.pattern + "': " + e.what());
  }
}

bool Matcher::operator()(std::string_view text) const {
  if (!re_) return text.find(spec_.pattern) != std::string_view::npos;
  return std::regex_search(text.begin(), text.end(), *re_);
}

}  // namespace bbx::assertions
