// Crash detection: a subject that exits while it should run fails the scenario at once,
// whatever the runner is waiting for (a wait step of each kind, a command step, a `within:`
// expectation, a later subject's readiness, a sleep), with its exit status and last output
// lines, and without sitting out the 20 s timeouts of tests/cases/failing/crash_*.yaml. What
// the crash cut short is not judged: the crash is the scenario's only failure.
#include <doctest/doctest.h>

#include <unistd.h>

#include "harness.hpp"
#include "read_journal.hpp"

using namespace bbx::testing;

namespace {

using Clock = std::chrono::steady_clock;

// Every scenario's timeouts are 20 s: a run cut short by the crash takes well under this.
constexpr double kFarLessThanTheTimeout = 5.0;

// The crash of the shell subject of the crash_during_*.yaml scenarios, as the console says it.
const std::string kShellCrash =
    "    subject 'app' is running\n"
    "      expected: subject 'app' running\n"
    "      actual:   exited with code 7; last output:\n"
    "    | starting\n"
    "    | about to fail\n"
    "      events:   #";

struct TimedRun {
  CommandResult result;
  double seconds = 0;
  std::vector<bbx::Event> events;
};

TimedRun run_case(const std::string& name, const std::vector<std::string>& extra = {}) {
  static int counter = 0;
  auto runs = fresh_dir("runs-crash-" + std::to_string(++counter));
  std::vector<std::string> args{"run", "--runs-dir", runs.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("tests/cases/failing/" + name + ".yaml");
  TimedRun run;
  auto begun = Clock::now();
  run.result = run_bbx(args);
  run.seconds = std::chrono::duration<double>(Clock::now() - begun).count();
  for (const auto& entry : std::filesystem::directory_iterator(runs / "latest"))
    if (std::filesystem::exists(entry.path() / "events.jsonl"))
      run.events = bbx::testing::read_journal(entry.path() / "events.jsonl").events;
  return run;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::size_t count(const TimedRun& run, const std::string& type) {
  std::size_t n = 0;
  for (const auto& e : run.events) n += e.type == type;
  return n;
}

// Exit 1, soon, and the crash is the one failure printed.
void check_failed_at_once_with(const TimedRun& run, const std::string& crash) {
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
  CHECK(run.result.out.find("wait for file") == std::string::npos);  // the step cut short is no failure
  CHECK(count(run, "mark") == 0);                                    // later steps do not run
  bool step_cut_short = false;
  for (const auto& e : run.events)
    if (e.type == "step.end" && e.body.contains("cut_short"))
      step_cut_short = e.body["ok"] == false && e.body["cut_short"] == "subject 'app' exited with code 7";
  CHECK(step_cut_short);
  // The crash is journaled; the expectation that held passes, the one it cut short is skipped.
  CHECK(count(run, "assert.fail") == 1);
  CHECK(count(run, "assert.pass") == 1);
  REQUIRE(count(run, "assert.skip") == 1);
  for (const auto& e : run.events) {
    if (e.type == "assert.pass") CHECK(e.body["what"].get<std::string>().find("about to fail") != std::string::npos);
    if (e.type == "assert.skip") {
      CHECK(e.body["what"].get<std::string>().find("never printed") != std::string::npos);
      CHECK(e.body["reason"] == "subject 'app' exited with code 7");
    }
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
  bool killed = false;
  for (const auto& e : run.events)
    if (e.type == "command.exit") killed = e.body.value("signal", "") == "SIGKILL" && e.body["cut_short"] == true;
  CHECK(killed);
}

TEST_CASE("a subject crashing while a within: expectation waits fails at once, reported once") {
  auto run = run_case("crash_during_within");
  check_failed_at_once_with(run, kShellCrash);
  CHECK(run.result.out.find("request at fake") == std::string::npos);
  CHECK(count(run, "assert.skip") == 1);
}

TEST_CASE("a subject crashing while a later subject gets ready fails at once; that readiness is not judged") {
  auto run = run_case("crash_during_later_readiness");
  check_failed_at_once_with(run, kShellCrash);
  CHECK(run.result.out.find("readiness of subject 'late'") == std::string::npos);
  CHECK(count(run, "subject.ready") == 1);  // app's
}

TEST_CASE("a subject crashing after it was ready ends a sleep at once; nothing of the run is left") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    std::string marker = "crash-" + std::to_string(::getpid()) + "-" + iso;
    auto run = run_case("crash_after_ready", {"--isolation", iso, "--var", "marker=" + marker});
    check_failed_at_once_with(run,
                              "    subject 'app' is running\n"
                              "      expected: subject 'app' running\n"
                              "      actual:   exited with code 3; last output:\n");
    INFO(run.result.out);
    CHECK(run.result.out.find("    | exiting with code 3 after 500ms\n") != std::string::npos);
    CHECK_FALSE(marked_process_alive(marker));
  }
}
