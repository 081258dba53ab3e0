#include "assert/text_match.hpp"

#include <nlohmann/json.hpp>

namespace bbx::assertions {

std::string describe(const model::TextMatch& m) {
  return m.regex ? "matches /" + m.pattern + "/" : "contains " + nlohmann::json(m.pattern).dump();
}

Matcher::Matcher(const model::TextMatch& m) : spec_(m), description_(describe(m)) {
  if (!m.regex) return;
  if (m.compiled) {
    re_ = m.compiled;
    return;
  }
  std::string why;
  re_ = util::Regex::try_compile(m.pattern, &why);
  if (!re_) fail_input(m.where, "invalid regex '" + m.pattern + "': " + why);
}

util::RegexMatch Matcher::match(std::string_view text) const {
  if (!re_) return text.find(spec_.pattern) != std::string_view::npos ? util::RegexMatch::yes : util::RegexMatch::no;
  auto result = re_->search(text);
  if (result == util::RegexMatch::too_complex) ++undecided_;
  return result;
}

std::string undecided_note(std::size_t undecided, const std::string& what, const model::TextMatch& m) {
  if (undecided == 0) return "";
  return "; " + std::to_string(undecided) + " of the " + what + " could not be decided: /" + m.pattern +
         "/ is too complex for " + (undecided == 1 ? "it" : "them") + " (a matching limit was reached)";
}

bool undecided_holds(const model::Count& count, std::int64_t matched, std::size_t undecided) {
  std::int64_t most = matched + static_cast<std::int64_t>(undecided);
  if (!count.contains(matched) || !count.contains(most)) return false;
  // Count's admitted totals are an interval minus at most one value.
  return !count.not_equal || *count.not_equal < matched || *count.not_equal > most;
}

}  // namespace bbx::assertions
