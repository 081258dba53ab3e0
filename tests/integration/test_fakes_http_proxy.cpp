// The HTTP fake's proxy mode end to end through `bbx run`: a fake in front of another fake
// and of bbx-fixture, driven by curl (a client nobody here wrote) and http steps, with
// request expectations at both ends, both sides of every exchange in the journal, an
// unreachable upstream (502), a silent one (504) while other connections are served,
// kept-alive and pooled upstream connections, and a deliberately failing variant.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kScenario = R"Y(name: http proxy
fakes:
  front:
    http: {port: auto}
    capture: {body: 8B}
    routes:
      - match: {path: /api/*}
        proxy: {to: "${fakes.back.url}/v1", strip_prefix: /api, headers: {set: {X-Env: test}, remove: [Cookie]}}
      - match: {path: /app/*}
        proxy: {to: "http://127.0.0.1:${ports.app}", strip_prefix: /app}
      - match: {path: /down}
        proxy: "http://127.0.0.1:${ports.closed}"
      - match: {path: /slow}
        proxy: {to: "${fakes.back.url}", timeout: 1s}
      - match: {path: /local}
        respond: {body: "local\n"}
    proxy: "${fakes.back.url}"
  back:
    http: {port: auto}
    routes:
      - match: {path: /v1/items}
        respond: {status: 201, body: "items {{request.query}} {{request.body}}", template: true, headers: {X-Back: "yes"}}
      - match: {path: /slow}
        respond: {body: late, delay: 5s}
subjects:
  app:
    command: [bbx-fixture, --listen, "${ports.app}"]
    ready: {listening: "${ports.app}"}
steps:
  - command: [curl, -sS, -i, -X, POST, -H, "Cookie: c=1", -d, "a long body", "${fakes.front.url}/api/items?page=2"]
    expect: {stdout_contains: ["HTTP/1.1 201 Created", "X-Back: yes", "items page=2 a long body"]}
  - command: [curl, -sS, "${fakes.front.url}/app/hello", "${fakes.front.url}/app/again"]
    expect: {stdout: "ok\nok\n"}
  - http: {get: "${fakes.front.url}/down"}
    expect: {status: 502}
  - command: [curl, -sS, -Z, --parallel-immediate, -o, slow.txt, "${fakes.front.url}/slow", -o, local.txt, "${fakes.front.url}/local"]
  - command: [cat, slow.txt, local.txt]
    expect: {stdout_contains: ["bbx proxy: upstream http://127.0.0.1:", " timed out: no complete answer within 1s", "local"]}
  - http: {get: "${fakes.front.url}/elsewhere"}
    expect: {status: 404, body: "no route matched\n"}
  - command: [curl, -sS, -I, "${fakes.front.url}/head"]
    expect: {stdout_contains: ["HTTP/1.1 404 Not Found", "Content-Length: 17"]}
expect:
  - request: {fake: back, method: POST, path: /v1/items, query: {page: "2"}, headers: {X-Env: test, X-Forwarded-For: "127.0.0.1", Host: "127.0.0.1:*"}, body: {contains: "a long body"}}
  - request: {fake: back, headers: {Cookie: "*"}, absent: true}
  - request: {fake: front, method: POST, path: /api/items, headers: {Cookie: "c=1"}}
  - request: {fake: back, path: /elsewhere, count: 1}
  - request: {fake: back, method: HEAD, path: /head, count: 1}
  - log: {subject: app, contains: "request GET /hello"}
)Y";

// The event of `events` that answers (or forwards) the request journaled at request_seq.
const Event* linked(const std::vector<Event>& events, std::uint64_t request_seq) {
  return first_with(events, "request_seq", request_seq);
}

}  // namespace

TEST_CASE("a fake in proxy mode forwards, relays, fails over to 502/504 and journals both sides") {
  auto run = run_scenario_yaml(fresh_dir("http-proxy"), kScenario);
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto requests = events_of(run.events, "http.request", "front");
  auto upstream = events_of(run.events, "http.upstream", "front");
  auto responses = events_of(run.events, "http.response", "front");
  CHECK(requests.size() == 8);
  CHECK(upstream.size() == 7);  // all but /local

  const auto* api = first_with(requests, "target", "/api/items?page=2");
  REQUIRE(api);
  CHECK(api->body["proxy"].get<std::string>().ends_with("/v1"));
  const auto* up = linked(upstream, api->seq);
  REQUIRE(up);
  CHECK(up->body["outcome"] == "ok");
  CHECK(up->body["request"]["method"] == "POST");
  CHECK(up->body["request"]["target"] == "/v1/items?page=2");
  CHECK(up->body["request"]["body"] == "a long b");  // capture: 8B on both sides
  CHECK(up->body["request"]["body_bytes"] == 11);
  CHECK(up->body["request"]["body_sha256"].get<std::string>().size() == 64);
  CHECK(up->body["response"]["status"] == 201);
  CHECK(up->body["response"]["body"] == "items pa");
  CHECK(up->body["response"]["body_truncated"] == true);
  CHECK(up->body["latency_us"].get<std::int64_t>() >= 0);
  std::string sent_headers = up->body["request"]["headers"].dump();
  CHECK(sent_headers.find("[\"X-Env\",\"test\"]") != std::string::npos);
  CHECK(sent_headers.find("Cookie") == std::string::npos);
  const auto* api_response = linked(responses, api->seq);
  REQUIRE(api_response);
  CHECK(api_response->body["status"] == 201);
  CHECK(api_response->seq > up->seq);

  // curl sent both /app requests on one connection: the second reused the upstream one.
  const auto* again = first_with(requests, "target", "/app/again");
  REQUIRE(again);
  REQUIRE(linked(upstream, again->seq));
  CHECK(linked(upstream, again->seq)->body["reused"] == true);
  CHECK(linked(upstream, again->seq)->body["request"]["target"] == "/again");

  const auto* down = first_with(requests, "target", "/down");
  REQUIRE(down);
  REQUIRE(linked(upstream, down->seq));
  CHECK(linked(upstream, down->seq)->body["outcome"] == "unreachable");
  CHECK(linked(upstream, down->seq)->body["error"] == "connect: Connection refused");
  CHECK_FALSE(linked(upstream, down->seq)->body.contains("response"));
  CHECK(linked(responses, down->seq)->body["status"] == 502);

  // While /slow waited for its upstream, /local (sent at the same time) was answered.
  const auto* slow = first_with(requests, "target", "/slow");
  const auto* local = first_with(requests, "target", "/local");
  REQUIRE((slow && local));
  REQUIRE(linked(upstream, slow->seq));
  CHECK(linked(upstream, slow->seq)->body["outcome"] == "timeout");
  CHECK(linked(responses, slow->seq)->body["status"] == 504);
  CHECK(linked(responses, local->seq)->seq < linked(upstream, slow->seq)->seq);

  const auto* elsewhere = first_with(requests, "target", "/elsewhere");
  REQUIRE(elsewhere);
  CHECK(elsewhere->body["matched"] == false);
  CHECK(linked(upstream, elsewhere->seq)->body["response"]["status"] == 404);
}

TEST_CASE("a proxy scenario whose upstream is down and whose upstream saw other headers fails with both reasons") {
  auto run = run_scenario_yaml(fresh_dir("http-proxy-fails"), R"Y(name: http proxy fails
fakes:
  front:
    http: {port: auto}
    routes:
      - match: {path: /api/*}
        proxy: {to: "${fakes.back.url}", strip_prefix: /api, headers: {set: {X-Env: test}}}
      - match: {path: /down}
        proxy: "http://127.0.0.1:${ports.closed}"
  back:
    http: {port: auto}
    routes:
      - respond: {body: fine}
steps:
  - http: {get: "${fakes.front.url}/api/x"}
    expect: {status: 200, body: fine}
  - http: {get: "${fakes.front.url}/down"}
    expect: {status: 200}
expect:
  - request: {fake: back, path: /x, headers: {X-Env: prod}}
)Y");
  auto f = "    " + run.file.string() + ":";
  check_console(run.result, 1, {
      f + "17:5: step 'http GET ${fakes.front.url}/down' status\n"
          "      expected: 200\n"
          "      actual:   502 with body \"bbx proxy: upstream http://127.0.0.1:",
      " unreachable: connect: Connection refused\\n\"\n",
      // After the failed step, the expectation's miss is folded to one line as its likely consequence.
      "  1 later failure, likely a consequence of the first cause:\n" + f + "20:14: request at fake 'back': any method "
          "/x header X-Env: prod: expected at least 1 matching, got 0 matching; closest of 1 other request at 'back': "
          "GET /x (seq N): header X-Env differs: expected prod, got test (#N)\n",
  });
}

TEST_CASE("separate client connections share one kept-alive upstream connection through the fake's pool") {
  auto run = run_scenario_yaml(fresh_dir("http-proxy-pool"), R"Y(name: http proxy pool
fakes:
  front:
    http: {port: auto}
    proxy: "${fakes.back.url}"
  back:
    http: {port: auto}
    routes:
      - respond: {body: ok}
steps:
  - command: [sh, -c, "curl -s ${fakes.front.url}/1; curl -s ${fakes.front.url}/2; curl -s ${fakes.front.url}/3"]
    expect: {stdout: okokok}
)Y");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  std::vector<bool> reused;
  for (const auto& e : events_of(run.events, "http.upstream", "front")) reused.push_back(e.body["reused"].get<bool>());
  // Normally {false, true, true}; a loaded machine may accept a client before it saw the
  // previous one leave, so at least one reuse is required, and each reuse saves a connection.
  REQUIRE(reused.size() == 3);
  CHECK_FALSE(reused[0]);
  auto reuses = std::count(reused.begin(), reused.end(), true);
  CHECK(reuses >= 1);
  std::set<std::uint64_t> front_conns, back_conns;
  for (const auto& e : events_of(run.events, "http.request", "front"))
    front_conns.insert(e.body["conn"].get<std::uint64_t>());
  for (const auto& e : events_of(run.events, "http.request", "back")) back_conns.insert(e.body["conn"].get<std::uint64_t>());
  CHECK(front_conns.size() == 3);
  CHECK(back_conns.size() == static_cast<std::size_t>(3 - reuses));
}
