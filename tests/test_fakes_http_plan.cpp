#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "fakes/http/capture.hpp"
#include "fakes/http/plan.hpp"

using namespace bbx;
using fakes::RequestView;

namespace {

model::HttpResponse response(int status, std::string body = {}) {
  model::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

model::HttpFakeSpec fake_with(model::HttpRoute route) {
  model::HttpFakeSpec f;
  f.routes.push_back(std::move(route));
  return f;
}

fakes::ResponsePlan plan_for(fakes::ResponsePlanner& p, const model::HttpFakeSpec& f, const RequestView& r) {
  return p.plan(fakes::route_request(f, r), r);
}

}  // namespace

TEST_CASE("a sequence answers the first requests in turn, then repeats its last") {
  model::HttpRoute route;
  route.sequence = {response(503), response(503), response(200, "ok")};
  route.respond = route.sequence[0];
  auto f = fake_with(route);
  fakes::ResponsePlanner p(f, "api", ".");
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(plan_for(p, f, {"GET", "/"}).response->status);
  CHECK(statuses == std::vector<int>{503, 503, 200, 200, 200});
}

TEST_CASE("a cycling sequence starts over") {
  model::HttpRoute route;
  route.sequence = {response(200), response(500)};
  route.cycle = true;
  auto f = fake_with(route);
  fakes::ResponsePlanner p(f, "api", ".");
  std::vector<int> indexes;
  for (int i = 0; i < 5; ++i) indexes.push_back(plan_for(p, f, {"GET", "/"}).sequence_index);
  CHECK(indexes == std::vector<int>{0, 1, 0, 1, 0});
}

TEST_CASE("a random delay stays within its range and a fixed one is exact") {
  model::HttpRoute route;
  route.respond.delay = std::chrono::milliseconds(10);
  route.respond.delay_max = std::chrono::milliseconds(20);
  auto f = fake_with(route);
  fakes::ResponsePlanner p(f, "api", ".");
  bool varied = false;
  model::Duration first{};
  for (int i = 0; i < 50; ++i) {
    auto d = plan_for(p, f, {"GET", "/"}).delay;
    CHECK(d >= std::chrono::milliseconds(10));
    CHECK(d <= std::chrono::milliseconds(20));
    if (i == 0) first = d;
    else if (d != first) varied = true;
  }
  CHECK(varied);
  f.routes[0].respond.delay_max = {};
  fakes::ResponsePlanner fixed(f, "api", ".");
  CHECK(plan_for(fixed, f, {"GET", "/"}).delay == std::chrono::milliseconds(10));
}

TEST_CASE("templates fill request parts; unknown placeholders stay as written") {
  RequestView r{"POST", "/orders/7?ref=R1&x=2", {{"X-Trace", "abc"}}, "payload"};
  CHECK(fakes::fill_template("{{request.method}} {{ request.path }} {{request.query}} {{request.query.ref}}"
                             "|{{request.query.none}}|{{request.header.x-trace}} {{request.body}} {{request.target}} {{other}} {{",
                             r) == "POST /orders/7 ref=R1&x=2 R1||abc payload /orders/7?ref=R1&x=2 {{other}} {{");
}

TEST_CASE("body_file is read relative to the scenario folder, and a missing one is an error") {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit-plan";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.json") << R"({"q":"{{request.query.q}}"})";
  model::HttpRoute route;
  route.respond.body_file = "b.json";
  route.respond.templated = true;
  auto f = fake_with(route);
  fakes::ResponsePlanner p(f, "api", dir);
  CHECK(plan_for(p, f, {"GET", "/?q=z"}).body() == R"({"q":"z"})");
  f.routes[0].respond.body_file = "missing.json";
  CHECK_THROWS_WITH_AS(fakes::ResponsePlanner(f, "api", dir), doctest::Contains("fake 'api': cannot read body_file"), std::runtime_error);
}

TEST_CASE("faults and chunking pass through the plan to the session unchanged") {
  for (auto fault : {model::HttpFault::reset, model::HttpFault::close_after_headers, model::HttpFault::close_mid_body,
                     model::HttpFault::garbage, model::HttpFault::never_answer}) {
    model::HttpRoute route;
    route.respond.fault = fault;
    route.respond.chunk_size = 3;
    auto f = fake_with(route);
    fakes::ResponsePlanner p(f, "api", ".");
    auto plan = plan_for(p, f, {"GET", "/"});
    CHECK(plan.response->fault == fault);
    CHECK(plan.response->chunk_size == 3);
  }
}

TEST_CASE("unmatched requests get the fake's unmatched response") {
  model::HttpRoute route;
  route.match.path = "/only";
  auto f = fake_with(route);
  fakes::ResponsePlanner p(f, "api", ".");
  auto plan = plan_for(p, f, {"GET", "/else"});
  CHECK(plan.response->status == 404);
  CHECK(plan.body() == "no route matched\n");
}

TEST_CASE("body capture keeps bodies up to the cap, beyond it the head, length and SHA-256") {
  nlohmann::json small, big;
  fakes::capture_body("abc", 3, small);
  CHECK(small == nlohmann::json({{"body", "abc"}, {"body_bytes", 3}}));
  fakes::capture_body("abcd", 3, big);
  CHECK(big["body"] == "abc");
  CHECK(big["body_bytes"] == 4);
  CHECK(big["body_truncated"] == true);
  CHECK(big["body_sha256"] == "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589");
  CHECK(fakes::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
