#include "assert/header_check.hpp"

#include <nlohmann/json.hpp>

#include "assert/text_match.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

using Kind = model::HeaderExpectation::Kind;

// Beyond this many headers the list in a failure is cut ("... N more").
constexpr std::size_t kHeadersListed = 40;

std::string received_list(const HeaderList& received) {
  if (received.empty()) return "; no headers received";
  std::string out = "; headers received:";
  for (std::size_t i = 0; i < received.size() && i < kHeadersListed; ++i)
    out += "\n    | " + received[i].first + ": " + received[i].second;
  if (received.size() > kHeadersListed)
    out += "\n    | ... " + std::to_string(received.size() - kHeadersListed) + " more";
  return out;
}

std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string expected_text(const model::HeaderExpectation& spec, const std::string& expected_value) {
  switch (spec.kind) {
    case Kind::equals: return quoted(expected_value);
    case Kind::match: return describe(*spec.match);
    case Kind::present: return "present";
    case Kind::absent: return "absent";
  }
  return "";
}

}  // namespace

HeaderVerdict check_header(const model::HeaderExpectation& spec, const std::string& expected_value,
                           const HeaderList& received) {
  std::vector<std::string> values;
  for (const auto& [name, value] : received)
    if (util::iequals(name, spec.name)) values.push_back(value);
  HeaderVerdict v;
  v.expected = expected_text(spec, expected_value);
  switch (spec.kind) {
    case Kind::equals:
      for (const auto& x : values) v.passed = v.passed || x == expected_value;
      break;
    case Kind::match: {
      Matcher matches(*spec.match);
      for (const auto& x : values) v.passed = v.passed || matches(x);
      if (!v.passed && matches.undecided()) v.undecided = undecided_note(matches.undecided(), "values", *spec.match);
      break;
    }
    case Kind::present: v.passed = !values.empty(); break;
    case Kind::absent: v.passed = values.empty(); break;
  }
  std::vector<std::string> shown;
  for (const auto& x : values) shown.push_back(quoted(x));
  v.actual = values.empty() ? "missing" : util::join(shown, ", ");
  if (!v.passed) v.actual += v.undecided + received_list(received);
  return v;
}

}  // namespace bbx::assertions
