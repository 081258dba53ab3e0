// Text matchers of expectations and step checks (model::TextMatch): a substring, or a regex
// (util::Regex, compiled when the scenario was loaded) searched anywhere in the text.
//
// A regex can be too complex to decide for one text (util::RegexMatch::too_complex: it hit a
// matching limit). That is never silently a non-match where it could change a verdict: a
// Matcher counts the texts it could not decide, and checks fold them into their verdict
// (a count holds only if it holds whichever way they went: undecided_holds()) and into their
// message (undecided_note()).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bbx/model/common.hpp"
#include "util/regex.hpp"

namespace bbx::assertions {

class Matcher {
 public:
  // A regex TextMatch made in code without its compiled pattern is compiled here: a bad one
  // throws bbx::Error (invalid input) at m.where.
  explicit Matcher(const model::TextMatch& m);
  // yes, no, or too_complex (counted: undecided()).
  util::RegexMatch match(std::string_view text) const;
  // match(text) == yes.
  bool operator()(std::string_view text) const { return match(text) == util::RegexMatch::yes; }
  const std::string& description() const { return description_; }
  // Texts this matcher could not decide so far.
  std::size_t undecided() const { return undecided_; }

 private:
  model::TextMatch spec_;
  std::optional<util::Regex> re_;
  std::string description_;
  mutable std::size_t undecided_ = 0;
};

// `matches /re/` or `contains "text"`.
std::string describe(const model::TextMatch& m);

// "; 3 of the lines could not be decided: /re/ is too complex for them (a matching limit
// was reached)", or "" when undecided == 0. `what` names the texts ("lines", "requests").
std::string undecided_note(std::size_t undecided, const std::string& what, const model::TextMatch& m);

// Whether a count constraint holds for `matched` texts whichever way `undecided` more would
// have gone: every total from matched to matched + undecided satisfies it.
bool undecided_holds(const model::Count& count, std::int64_t matched, std::size_t undecided);

}  // namespace bbx::assertions
