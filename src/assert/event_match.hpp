// Matching journal events against the event kinds that orderings and windows name
// (model::EventMatch: log, request, metric, message, exit, step, mark). Dispatch is an
// exhaustive std::visit: a new kind of event fails to compile until it is handled here.
#pragma once

#include <optional>
#include <string>

#include "assert/text_match.hpp"
#include "bbx/event.hpp"
#include "bbx/model/expectations.hpp"

namespace bbx::assertions {

class EventMatcher {
 public:
  // Keeps a reference to spec (the scenario outlives every check).
  explicit EventMatcher(const model::EventMatch& spec);
  // Whether e is an event of this kind, from this source, with matching text. A text its
  // regex is too complex for does not match (counted: undecided()).
  bool matches(const Event& e) const;
  std::size_t undecided() const { return text_ ? text_->undecided() : 0; }
  // undecided_note() for the texts this matcher could not decide, "" when none.
  std::string undecided_note(const std::string& what) const;

 private:
  const model::EventMatch& spec_;
  std::optional<Matcher> text_;
};

// "line of subject 'app' (stderr) contains \"ready\"", "request at fake 'api': GET /x", ...
std::string describe(const model::EventMatch& m);

}  // namespace bbx::assertions
