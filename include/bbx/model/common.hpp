// Building blocks shared by every part of the scenario model.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bbx/error.hpp"
#include "util/regex.hpp"

namespace bbx::model {

using Duration = std::chrono::nanoseconds;

// Text from a scenario file that may contain ${...} variables. Variables are checked to
// exist when the scenario is loaded and expanded by the runner when their values are
// known (ports after fakes bind, pids after subjects start).
struct Template {
  std::string text;
  SourceLocation where;
  // true when `where` is the first byte of `text` in its file (a `template:` file), so a
  // mistake at an offset in the text is reported at its own line and column.
  bool whole_file = false;
};

// A text matcher: a substring (`contains`) or a regex (`matches`, util::Regex syntax),
// searched anywhere in the text. Regexes are compiled when the scenario is loaded; a bad one
// is a validation error at its location. Used by expectations and step checks.
struct TextMatch {
  std::string pattern;
  bool regex = false;
  SourceLocation where;
  std::optional<util::Regex> compiled = std::nullopt;  // set when regex (compiled at load)
};

// An integer field: a literal, or text with ${...} variables (`port: ${ports.api}`) that
// the runner expands when it uses the field, failing as invalid input at `text->where` when
// the expansion is not an integer in [min, max]. `value` holds the literal; a resolved copy
// (runtime::RunContext::resolve) holds the expanded value.
struct IntField {
  std::int64_t value = 0;
  std::optional<Template> text = std::nullopt;  // set when written with ${...}
  std::int64_t min = INT64_MIN, max = INT64_MAX;
  std::string label = "";  // "expect[2].listening.port", for the error
};

// A count constraint as written: "3", ">= 1", "1..3" (see util/units.hpp).
struct Count {
  std::int64_t min = 0;
  std::int64_t max = INT64_MAX;
  std::optional<std::int64_t> not_equal;
  std::string text;  // as written, for messages
  bool contains(std::int64_t n) const {
    return n >= min && n <= max && (!not_equal || n != *not_equal);
  }
};

}  // namespace bbx::model
