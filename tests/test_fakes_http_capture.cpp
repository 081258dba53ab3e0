#include <doctest/doctest.h>

#include "fakes/http/capture.hpp"

using namespace bbx;

// Found by fuzz/fuzz_http_request.cpp (fuzz/regressions/http_request/invalid-utf8-target): a
// miss's reason quoted the request's raw bytes, so the journal wrote U+FFFD where the
// request's own fields have \xHH, and a live reader's tree could not be dumped.
TEST_CASE("misses_json: a reason quoting bytes that are not UTF-8 holds them as \\xHH") {
  model::HttpFakeSpec fake;
  model::HttpRoute r;
  r.match.path = "/api/*";
  fake.routes.push_back(r);
  auto decision = fakes::route_request(fake, {"GET", "/\xff\xfe"});
  REQUIRE(decision.route == -1);
  auto misses = fakes::misses_json(decision);
  REQUIRE(misses.size() == 1);
  CHECK(misses[0].at("reason") == "path /\\xFF\\xFE does not match /api/*");
  CHECK_NOTHROW((void)misses.dump());
}
