// Regexes behave the same wherever a scenario accepts one, with inline flags such as (?i),
// and no text can crash or hang a run: a pathological pattern over a long line or body
// ends as a bounded non-match or, where that could change a verdict, an undecided text
// the failure names.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("(?i) works in readiness by log line and in log expectations alike") {
  auto run = run_scenario_yaml(fresh_dir("regex-icase"), R"(name: case insensitive
subjects:
  app:
    command: [bbx-fixture, --log-line, "Server READY on 1"]
    ready: {log: "(?i)server ready", within: 5s}
expect:
  - log: {subject: app, matches: "(?i)SERVER Ready", count: 1}
  - log: {subject: app, matches: "server ready", absent: true}
)");
  CHECK(run.result.exit_code == 0);
  CHECK(run.summary["scenarios"][0]["verdict"] == "passed");
}

TEST_CASE("a 60,000-character output line neither crashes nor hangs the checks, and an undecided line is said") {
  auto run = run_scenario_yaml(fresh_dir("regex-long-line"), R"(name: long line
subjects:
  app:
    shell: "python3 -c \"import sys, time; print('ab' * 30000, file=sys.stderr, flush=True); print('done', file=sys.stderr, flush=True); time.sleep(30)\""
    ready: {log: "^done$", within: 10s}
expect:
  - log: {subject: app, stream: stderr, matches: "(a|b)*c", absent: true}
  - log: {subject: app, stream: stderr, matches: "^(ab)+$", count: 1}
  - log: {subject: app, stream: stderr, matches: "(a|b)*[cd]", absent: true}
)");
  CHECK(run.result.exit_code == 1);  // the third cannot be decided, so absence is not proven
  REQUIRE(run.summary["scenarios"][0]["checks"].size() == 3);
  const auto& checks = run.summary["scenarios"][0]["checks"];
  CHECK(checks[0]["passed"] == true);
  CHECK(checks[1]["passed"] == true);
  CHECK(checks[2]["passed"] == false);
  CHECK(checks[2]["actual"].get<std::string>().find(
            "; 1 of the lines could not be decided: /(a|b)*[cd]/ is too complex for it (a matching limit was reached)") !=
        std::string::npos);
}

TEST_CASE("a 100 KB request body is matched by a request expectation's regex without a crash") {
  auto run = run_scenario_yaml(fresh_dir("regex-big-body"), R"(name: big body
fakes:
  api:
    http: {port: auto}
steps:
  - command: [sh, -c, "python3 -c \"print('ab' * 50000, end='')\" | curl -s -o /dev/null --data-binary @- ${fakes.api.url}/up"]
expect:
  - request: {fake: api, path: /up, body: {matches: "(a|b)*c"}, absent: true}
  - request: {fake: api, path: /up, body: {matches: "^(ab)+$"}, count: 1}
)");
  CHECK(run.result.exit_code == 0);
  CHECK(run.summary["scenarios"][0]["verdict"] == "passed");
}

TEST_CASE("(?i) works in a route's path_regex; a 7,000-byte path and a 100 KB body under (a|b)*c route without a crash") {
  auto run = run_scenario_yaml(fresh_dir("regex-routes"), R"(name: routes
fakes:
  api:
    http: {port: auto}
    routes:
      - match: {path_regex: "(?i)/API/v[0-9]+/items"}
        respond: {status: 201, body: "case\n"}
      - match: {path_regex: "/(a|b)*c"}
        respond: {status: 202, body: "path\n"}
      - match: {body_regex: "(a|b)*c"}
        respond: {status: 203, body: "body\n"}
steps:
  - http: {get: "${fakes.api.url}/api/V2/items"}
    expect: {status: 201}
  - command: [sh, -c, "curl -s -o /dev/null -w '%{http_code}' \"${fakes.api.url}/$(python3 -c \"print('ab' * 3500, end='')\")\""]
    expect: {stdout: "404"}
  - command: [sh, -c, "python3 -c \"print('ab' * 50000, end='')\" | curl -s -o /dev/null -w '%{http_code}' --data-binary @- ${fakes.api.url}/up"]
    expect: {stdout: "404"}
  - command: [sh, -c, "python3 -c \"print('ab' * 50000 + 'c', end='')\" | curl -s -o /dev/null -w '%{http_code}' --data-binary @- ${fakes.api.url}/up"]
    expect: {stdout: "203"}
expect:
  - request: {fake: api, path: /api/V2/items, count: 1}
  - request: {fake: api, path: /up, count: 2}
)");
  CHECK(run.result.exit_code == 0);
  CHECK(run.summary["scenarios"][0]["verdict"] == "passed");
  INFO(run.result.out);
}
