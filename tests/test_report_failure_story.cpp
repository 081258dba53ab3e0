// The failure story of a scenario, computed from a journal the live writer wrote (read back
// as a stored run): the first cause and its sentence, consequences, the tally from the plan,
// the timeline window (resource samples left out, counted) and the subjects' last lines; and
// from the result alone when there is no journal.
#include <doctest/doctest.h>

#include "assert_test_support.hpp"
#include "journal/stored_journal.hpp"
#include "report/failure_story.hpp"

using namespace bbx;
using namespace bbx::testing;
using journal::ev;

namespace {

nlohmann::json plan(std::size_t steps, std::vector<std::string> expectations) {
  nlohmann::json s = nlohmann::json::array();
  for (std::size_t i = 1; i <= steps; ++i) s.push_back({{"label", "step" + std::to_string(i)}, {"where", "s.yaml:" + std::to_string(10 + i) + ":5"}});
  return {{"id", "x"}, {"name", "x"}, {"file", "s.yaml"}, {"isolation", "none"}, {"steps", s}, {"expectations", expectations}};
}

std::uint64_t step_begin(journal::Journal& j, std::size_t index) {
  return j.append({"step", "step" + std::to_string(index), 0}, ev::step_begin,
                  {{"index", index}, {"where", "s.yaml:" + std::to_string(10 + index) + ":5"}});
}

std::uint64_t fail(journal::Journal& j, const std::string& what, const std::string& where, const std::string& kind,
                   std::vector<std::uint64_t> evidence = {}, const std::string& actual = "wrong") {
  return j.append({"assert", what, 0}, ev::assert_fail,
                  {{"what", what}, {"expected", "right"}, {"actual", actual}, {"where", where}, {"evidence", evidence}, {"kind", kind}});
}

std::uint64_t pass(journal::Journal& j, const std::string& what, const std::string& where) {
  return j.append({"assert", what, 0}, ev::assert_pass,
                  {{"what", what}, {"expected", "right"}, {"actual", "right"}, {"where", where}, {"evidence", nlohmann::json::array()}, {"kind", "expectation"}});
}

ScenarioResult failed(const std::filesystem::path& dir) {
  ScenarioResult r;
  r.id = r.name = "x";
  r.file = "s.yaml";
  r.verdict = Verdict::failed;
  r.dir = dir.string();
  return r;
}

// A run: subject 'shop' serves steps 1 and 2, exits 70 during step 3 after a SIGHUP from
// step 2; two expectations fail after it, one passes, one was skipped, one never checked.
struct CrashRun {
  std::filesystem::path dir = unit_temp_dir("story-crash");
  std::uint64_t exit_seq = 0, crash_seq = 0, signal_seq = 0;

  CrashRun() {
    journal::Journal j(dir / "events.jsonl");
    j.append({"scenario", "x", 0}, ev::scenario_begin, plan(5, {"s.yaml:20:5", "s.yaml:21:5", "s.yaml:22:5", "s.yaml:23:5", "s.yaml:24:5"}));
    j.append({"subject", "shop", 3}, ev::process_spawn, {{"argv", {"shop"}}});
    for (std::size_t i = 1; i <= 2; ++i) {
      step_begin(j, i);
      line(j, "shop", "stderr", "request " + std::to_string(i));
      if (i == 2) signal_seq = j.append({"subject", "shop", 3}, ev::process_signal, {{"signal", "SIGHUP"}});
      j.append({"step", "step" + std::to_string(i), 0}, ev::step_end, {{"ok", true}});
    }
    step_begin(j, 3);
    for (int i = 0; i < 3; ++i) j.append({"subject", "shop", 3}, ev::resource_sample, {{"rss_bytes", 1}});
    line(j, "shop", "stderr", "fatal: \x1b[31mgiving up\x1b[0m");
    exit_seq = j.append({"subject", "shop", 3}, ev::process_exit, {{"code", 70}, {"main", true}, {"describe", "exited with code 70"}});
    crash_seq = fail(j, "subject 'shop' is running", "s.yaml:5:3", "crash", {exit_seq}, "exited with code 70; last output:\n    | fatal");
    j.append({"step", "step3", 0}, ev::step_end, {{"ok", false}, {"cut_short", "subject 'shop' exited with code 70"}});
    j.append({"assert", "w", 0}, ev::assert_skip, {{"what", "w"}, {"where", "s.yaml:22:5"}, {"reason", "halted"}});
    fail(j, "request at fake 'up'", "s.yaml:20:5", "expectation", {});
    pass(j, "log", "s.yaml:21:5");
    fail(j, "exit of subject 'shop'", "s.yaml:23:5", "expectation", {exit_seq});
    j.append({"scenario", "x", 0}, ev::scenario_end, {{"verdict", "failed"}, {"message", "m"}});
  }
};

}  // namespace

TEST_CASE("a crash during a step: the first cause names it, its step, the signal before it and its last line") {
  CrashRun run;
  journal::StoredJournal stored(run.dir / "events.jsonl");
  auto story = report::tell_failure(failed(run.dir), &stored, {});
  REQUIRE(story.first);
  CHECK(story.first->check.kind == CheckKind::crash);
  CHECK(story.first->seq == run.crash_seq);
  CHECK(story.at_seq == run.exit_seq);
  CHECK(story.sentence.find("subject 'shop' exited with code 70 during step 3 'step3' (s.yaml:13:5), ") == 0);
  CHECK(story.sentence.find("ms after step 2 sent it SIGHUP (#" + std::to_string(run.signal_seq) + ")") != std::string::npos);
  CHECK(story.sentence.find("; its last line: \"fatal: giving up\"") != std::string::npos);  // without its escapes
  CHECK(story.headline().find("at +") == 0);
  CHECK(story.headline().find("s (#" + std::to_string(run.exit_seq) + "): subject 'shop'") != std::string::npos);
  CHECK(story.where.to_string() == "s.yaml:13:5");  // the step it crashed during
  // Everything after a crash is its likely consequence.
  REQUIRE(story.others.size() == 2);
  CHECK(story.others[0].consequence);
  CHECK(story.others[1].consequence);
  CHECK(story.consequences() == 2);
  CHECK(story.tally.text() == "5 expectations: 1 passed, 2 failed, 1 skipped, 1 not checked; 5 steps: 1–2 passed, 3 cut short, 4–5 not run");
  CHECK_FALSE(story.cpu_pressure);  // its scenario.end has none
}

TEST_CASE("how busy the machine was comes from scenario.end's cpu_pressure") {
  auto dir = unit_temp_dir("story-busy");
  {
    journal::Journal j(dir / "events.jsonl");
    j.append({"scenario", "x", 0}, ev::scenario_begin, plan(1, {"s.yaml:20:5"}));
    step_begin(j, 1);
    fail(j, "request at fake 'up'", "s.yaml:20:5", "timeout");
    j.append({"scenario", "x", 0}, ev::scenario_end, {{"verdict", "failed"}, {"message", "m"}, {"cpu_pressure", 0.71}});
  }
  journal::StoredJournal stored(dir / "events.jsonl");
  auto story = report::tell_failure(failed(dir), &stored, {});
  REQUIRE(story.cpu_pressure);
  CHECK(*story.cpu_pressure == doctest::Approx(0.71));
}

TEST_CASE("the timeline window is centred on the cause, leaves resource samples out and counts them") {
  CrashRun run;
  journal::StoredJournal stored(run.dir / "events.jsonl");
  report::StoryOptions options;
  options.context = 8;  // 6 up to and with the cause, 2 after it
  auto story = report::tell_failure(failed(run.dir), &stored, options);
  REQUIRE(story.window.size() == 8);
  CHECK(story.window_to == run.exit_seq + 2);
  CHECK(story.window_left_out == 3);
  CHECK(story.window[5].find("#" + std::to_string(run.exit_seq) + "  [shop]  pid 3 exited with code 70") != std::string::npos);
  for (const auto& line : story.window) CHECK(line.find("rss") == std::string::npos);
  CHECK(story.journal_events == stored.size());
  // The subject's last lines, up to the end of the window or the first failure.
  REQUIRE(story.tails.size() == 1);
  CHECK(story.tails[0].subject == "shop");
  CHECK(story.tails[0].lines == 3);
  CHECK(story.tails[0].texts.back() == "fatal: giving up");
  CHECK(story.tails[0].streams.back() == "stderr");
  options.context = 0;
  CHECK(report::tell_failure(failed(run.dir), &stored, options).window.empty());
}

TEST_CASE("a failed expectation first: the others are independent, the cause is placed at its evidence") {
  auto dir = unit_temp_dir("story-expectation");
  std::uint64_t request = 0;
  {
    journal::Journal j(dir / "events.jsonl");
    j.append({"scenario", "x", 0}, ev::scenario_begin, plan(1, {"s.yaml:20:5", "s.yaml:21:5"}));
    step_begin(j, 1);
    request = j.append({"fake", "up", 0}, ev::http_request, {{"method", "GET"}, {"target", "/a"}});
    j.append({"step", "step1", 0}, ev::step_end, {{"ok", true}});
    fail(j, "request at fake 'up': GET /b", "s.yaml:20:5", "expectation", {request}, "0 matching; closest ...\n    | more");
    fail(j, "log", "s.yaml:21:5", "expectation");
  }
  journal::StoredJournal stored(dir / "events.jsonl");
  auto story = report::tell_failure(failed(dir), &stored, {});
  REQUIRE(story.first);
  CHECK(story.sentence == "request at fake 'up': GET /b (s.yaml:20:5): expected right, got 0 matching; closest ...");
  CHECK(story.at_seq == request);
  REQUIRE(story.others.size() == 1);
  CHECK_FALSE(story.others[0].consequence);
  CHECK(story.tally.text() == "2 expectations: 0 passed, 2 failed; 1 step passed");
}

TEST_CASE("without a journal the story is told from the result: its checks or its message") {
  auto r = failed(unit_temp_dir("story-none"));
  CheckResult c;
  c.what = "readiness of subject 'app'";
  c.expected = "ready";
  c.actual = "subject 'app' not ready within 1s: x\n    | line";
  c.where = {"s.yaml", 4, 3};
  c.kind = CheckKind::readiness;
  CheckResult exit;
  exit.what = "exit";
  exit.expected = "0";
  exit.actual = "1";
  r.checks = {c, exit};
  auto story = report::tell_failure(r, {});
  CHECK(story.journal_note.find("no journal at ") == 0);
  REQUIRE(story.first);
  CHECK(story.at_seq == 0);
  CHECK(story.headline() == "readiness of subject 'app' (s.yaml:4:3): expected ready, got subject 'app' not ready within 1s: x");
  REQUIRE(story.others.size() == 1);
  CHECK(story.others[0].consequence);
  auto error = failed({});
  error.verdict = Verdict::error;
  error.message = "runner process killed by SIGKILL";
  auto told = report::tell_failure(error, {});
  CHECK_FALSE(told.first);
  CHECK(told.headline() == "runner process killed by SIGKILL");
}

TEST_CASE("the tally: ranges of steps by what became of them, 'passed' when all did") {
  report::Tally t;
  t.planned = true;
  t.expectations = 3;
  t.passed = 3;
  using S = report::StepState;
  t.steps = {S::passed, S::passed};
  CHECK(t.text() == "3 expectations: 3 passed, 0 failed; 2 steps passed");
  t.steps = {S::passed, S::failed, S::not_run, S::not_run, S::not_run};
  CHECK(t.text() == "3 expectations: 3 passed, 0 failed; 5 steps: 1 passed, 2 failed, 3–5 not run");
  t.steps = {S::unfinished};
  t.expectations = 0;
  t.passed = 0;
  CHECK(t.text() == "0 expectations; 1 step: 1 did not finish");
}

TEST_CASE("the other checks of the failed step are not its consequences; what follows the step is") {
  auto dir = unit_temp_dir("story-same-step");
  {
    journal::Journal j(dir / "events.jsonl");
    j.append({"scenario", "x", 0}, ev::scenario_begin, plan(1, {"s.yaml:20:5"}));
    step_begin(j, 1);
    fail(j, "step 'step1' header Content-Type", "s.yaml:12:23", "step");
    fail(j, "step 'step1' header X-Request-Id", "s.yaml:13:23", "step");
    j.append({"step", "step1", 0}, ev::step_end, {{"ok", false}});
    fail(j, "request at fake 'up': GET /b", "s.yaml:20:5", "expectation");
  }
  journal::StoredJournal stored(dir / "events.jsonl");
  auto story = report::tell_failure(failed(dir), &stored, {});
  REQUIRE(story.first);
  CHECK(story.first->check.what == "step 'step1' header Content-Type");
  REQUIRE(story.others.size() == 2);
  CHECK_FALSE(story.others[0].consequence);  // the same response's other header
  CHECK(story.others[1].consequence);        // the expectation after the failed step
  CHECK(story.consequences() == 1);
}
