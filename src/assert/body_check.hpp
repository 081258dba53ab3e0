// An http step's response body checks (`expect.body_contains`, `expect.body_matches`,
// `expect.json`): pure, over the body as received, so unit tests call them directly.
//
// A failed check's `actual` says what differs and quotes a bounded preview of the body
// (util::byte_preview), e.g. `not in the body (1,234 bytes): "{\"a\":" … "}"`, or for JSON
// the value found at the pointer, or where the pointer stops matching the document
// (`no value at /items/5: /items has 2 elements`), or why the body is not JSON.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bbx/model/steps.hpp"

namespace bbx::assertions {

struct BodyVerdict {
  bool passed = false;
  std::string expected;  // "contains \"ok\"", "matches /re/", "7", "present", "absent"
  std::string actual;    // "" when passed, else what was seen (with the body's preview)
};

// `text` (expanded) is a substring of body.
BodyVerdict check_body_contains(const std::string& text, const std::string& body);
// The regex (compiled at load) matches somewhere in body; a body it is too complex for fails
// and says so.
BodyVerdict check_body_matches(const model::TextMatch& regex, const std::string& body);

// The response body parsed as JSON once for all of a step's `json` checks. Keeps a
// reference to the body, which must outlive it.
class JsonBody {
 public:
  explicit JsonBody(const std::string& body);  // body is not copied: it must outlive this
  explicit JsonBody(std::string&&) = delete;  // so a temporary cannot be given
  const std::string& body() const { return body_; }
  // nullptr when the body is not JSON (why: error()).
  const nlohmann::json* document() const { return parsed_ ? &*parsed_ : nullptr; }
  const std::string& error() const { return error_; }

 private:
  const std::string& body_;
  std::optional<nlohmann::json> parsed_;
  std::string error_;
};

// One `json` expectation. `expected_text` is spec.text expanded (used when spec.text is set).
// A regex was checked at load; a bad one throws bbx::Error.
BodyVerdict check_json(const model::JsonExpectation& spec, const std::string& expected_text, const JsonBody& body);

}  // namespace bbx::assertions
