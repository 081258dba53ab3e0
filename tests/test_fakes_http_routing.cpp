#include <doctest/doctest.h>

#include "fakes/http_routing.hpp"

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

model::Fake fake_with_routes() {
  model::Fake f;
  f.name = "api";
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
