// http steps end to end through `bbx`: response body checks (body_contains, body_matches,
// json at RFC 6901 pointers), each failure reported at its line with the response's
// http.reply seq; responses expected to break (reset, closed, truncated, malformed);
// repeated requests (repeat, concurrency); captures (${captures.NAME}).
#include <doctest/doctest.h>

#include <map>

#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("an http step checks the response body: texts, a regex, JSON values at pointers") {
  auto pass = run_scenario_file("tests/cases/passing/step_http_body.yaml", fresh_dir("runs-body"));
  check_console(pass.result, 0, {});
  auto run = run_scenario_file("tests/cases/failing/step_http_body.yaml", fresh_dir("runs-body-fail"));
  const auto& r = run.result;
  const auto* reply = first_of(run.events, "http.reply");
  REQUIRE(reply);
  const std::string f = "    tests/cases/failing/step_http_body.yaml:";
  const std::string step = "step 'http GET ${fakes.api.url}/items' ";
  const std::string body = "body (76 bytes): \"{\\\"count\\\": 3, \\\"items\\\": [{\\\"id\\\": 7, \\\"name\\\": "
                           "\\\"bolt\\\"}], \\\"owner\\\": {\\\"name\\\": \\\"ada\\\"}}\"";
  const std::string events = "      events:   #N\n";
  check_console(r, 1, {
      f + "12:23: " + step + "body_contains\n      expected: contains \"\\\"count\\\": 2\"\n"
          "      actual:   not in the " + body + "\n" + events,
      f + "13:21: " + step + "body_matches\n      expected: matches /\"id\": \"\\d+\"/\n"
          "      actual:   no match in the " + body + "\n" + events,
      f + "15:17: " + step + "json /count\n      expected: 2\n      actual:   3\n" + events,
      f + "17:22: " + step + "json /items/1/id\n      expected: 8\n"
          "      actual:   no value at /items/1/id: /items is an array of 1 element; " + body + "\n" + events,
      f + "18:23: " + step + "json /owner/email\n      expected: present\n"
          "      actual:   no value at /owner/email: /owner has no key \"email\" (its keys: \"name\"); " + body + "\n" +
          events,
      f + "19:28: " + step + "json /owner/name/first\n      expected: \"ada\"\n"
          "      actual:   no value at /owner/name/first: /owner/name is a string (\"ada\"), not an object or array; " +
          body + "\n" + events,
      f + "20:22: " + step + "json /items/0/id\n      expected: matches /^8/\n      actual:   7\n" + events,
  });
  INFO(r.out);
  // The checks that held are not reported; every failure cites the response's seq.
  CHECK(r.out.find(step + "json /items/0/name\n      expected") == std::string::npos);
  CHECK(r.out.find("events:   #" + std::to_string(reply->seq) + "\n") != std::string::npos);
  CHECK(count_of(run.events, "assert.fail") == 7);
  CHECK(count_of(run.events, "mark") == 0);
}

TEST_CASE("an http step expects a broken response: reset, closed, truncated, malformed or any") {
  auto pass = run_scenario_file("tests/cases/passing/step_http_broken.yaml", fresh_dir("runs-broken"));
  check_console(pass.result, 0, {});
  std::vector<std::string> seen;
  for (const auto& e : events_of(pass.events, "http.reply")) seen.push_back(e.body.value("broken", std::string("none")));
  CHECK(seen == std::vector<std::string>{"reset", "truncated", "truncated", "malformed", "closed", "truncated"});
  // Before a break after the headers, http.reply holds what arrived.
  const auto* half = first_of(pass.events, "http.reply", [](const Event& e) {
    return e.body.value("url", std::string()).find("/half") != std::string::npos;
  });
  REQUIRE(half);
  CHECK(half->body.value("status", 0) == 200);
  CHECK(half->body.value("body", std::string()) == "01234");

  auto r = run_scenario_file("tests/cases/failing/step_http_broken.yaml", fresh_dir("runs-broken-fail")).result;
  const std::string f = "    tests/cases/failing/step_http_broken.yaml:";
  check_console(r, 1, {
      f + "10:5: step 'http GET ${fakes.api.url}/half' broken\n"
          "      expected: a broken response: reset\n"
          "      actual:   truncated: receive: partial message (status 200 and headers, then 5 of 10 body bytes)\n"
          "      events:   #N\n",
      f + "13:5: step 'http GET ${fakes.api.url}/ok' broken\n"
          "      expected: a broken response (reset, closed, truncated or malformed)\n"
          "      actual:   a whole response: 200 with body \"fine\\n\"\n"
          "      events:   #N\n",
      f + "16:5: step 'http GET http://127.0.0.1:${ports.nothing}/' broken\n"
          "      expected: a broken response: closed\n"
          "      actual:   no response: connect: Connection refused\n"
          "      events:   #N\n",
  });
  INFO(r.out);
  CHECK(r.out.find("3 scenarios: 0 passed, 3 failed") != std::string::npos);
}

TEST_CASE("repeat and concurrency: every response checked, at most C in flight, one check sums them up") {
  auto pass = run_scenario_file("tests/cases/passing/step_http_repeat.yaml", fresh_dir("runs-repeat"));
  check_console(pass.result, 0, {});
  // In flight at the fake: requests received and not yet answered, never above concurrency 8,
  // and above 1 (the fake delays each answer by 5 ms while the others arrive).
  int in_flight = 0, most = 0;
  for (const auto& e : pass.events) {
    if (e.source.name != "api") continue;
    if (e.type == "http.request" && e.body.value("path", std::string()) == "/x") most = std::max(most, ++in_flight);
    if (e.type == "http.response" && in_flight > 0) --in_flight;
  }
  CHECK(most <= 8);
  CHECK(most >= 2);
  // Only the first response of each step is journaled when all pass.
  auto replies = events_of(pass.events, "http.reply");
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].body.value("index", 0) == 1);
  CHECK(replies[0].body.value("of", 0) == 40);
  const auto* summary = first_of(pass.events, "assert.pass", [](const Event& e) {
    return e.body.value("what", std::string()).find("/x' repeat") != std::string::npos;
  });
  REQUIRE(summary);
  CHECK(summary->body.value("actual", std::string()) == "all 40 did; 200 ×40");

  auto run = run_scenario_file("tests/cases/failing/step_http_repeat.yaml", fresh_dir("runs-repeat-fail"));
  const auto& r = run.result;
  const std::string f = "    tests/cases/failing/step_http_repeat.yaml:";
  const std::string step = "step 'http GET ${fakes.api.url}/x' repeat\n";
  check_console(r, 1, {
      f + "10:5: " + step + "      expected: 9 responses (1 at a time), each passing the step's checks\n"
          "      actual:   3 of 9 failed; 200 ×6, 502 ×3; the first, response 3 (#N): status: expected 200, got 502 "
          "with body \"bad gateway\\n\"\n"
          "      events:   #N #N #N\n",
      // Three at a time: which response meets the third answer of the fake varies.
      f + "13:5: " + step + "      expected: 9 responses (3 at a time), each passing the step's checks\n"
          "      actual:   3 of 9 failed; 200 ×6, 502 ×3; the first, response ",
  });
}

TEST_CASE("capture: values of a response as ${captures.NAME} for later steps and expectations") {
  auto pass = run_scenario_file("tests/cases/passing/step_http_capture.yaml", fresh_dir("runs-capture"));
  check_console(pass.result, 0, {});
  std::map<std::string, std::string> captured;  // what each capture's assert.pass shows
  for (const auto& e : events_of(pass.events, "assert.pass")) {
    auto what = e.body.value("what", std::string());
    if (auto at = what.find("' capture "); at != std::string::npos)
      captured[what.substr(at + 10)] = e.body.value("actual", std::string());
  }
  CHECK(captured == std::map<std::string, std::string>{
                        {"token", "\"t-81c2\""}, {"id", "\"42\""}, {"session", "\"s-7\""}, {"version", "\"1.4.2\""}});

  auto r = run_scenario_file("tests/cases/failing/step_http_capture.yaml", fresh_dir("runs-capture-fail")).result;
  const std::string f = "    tests/cases/failing/step_http_capture.yaml:";
  const std::string step = "step 'http POST ${fakes.api.url}/login' capture ";
  check_console(r, 1, {
      f + "10:7: " + step + "token\n      expected: a value at JSON pointer '/token'\n"
          "      actual:   no value at /token: the body has no key \"token\" (its keys: \"user\"); body (20 bytes): "
          "\"{\\\"user\\\": {\\\"id\\\": 42}}\"\n      events:   #N\n",
      f + "11:7: " + step + "session\n      expected: header X-Session\n"
          "      actual:   no header X-Session in the response\n      events:   #N\n",
  });

  // A capture is known from the step after the one that makes it on.
  auto v = run_bbx({"validate", "tests/cases/malformed/step_http_capture_later.yaml"});
  CHECK(v.exit_code == 2);
  CHECK(v.err == "tests/cases/malformed/step_http_capture_later.yaml:5:17: unknown variable '${captures.token}'\n");
}
