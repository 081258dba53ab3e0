// Expectations: what must have been observed. Evaluated after the steps; see
// docs/scenario-language.md for when each kind is checked.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// Requests a fake received.
struct RequestExpectation {
  std::string fake;
  std::string method;  // empty = any
  std::string path;    // glob; empty = any
  Count count;         // default ">= 1"
};

// How a subject ended, once stopped (or after it exited by itself).
struct ExitExpectation {
  std::string subject;
  std::optional<int> code;
  std::optional<int> signal;
};

struct Expectation {
  std::variant<RequestExpectation, ExitExpectation> check;
  std::optional<Duration> within;  // eventually: wait up to this long for it to hold
  SourceLocation where;
};

}  // namespace bbx::model
