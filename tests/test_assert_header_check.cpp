// expect.headers of http steps: verdicts over recorded response headers.
#include <doctest/doctest.h>

#include "assert/header_check.hpp"

using namespace bbx;
using Kind = model::HeaderExpectation::Kind;

namespace {

const assertions::HeaderList kReceived = {
    {"Content-Type", "application/json; charset=utf-8"},
    {"Set-Cookie", "a=1"},
    {"Set-Cookie", "b=2"},
    {"Content-Length", "2"},
};

model::HeaderExpectation spec(const std::string& name, Kind kind, const std::string& pattern = "", bool regex = false) {
  model::HeaderExpectation h;
  h.name = name;
  h.kind = kind;
  if (kind == Kind::match) h.match = model::TextMatch{pattern, regex, {}};
  return h;
}

}  // namespace

TEST_CASE("an exact value matches the header case-insensitively by name, exactly by value") {
  auto h = spec("content-type", Kind::equals);
  auto v = assertions::check_header(h, "application/json; charset=utf-8", kReceived);
  CHECK(v.passed);
  CHECK(v.expected == "\"application/json; charset=utf-8\"");
  CHECK(v.actual == "\"application/json; charset=utf-8\"");
  CHECK_FALSE(assertions::check_header(h, "application/json", kReceived).passed);
  CHECK_FALSE(assertions::check_header(h, "APPLICATION/JSON; charset=utf-8", kReceived).passed);
}

TEST_CASE("contains and matches reuse the language's text matchers") {
  CHECK(assertions::check_header(spec("Content-Type", Kind::match, "json"), "", kReceived).passed);
  CHECK_FALSE(assertions::check_header(spec("Content-Type", Kind::match, "xml"), "", kReceived).passed);
  auto re = spec("Content-Length", Kind::match, "^[0-9]+$", true);
  auto v = assertions::check_header(re, "", kReceived);
  CHECK(v.passed);
  CHECK(v.expected == "matches /^[0-9]+$/");
  CHECK(assertions::check_header(spec("Content-Type", Kind::match, "(?i)^APPLICATION/", true), "", kReceived).passed);
}

TEST_CASE("a repeated header passes when any of its values does, and all are shown") {
  auto h = spec("set-cookie", Kind::equals);
  CHECK(assertions::check_header(h, "b=2", kReceived).passed);
  auto v = assertions::check_header(h, "c=3", kReceived);
  CHECK_FALSE(v.passed);
  CHECK(v.actual.starts_with("\"a=1\", \"b=2\"; headers received:"));
}

TEST_CASE("absent and present") {
  CHECK(assertions::check_header(spec("X-Debug", Kind::absent), "", kReceived).passed);
  CHECK_FALSE(assertions::check_header(spec("x-debug", Kind::present), "", kReceived).passed);
  CHECK(assertions::check_header(spec("CONTENT-LENGTH", Kind::present), "", kReceived).passed);
  auto v = assertions::check_header(spec("content-length", Kind::absent), "", kReceived);
  CHECK_FALSE(v.passed);
  CHECK(v.expected == "absent");
}

TEST_CASE("a failure lists every header received, one per line") {
  auto v = assertions::check_header(spec("X-Request-Id", Kind::equals), "7", kReceived);
  CHECK_FALSE(v.passed);
  CHECK(v.expected == "\"7\"");
  CHECK(v.actual ==
        "missing; headers received:\n"
        "    | Content-Type: application/json; charset=utf-8\n"
        "    | Set-Cookie: a=1\n"
        "    | Set-Cookie: b=2\n"
        "    | Content-Length: 2");
  CHECK(assertions::check_header(spec("X", Kind::present), "", {}).actual == "missing; no headers received");
}

TEST_CASE("a long header list is cut") {
  assertions::HeaderList many;
  for (int i = 0; i < 45; ++i) many.emplace_back("X-" + std::to_string(i), "v");
  auto v = assertions::check_header(spec("Y", Kind::present), "", many);
  CHECK(v.actual.ends_with("    | X-39: v\n    | ... 5 more"));
}
