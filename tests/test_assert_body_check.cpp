// expect.body_contains / body_matches / json of http steps: verdicts over a response body.
#include <doctest/doctest.h>

#include "assert/body_check.hpp"

using namespace bbx;
using Kind = model::JsonExpectation::Kind;

namespace {

const std::string kBody = R"({"count": 3, "items": [{"id": 7, "name": "bolt"}], "a/b": null, "n": 8.0})";

model::JsonExpectation equals(const std::string& pointer, const std::string& json) {
  model::JsonExpectation j;
  j.pointer = pointer;
  j.value = json;
  return j;
}

model::JsonExpectation of_kind(const std::string& pointer, Kind kind, const std::string& pattern = "", bool regex = false) {
  model::JsonExpectation j;
  j.pointer = pointer;
  j.kind = kind;
  if (kind == Kind::match) j.match = model::TextMatch{pattern, regex, {}};
  return j;
}

}  // namespace

TEST_CASE("body_contains finds a substring; a miss quotes the body's size and a bounded preview") {
  CHECK(assertions::check_body_contains("bolt", kBody).passed);
  auto v = assertions::check_body_contains("nut", kBody);
  CHECK_FALSE(v.passed);
  CHECK(v.expected == "contains \"nut\"");
  CHECK(v.actual == "not in the body (73 bytes): " + std::string(R"("{\"count\": 3, \"items\": [{\"id\": 7, \"name\": \"bolt\"}], \"a/b\": null, \"n\": 8.0}")"));
  std::string big(10000, 'x');
  v = assertions::check_body_contains("y", big);
  CHECK(v.actual.rfind("not in the body (10,000 bytes): \"" + std::string(160, 'x') + "\" … (9,800 bytes) … \"", 0) == 0);
  CHECK(v.actual.size() < 300);
  CHECK(assertions::check_body_contains("x", "").actual == "not in the body (0 bytes): \"\"");
}

TEST_CASE("body_matches searches the body; a regex too complex for it fails and says so") {
  model::TextMatch re{"\"id\": \\d+", true, {}};
  CHECK(assertions::check_body_matches(re, kBody).passed);
  model::TextMatch miss{"\"id\": \"\\d+\"", true, {}};
  auto v = assertions::check_body_matches(miss, kBody);
  CHECK_FALSE(v.passed);
  CHECK(v.expected == "matches /\"id\": \"\\d+\"/");
  CHECK(v.actual.rfind("no match in the body (73 bytes): ", 0) == 0);
  model::TextMatch hard{"(a+)+$", true, {}};
  v = assertions::check_body_matches(hard, std::string(40, 'a') + "!");
  CHECK_FALSE(v.passed);
  CHECK(v.actual.rfind("undecided: /(a+)+$/ is too complex for it", 0) == 0);
}

TEST_CASE("json: values at RFC 6901 pointers compare as JSON, numbers by value") {
  assertions::JsonBody body(kBody);
  REQUIRE(body.document());
  CHECK(assertions::check_json(equals("/count", "3"), "", body).passed);
  CHECK(assertions::check_json(equals("/n", "8"), "", body).passed);
  CHECK(assertions::check_json(equals("/items/0", R"({"name":"bolt","id":7})"), "", body).passed);
  CHECK(assertions::check_json(equals("/a~1b", "null"), "", body).passed);
  auto text = of_kind("/items/0/name", Kind::equals);
  text.text = model::Template{"bolt", {}};
  CHECK(assertions::check_json(text, "bolt", body).passed);
  auto v = assertions::check_json(text, "nut", body);
  CHECK(v.expected == "\"nut\"");
  CHECK(v.actual == "\"bolt\"");
  v = assertions::check_json(equals("/count", "\"3\""), "", body);  // a string is not the number
  CHECK_FALSE(v.passed);
  CHECK(v.actual == "3");
}

TEST_CASE("json: a pointer that leaves the document says where, with the body's preview") {
  assertions::JsonBody body(kBody);
  auto v = assertions::check_json(equals("/items/1/id", "8"), "", body);
  CHECK(v.actual.rfind("no value at /items/1/id: /items is an array of 1 element; body (73 bytes): ", 0) == 0);
  v = assertions::check_json(equals("/owner", "1"), "", body);
  CHECK(v.actual.rfind(R"(no value at /owner: the body has no key "owner" (its keys: "a/b", "count", "items", "n"))", 0) == 0);
  v = assertions::check_json(equals("/count/x", "1"), "", body);
  CHECK(v.actual.rfind("no value at /count/x: /count is a number (3), not an object or array", 0) == 0);
  v = assertions::check_json(equals("/items/x", "1"), "", body);
  CHECK(v.actual.rfind("no value at /items/x: /items is an array of 1 element, and 'x' is no index", 0) == 0);
}

TEST_CASE("json: matchers, presence and absence") {
  assertions::JsonBody body(kBody);
  CHECK(assertions::check_json(of_kind("/items/0/name", Kind::match, "^b", true), "", body).passed);
  CHECK(assertions::check_json(of_kind("/count", Kind::match, "3"), "", body).passed);  // JSON text of a number
  CHECK(assertions::check_json(of_kind("/a~1b", Kind::present), "", body).passed);       // null is a value
  CHECK(assertions::check_json(of_kind("/nope", Kind::absent), "", body).passed);
  auto v = assertions::check_json(of_kind("/count", Kind::absent), "", body);
  CHECK(v.expected == "absent");
  CHECK(v.actual == "3");
  v = assertions::check_json(of_kind("/items/0/name", Kind::match, "nut"), "", body);
  CHECK(v.expected == "contains \"nut\"");
  CHECK(v.actual == "\"bolt\"");
}

TEST_CASE("json: a body that is not JSON fails every json check with the parser's reason") {
  const std::string html = "<html>502</html>";
  assertions::JsonBody body(html);
  CHECK_FALSE(body.document());
  auto v = assertions::check_json(equals("/count", "2"), "", body);
  CHECK_FALSE(v.passed);
  INFO(v.actual);
  CHECK(v.actual.rfind("the body is not JSON: byte 1: syntax error while parsing value - invalid literal; last read: '<'; ", 0) == 0);
  CHECK(v.actual.find("; body (16 bytes): \"<html>502</html>\"") != std::string::npos);
}

// The class of fuzz/fuzz_journal_reader.cpp's `number-overflow`: nlohmann throws out_of_range,
// not parse_error, for a number it cannot hold, which escaped as an internal error.
TEST_CASE("json: a body with a number too big for a double is not JSON, with the parser's reason") {
  const std::string text = R"({"count": 1e400})";  // JsonBody keeps a reference: the text outlives it
  assertions::JsonBody body(text);
  CHECK_FALSE(body.document());
  auto v = assertions::check_json(equals("/count", "2"), "", body);
  CHECK_FALSE(v.passed);
  INFO(v.actual);
  CHECK(v.actual.rfind("the body is not JSON: number overflow parsing '1e400'", 0) == 0);
}
