// The HTTP fake's proxy mode to https:// upstreams, end to end through `bbx run`: a plain
// fake (front) forwards to an HTTPS fake (back, with its per-run self-signed certificate),
// driven by curl. Trusted through `ca_file: ${fakes.back.ca_file}` the request reaches
// back over TLS (kept alive), both sides are journaled and the answer relayed; without
// it the certificate is refused (the exact 502 text, the reason in http.upstream, back's
// http.tls_error); with `insecure: true` it is accepted unverified.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// front forwards /ROUTE/* to back with the given extra proxy options; back answers /items.
std::string scenario(const std::string& name, const std::string& options, const std::string& steps) {
  return "name: " + name + R"Y(
fakes:
  front:
    http: {port: auto}
    routes:
      - match: {path: /up/*}
        proxy: {to: "${fakes.back.url}", strip_prefix: /up)Y" + options + R"Y(}
  back:
    http: {port: auto, tls: true}
    routes:
      - match: {path: /items}
        respond: {status: 201, body: "secret items\n", headers: {X-Back: tls}}
steps:
)Y" + steps;
}

}  // namespace

TEST_CASE("a plain fake forwards to an HTTPS fake trusting its ca_file: relayed, kept alive, both sides journaled") {
  const std::string trust = R"(, ca_file: "${fakes.back.ca_file}")";
  auto run = run_scenario_yaml(fresh_dir("https-proxy-trusted"), scenario("https proxy trusted", trust, R"Y(
  - command: [curl, -sS, -i, "${fakes.front.url}/up/items", "${fakes.front.url}/up/items"]
    expect: {stdout_contains: ["HTTP/1.1 201 Created", "X-Back: tls", "secret items\n"]}
expect:
  - request: {fake: back, method: GET, path: /items, count: 2, headers: {X-Forwarded-Proto: http, Via: "1.1 bbx"}}
  - request: {fake: front, path: /up/items, count: 2}
)Y"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto upstream = events_of(run.events, "http.upstream", "front");
  REQUIRE(upstream.size() == 2);
  for (const auto& up : upstream) {
    CHECK(up.body["url"].get<std::string>().starts_with("https://127.0.0.1:"));
    CHECK(up.body["outcome"] == "ok");
    CHECK(up.body["error"] == "");
    CHECK(up.body["request"]["target"] == "/items");
    CHECK(up.body["response"]["status"] == 201);
    CHECK(up.body["response"]["body"] == "secret items\n");
  }
  CHECK(upstream[0].body["reused"] == false);
  CHECK(upstream[1].body["reused"] == true);  // one TLS connection carried both
  auto at_back = events_of(run.events, "http.request", "back");
  REQUIRE(at_back.size() == 2);
  CHECK(at_back[0].body["conn"] == at_back[1].body["conn"]);
  CHECK(events_of(run.events, "http.tls_error", "back").empty());
}

TEST_CASE("without ca_file the HTTPS fake's self-signed certificate is refused: 502 naming the reason") {
  auto run = run_scenario_yaml(fresh_dir("https-proxy-untrusted"), scenario("https proxy untrusted", "", R"Y(
  - command: [curl, -sS, -i, "${fakes.front.url}/up/items"]
    expect: {stdout_contains: ["HTTP/1.1 502 Bad Gateway", "X-Bbx-Proxy: failed"]}
  - command: [curl, -sS, "${fakes.front.url}/up/items"]
    expect: {stdout: "bbx proxy: upstream ${fakes.back.url} failed: tls: certificate verification failed: self-signed certificate\n"}
expect:
  - request: {fake: back, absent: true}
)Y"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto upstream = events_of(run.events, "http.upstream", "front");
  REQUIRE(upstream.size() == 2);
  CHECK(upstream[0].body["outcome"] == "failed");
  CHECK(upstream[0].body["error"] == "tls: certificate verification failed: self-signed certificate");
  CHECK_FALSE(upstream[0].body.contains("response"));
  auto responses = events_of(run.events, "http.response", "front");
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].body["status"] == 502);
  CHECK(events_of(run.events, "http.tls_error", "back").size() == 2);  // back saw each handshake refused
}

TEST_CASE("insecure: true accepts the HTTPS fake's certificate unverified") {
  auto run = run_scenario_yaml(fresh_dir("https-proxy-insecure"), scenario("https proxy insecure", ", insecure: true", R"Y(
  - command: [curl, -sS, "${fakes.front.url}/up/items"]
    expect: {stdout: "secret items\n"}
expect:
  - request: {fake: back, path: /items, count: 1}
)Y"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto upstream = events_of(run.events, "http.upstream", "front");
  REQUIRE(upstream.size() == 1);
  CHECK(upstream[0].body["outcome"] == "ok");
  CHECK(events_of(run.events, "http.tls_error", "back").empty());
}
