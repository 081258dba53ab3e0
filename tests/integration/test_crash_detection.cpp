// Crash detection: a subject that exits while it should run fails the scenario at once,
// whatever the runner is waiting for (a wait step of each kind, a command step, a `within:`
// expectation, a later subject's readiness, a sleep), with its exit status and last output
// lines, and without sitting out the 20 s timeouts of tests/cases/failing/crash_*.yaml. What
// the crash cut short is not judged: the crash is the scenario's only failure.
#include <doctest/doctest.h>

#include <unistd.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// Every scenario's timeouts are 20 s: a run cut short by the crash takes well under this.
constexpr double kFarLessThanTheTimeout = 5.0;

// The crash of the shell subject of the crash_during_*.yaml scenarios, as the console says it
// under the first cause (after the scenario location).
const std::string kShellCrash =
    ": subject 'app' is running\n"
    "      expected: subject 'app' running\n"
    "      actual:   exited with code 7; last output:\n"
    "    | starting\n"
    "    | about to fail\n"
    "      events:   #";

ScenarioRun run_case(const std::string& name, const std::vector<std::string>& options = {}) {
  static int counter = 0;
  auto runs = fresh_dir("runs-crash-" + std::to_string(++counter));
  return run_scenario_file("tests/cases/failing/" + name + ".yaml", runs, options);
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Exit 1, soon, and the crash is the one failure printed.
void check_failed_at_once_with(const ScenarioRun& run, const std::string& crash) {
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  CHECK(run.seconds < kFarLessThanTheTimeout);
  CHECK(run.result.out.find(crash) != std::string::npos);
  CHECK(occurrences(run.result.out, "      expected: ") == 1);
}

}  // namespace

TEST_CASE("a subject crashing during a wait for a file fails at once; the within: expectations are not judged") {
  auto run = run_case("crash_during_wait_file");
  check_failed_at_once_with(run, kShellCrash);
  INFO(run.result.out);
  // The crash names the step it cut short; that step is no failure of its own.
  CHECK(run.result.out.find("exited with code 7 during step 1 'wait for file never/appears'") != std::string::npos);
  CHECK(run.result.out.find("tally: 2 expectations: 1 passed, 0 failed, 1 skipped; 2 steps: 1 cut short, 2 not run\n") != std::string::npos);
  CHECK(count_of(run.events, "mark") == 0);                          // later steps do not run
  const auto* cut_short = last_of(run.events, "step.end", [](const Event& e) { return e.body.contains("cut_short"); });
  REQUIRE(cut_short);
  CHECK(cut_short->body["ok"] == false);
  CHECK(cut_short->body["cut_short"] == "subject 'app' exited with code 7");
  // The crash is journaled; the expectation that held passes, the one it cut short is skipped.
  CHECK(count_of(run.events, "assert.fail") == 1);
  CHECK(count_of(run.events, "assert.pass") == 1);
  REQUIRE(count_of(run.events, "assert.skip") == 1);
  for (const auto& e : events_of(run.events, "assert.pass"))
    CHECK(e.body["what"].get<std::string>().find("about to fail") != std::string::npos);
  for (const auto& e : events_of(run.events, "assert.skip")) {
    CHECK(e.body["what"].get<std::string>().find("never printed") != std::string::npos);
    CHECK(e.body["reason"] == "subject 'app' exited with code 7");
  }
}

TEST_CASE("a subject crashing during a wait for an output line fails at once") {
  check_failed_at_once_with(run_case("crash_during_wait_output"), kShellCrash);
}

TEST_CASE("a subject crashing during a wait for an HTTP status fails at once") {
  check_failed_at_once_with(run_case("crash_during_wait_http"), kShellCrash);
}

TEST_CASE("a subject crashing during a command step fails at once; the command is killed") {
  auto run = run_case("crash_during_command_step");
  check_failed_at_once_with(run, kShellCrash);
  const auto* command = last_of(run.events, "command.exit");
  REQUIRE(command);
  CHECK(command->body.value("signal", "") == "SIGKILL");
  CHECK(command->body["cut_short"] == true);
}

TEST_CASE("a subject crashing while a within: expectation waits fails at once, reported once") {
  auto run = run_case("crash_during_within");
  check_failed_at_once_with(run, kShellCrash);
  CHECK(run.result.out.find("tally: 1 expectation: 0 passed, 0 failed, 1 skipped\n") != std::string::npos);  // not a failure
  CHECK(count_of(run.events, "assert.skip") == 1);
}

TEST_CASE("a subject crashing while a later subject gets ready fails at once; that readiness is not judged") {
  auto run = run_case("crash_during_later_readiness");
  check_failed_at_once_with(run, kShellCrash);
  CHECK(run.result.out.find("readiness of subject 'late'") == std::string::npos);
  CHECK(count_of(run.events, "subject.ready") == 1);  // app's
}

TEST_CASE("a subject crashing after it was ready ends a sleep at once; nothing of the run is left") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    std::string marker = "crash-" + std::to_string(::getpid()) + "-" + iso;
    auto run = run_case("crash_after_ready", {"--isolation", iso, "--var", "marker=" + marker});
    check_failed_at_once_with(run,
                              ": subject 'app' is running\n"
                              "      expected: subject 'app' running\n"
                              "      actual:   exited with code 3; last output:\n");
    INFO(run.result.out);
    CHECK(run.result.out.find("    | exiting with code 3 after 500ms\n") != std::string::npos);
    CHECK_FALSE(marked_process_alive(marker));
  }
}
