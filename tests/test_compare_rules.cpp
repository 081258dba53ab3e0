// Normalisation layer 3: a scenario's compare: rules as journaled in scenario.begin.
#include <doctest/doctest.h>

#include "bbx/error.hpp"
#include "compare/rules.hpp"

using namespace bbx::compare;

TEST_CASE("ignore rules match events by type, source and text, or name fields to leave out") {
  auto rules = Rules::from_json(nlohmann::json::parse(R"({"ignore": [
      {"type": "output.line", "source": "app", "matches": "^debug "},
      {"type": "http.*", "field": "headers.X-Request-Id"},
      {"source": "noisy*"}]})"),
                                "events.jsonl:1:1");
  CHECK(rules.ignores_event("output.line", "app", "debug cache warm"));
  CHECK_FALSE(rules.ignores_event("output.line", "app", "info cache warm"));
  CHECK_FALSE(rules.ignores_event("output.line", "other", "debug cache warm"));
  CHECK(rules.ignores_event("log.line", "noisy-sidecar", "anything"));
  CHECK_FALSE(rules.ignores_event("http.request", "api", "GET /"));  // a field rule leaves the event in
  CHECK(rules.ignored_fields("http.request", "api") == std::vector<std::string>{"headers.X-Request-Id"});
  CHECK(rules.ignored_fields("output.line", "app").empty());
}

TEST_CASE("redactions replace every match, with $0..$9, and are idempotent when written so") {
  auto rules = Rules::from_json(nlohmann::json::parse(R"J({"redact": [
      {"pattern": "token=[0-9a-z]+", "replace": "token=T"},
      {"pattern": "took ([0-9]+) rows", "replace": "took N rows (was $1)"}]})J"),
                                "j:1:1");
  std::string text = "token=abc12 and token=zz9; took 42 rows";
  rules.redact(text);
  CHECK(text == "token=T and token=T; took N rows (was 42)");
  std::string again = "token=T and token=T";
  rules.redact(again);
  CHECK(again == "token=T and token=T");
}

TEST_CASE("malformed rules in a journal are invalid input naming the journal") {
  try {
    Rules::from_json(nlohmann::json::parse(R"({"redact": [{"pattern": "(x", "replace": ""}]})"), "j.jsonl:1:1");
    FAIL("no error");
  } catch (const bbx::Error& e) {
    CHECK(e.kind() == bbx::ErrorKind::invalid_input);
    CHECK(e.formatted() == "j.jsonl:1:1: compare rules: invalid regex '(x': missing closing parenthesis at offset 2");
  }
  CHECK_THROWS_AS(Rules::from_json(nlohmann::json::parse(R"({"ignore": [3]})"), "j:1:1"), bbx::Error);
  CHECK(Rules::from_json(nlohmann::json(), "j:1:1").empty());
}
