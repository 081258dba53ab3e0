#include <doctest/doctest.h>

#include "fakes/http/routing.hpp"

using namespace bbx;

namespace {
model::HttpRoute route(std::string method, std::string path, int status, std::string body) {
  model::HttpRoute r;
  r.match.method = std::move(method);
  r.match.path = std::move(path);
  r.respond.status = status;
  r.respond.body = std::move(body);
  return r;
}

model::HttpFakeSpec fake_with_routes() {
  model::HttpFakeSpec f;
  f.routes.push_back(route("GET", "/api/*", 200, "list"));
  f.routes.push_back(route("", "/api/special", 201, "never reached for GET"));
  f.routes.push_back(route("POST", "", 202, "posted"));
  return f;
}
}  // namespace

TEST_CASE("first matching route wins, in written order") {
  auto f = fake_with_routes();
  auto d = fakes::route_request(f, {"GET", "/api/special"});
  CHECK(d.route == 0);
  CHECK(d.response->body == "list");
  CHECK(fakes::route_request(f, {"PUT", "/api/special"}).route == 1);
}

TEST_CASE("methods compare case-insensitively and paths ignore the query") {
  auto f = fake_with_routes();
  CHECK(fakes::route_request(f, {"get", "/api/x?y=1"}).route == 0);
  CHECK(fakes::route_request(f, {"POST", "/anything"}).route == 2);
}

TEST_CASE("unmatched requests get the fake's unmatched response") {
  auto f = fake_with_routes();
  auto d = fakes::route_request(f, {"DELETE", "/other"});
  CHECK(d.route == -1);
  CHECK(d.response->status == 404);
}

TEST_CASE("path and query split") {
  CHECK(fakes::path_of("/a/b?x=1") == "/a/b");
  CHECK(fakes::query_of("/a/b?x=1") == "x=1");
  CHECK(fakes::query_of("/a/b") == "");
}

namespace {
model::HttpFakeSpec one_route(model::HttpMatch m) {
  model::HttpFakeSpec f;
  model::HttpRoute r;
  r.match = std::move(m);
  f.routes.push_back(r);
  return f;
}
bool matches(const model::HttpMatch& m, const fakes::RequestView& r) { return fakes::route_request(one_route(m), r).route == 0; }
}  // namespace

TEST_CASE("path_regex must match the whole path") {
  model::HttpMatch m;
  m.path_regex = bbx::util::Regex::compile("/v[0-9]+/items");
  CHECK(matches(m, {"GET", "/v2/items?x=1"}));
  CHECK_FALSE(matches(m, {"GET", "/v2/items/3"}));
  CHECK_FALSE(matches(m, {"GET", "/vx/items"}));
}

TEST_CASE("query parameters match by glob on their raw value") {
  model::HttpMatch m;
  m.query = {{"page", "2*"}, {"flag", ""}};
  CHECK(matches(m, {"GET", "/x?page=20&flag"}));
  CHECK_FALSE(matches(m, {"GET", "/x?page=3&flag"}));
  CHECK_FALSE(matches(m, {"GET", "/x?page=2"}));
  CHECK(fakes::query_param("a=1&b=&c", "b") == "");
  CHECK_FALSE(fakes::query_param("a=1", "ab").has_value());
}

TEST_CASE("header names compare case-insensitively, values by glob") {
  model::HttpMatch m;
  m.headers = {{"content-type", "application/json*"}};
  CHECK(matches(m, {"POST", "/", {{"Content-Type", "application/json; charset=utf-8"}}}));
  CHECK_FALSE(matches(m, {"POST", "/", {{"Content-Type", "text/plain"}}}));
  CHECK_FALSE(matches(m, {"POST", "/", {}}));
}

TEST_CASE("body matchers: exact, contains, regex, JSON subset") {
  model::HttpMatch exact;
  exact.body = "hello";
  CHECK(matches(exact, {"POST", "/", {}, "hello"}));
  CHECK_FALSE(matches(exact, {"POST", "/", {}, "hello!"}));
  model::HttpMatch contains;
  contains.body_contains = "needle";
  CHECK(matches(contains, {"POST", "/", {}, "hay needle hay"}));
  CHECK_FALSE(matches(contains, {"POST", "/", {}, "hay"}));
  model::HttpMatch regex;
  regex.body_regex = bbx::util::Regex::compile("id=[0-9]+");
  CHECK(matches(regex, {"POST", "/", {}, "x&id=42&y"}));
  CHECK_FALSE(matches(regex, {"POST", "/", {}, "id=x"}));
  model::HttpMatch json;
  json.body_json = R"({"item":{"id":7},"tags":["a"]})";
  CHECK(matches(json, {"POST", "/", {}, R"({"item":{"id":7,"n":1},"tags":["a","b"],"z":0})"}));
  CHECK_FALSE(matches(json, {"POST", "/", {}, R"({"item":{"id":8},"tags":["a"]})"}));
  CHECK_FALSE(matches(json, {"POST", "/", {}, R"({"item":{"id":7},"tags":["b","a"]})"}));
  CHECK_FALSE(matches(json, {"POST", "/", {}, "not json"}));
}

TEST_CASE("an unmatched request lists the nearest routes and every reason they missed") {
  model::HttpFakeSpec f;
  model::HttpRoute a, b;
  a.match.method = "POST";
  a.match.path = "/orders";
  a.match.headers = {{"X-Id", "7"}};
  b.match.path = "/other";
  f.routes = {b, a};
  auto d = fakes::route_request(f, {"PUT", "/orders", {{"X-Id", "8"}}});
  REQUIRE(d.route == -1);
  REQUIRE(d.nearest.size() == 2);
  CHECK(d.nearest[0].route == 1);
  CHECK(d.nearest[0].passed == 1);
  CHECK(d.nearest[0].reason == "method PUT is not POST; header X-Id: 8 does not match 7");
  CHECK(d.nearest[1].reason == "path /orders does not match /other");
}

TEST_CASE("an invalid body_json the loader let through is a bug, refused when the router is built") {
  model::HttpMatch j;
  j.body_json = "{";
  CHECK_THROWS_WITH_AS(fakes::Router(one_route(j), "api"), "fake 'api' route 1: body_json is not JSON", std::logic_error);
}

TEST_CASE("(?i) works in path_regex, and a path too complex to decide is a non-match that says so") {
  model::HttpMatch m;
  m.path_regex = bbx::util::Regex::compile("(?i)/API/v[0-9]+");
  CHECK(matches(m, {"GET", "/api/V2"}));
  model::HttpMatch hard;
  hard.path_regex = bbx::util::Regex::compile("/(a+)+b");  // exponential backtracking on a's before a 'c'
  std::string path = "/" + std::string(40, 'a') + "cb";
  auto route = one_route(hard);
  auto decision = fakes::route_request(route, {"GET", path});
  CHECK(decision.route == -1);
  REQUIRE(decision.nearest.size() == 1);
  CHECK(decision.nearest[0].reason.find("is too complex to decide for regex /(a+)+b") != std::string::npos);
}
