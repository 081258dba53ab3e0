// Compiled text matchers (model::TextMatch): a substring or an ECMAScript regex searched
// anywhere in a line. Compiling a bad regex throws bbx::Error (invalid input) at the
// matcher's location, so `bbx validate` reports it as path:line:col.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "bbx/model/expectations.hpp"

namespace bbx::assertions {

class Matcher {
 public:
  // Throws bbx::Error (invalid input) at m.where when m.regex and the pattern is invalid.
  // A leading "(?i)" makes the regex case-insensitive (ECMAScript has no inline flags).
  explicit Matcher(const model::TextMatch& m);
  bool operator()(std::string_view text) const;
  const std::string& description() const { return description_; }

 private:
  model::TextMatch spec_;
  std::shared_ptr<std::regex> re_;
  std::string description_;
};

// `matches /re/` or `contains "text"`.
std::string describe(const model::TextMatch& m);

}  // namespace bbx::assertions
