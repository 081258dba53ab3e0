// The scenario's `timeout:` bounds the whole run: when it passes, whatever the run waits
// for (a step, a readiness) ends at once, the scenario fails naming what it was still
// doing, the subjects are stopped and nothing is left behind.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("a step still running at the scenario's timeout fails the scenario, naming the step") {
  auto run = run_scenario_yaml(fresh_dir("timeout-slow_step"), R"Y(name: slow_step
timeout: 1s
steps:
  - mark: first
  - sleep: 20s
  - mark: never
)Y");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  CHECK(run.seconds < 10);
  CHECK(run.result.out.find("    scenario timeout\n"
                            "      expected: done within 1s\n"
                            "      actual:   still running step 2 'sleep 20s' (") != std::string::npos);
  CHECK(run.result.out.find("s.yaml:5:5) after 1s") != std::string::npos);
  const auto* failure = first_of(run.events, "assert.fail");
  REQUIRE(failure);
  CHECK(failure->body["what"] == "scenario timeout");
  CHECK(count_of(run.events, "mark") == 1);  // the step after the timeout never ran
}

TEST_CASE("a readiness still pending at the scenario's timeout ends at once and the subject is stopped") {
  auto run = run_scenario_yaml(fresh_dir("timeout-never_ready"), R"Y(name: never_ready
timeout: 1s
subjects:
  app:
    command: [sh, -c, "echo BBX_TIMEOUT_TEST_MARKER; exec sleep 31.7"]
    ready: {file: never.txt, within: 30s}
)Y");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  CHECK(run.seconds < 10);
  CHECK(run.result.out.find("actual:   still waiting for subject 'app' to be ready after 1s") != std::string::npos);
  CHECK(first_of(run.events, "process.exit"));  // stopped by bbx, not left behind
  CHECK_FALSE(process_running_with("sleep 31.7"));
}

TEST_CASE("a scenario that ends within its timeout passes") {
  auto run = run_scenario_yaml(fresh_dir("timeout-quick"), R"Y(name: quick
timeout: 2s
steps:
  - sleep: 100ms
)Y");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 0);
  CHECK_FALSE(first_of(run.events, "assert.fail"));
}
