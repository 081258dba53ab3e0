// Text matchers and value ranges as expectations and step checks write them. Internal to
// src/scenario.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bbx/model/common.hpp"
#include "bbx/model/expectations.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// A regex compiled now (scenario/patterns.hpp); a bad one fails at `where` as
// "<label>: invalid regex ...".
model::TextMatch checked_regex(const std::string& pattern, const SourceLocation& where, const std::string& label);
// The regex at key.
model::TextMatch regex_at(const MapReader& m, std::string_view key);
// `matches: RE` or `contains: TEXT` (at most one); nullopt when neither is given.
std::optional<model::TextMatch> text_match(const MapReader& m);
// "3", ">= 1", "> 0.5", "<= 10", "< 2", "1..3"; nullopt when malformed.
std::optional<model::ValueRange> parse_value_range(std::string_view text);

}  // namespace bbx::scenario
