// http steps end to end through `bbx`: response body checks (body_contains, body_matches,
// json at RFC 6901 pointers), each failure reported at its line with the response's
// http.reply seq.
#include <doctest/doctest.h>

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
