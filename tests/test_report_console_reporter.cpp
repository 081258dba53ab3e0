// ConsoleReporter: a line per scenario as its result is taken, failures told as stories
// (here without a journal: from the result alone), the closing counts; only into the stream
// it was given.
#include <doctest/doctest.h>

#include <sstream>

#include "report/console_reporter.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

TEST_CASE("the console reporter prints each result as it is done and the summary at the end") {
  std::ostringstream out;
  report::ConsoleReporter console(out, false);
  std::vector<Scenario> scenarios(2);
  console.run_started({"r1", "runs/r1", scenarios});
  console.scenario_started(scenarios[0], 0);
  console.scenario_started(scenarios[1], 1);
  CHECK(out.str().empty());  // nothing until a result
  console.scenario_done(failed_result(), 1);
  CHECK(out.str() ==
        "FAIL  counts  (250 ms, namespaces)\n"
        "  first cause request at fake 'up' (s/counts.yaml:7:3): expected exactly 1, got 0 matching\n"
        "    s/counts.yaml:7:3: request at fake 'up'\n"
        "      expected: exactly 1\n"
        "      actual:   0 matching\n"
        "      events:   #4 #9\n"
        "  (told from the result alone: no journal at runs/r1/counts/events.jsonl)\n"
        "  journal: runs/r1/counts/events.jsonl\n");
  console.scenario_done(passed_result(), 0);
  console.run_done(summary_of({passed_result(), failed_result()}));
  CHECK(out.str().substr(out.str().find("PASS")) ==
        "PASS  proxy forwards  (12 ms, none)\n"
        "\n"
        "2 scenarios: 1 passed, 1 failed in 1500 ms\n"
        "run directory: runs/r1\n");
}

TEST_CASE("with colour the verdict and the counts are in ANSI colours") {
  std::ostringstream out;
  report::ConsoleReporter console(out, true);
  console.scenario_done(passed_result(), 0);
  console.run_done(summary_of({passed_result()}));
  CHECK(out.str() ==
        "\x1b[32mPASS\x1b[0m  proxy forwards  (12 ms, none)\n"
        "\n"
        "1 scenario: \x1b[32m1 passed, 0 failed\x1b[0m in 1500 ms\n"
        "run directory: runs/r1\n");
}

TEST_CASE("a harness error without checks shows its message, not a cause") {
  std::ostringstream out;
  report::ConsoleReporter console(out, false);
  auto r = passed_result();
  r.verdict = Verdict::error;
  r.message = "runner process killed by SIGKILL";
  console.scenario_done(r, 0);
  CHECK(out.str() ==
        "ERROR  proxy forwards  (12 ms, none)\n"
        "  runner process killed by SIGKILL\n"
        "  journal: runs/r1/proxy_forwards/events.jsonl\n");
}
