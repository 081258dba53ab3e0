// An http step's response header checks (`expect.headers`): pure, over the headers as
// received, so unit tests call it directly.
//
// A header name matches case-insensitively. When the response repeats a header
// (Set-Cookie), the check holds if any of its values satisfies it; `absent` holds when
// none is there. A failed check's `actual` gives the values seen for that name ("missing"
// when none) and then every header received, one per line ("\n    | Name: value").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bbx/model/steps.hpp"

namespace bbx::assertions {

// Response headers as received: in order, repeats kept.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HeaderVerdict {
  bool passed = false;
  std::string expected;  // "\"application/json\"", "contains \"json\"", "matches /re/", "absent", "present"
  std::string actual;    // "\"text/plain\"", "missing", "\"a\", \"b\"" (+ the headers received on failure)
  std::string undecided;  // a regex too complex for a value: undecided_note(); "" when none
};

// Checks one expectation. `expected_value` is spec.value with its ${variables} expanded
// (used by Kind::equals only). A regex was checked at load; a bad one throws bbx::Error.
HeaderVerdict check_header(const model::HeaderExpectation& spec, const std::string& expected_value,
                           const HeaderList& received);

}  // namespace bbx::assertions
