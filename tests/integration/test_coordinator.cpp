// The coordinator through `bbx run`: parallel runners, JUnit output (its file checked before
// anything runs), a runner that dies becoming a harness error for its scenario while the
// others carry on, and the isolation mode each report names.
#include <doctest/doctest.h>

#include <unistd.h>

#include <csignal>
#include <set>

#include "harness.hpp"
#include "probes/proc_table.hpp"
#include "runner/isolation.hpp"

using namespace bbx::testing;

TEST_CASE("-j 2 runs scenarios in parallel runners and --junit reports each one") {
  auto dir = fresh_dir("coordinator-junit");
  auto junit = dir / "out.xml";
  auto r = run_bbx({"run", "-j", "2", "--runs-dir", (dir / "runs").string(), "--junit", junit.string(),
                    "scenarios/proxy_forwards.yaml", "tests/cases/failing/request_count_mismatch.yaml"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("2 scenarios: 1 passed, 1 failed") != std::string::npos);
  auto xml = read_file(junit);
  CHECK(xml.find("<testsuites name=\"bbx\" tests=\"2\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(xml.find("<testcase name=\"proxy forwards to upstream\"") != std::string::npos);
  // The failure's message is the headline: when, where in the journal and the scenario, what.
  CHECK(xml.find("<failure message=\"at +") != std::string::npos);
  CHECK(normalised(xml).find("(#N): request at fake &apos;upstream&apos;: GET /api/two "
                             "(tests/cases/failing/request_count_mismatch.yaml:15:14): expected exactly 1 matching, got 0 "
                             "matching; closest of 1 other request at &apos;upstream&apos;: GET /api/one (seq N): path "
                             "differs: expected /api/two, got /api/one\" type=\"expectation\">") != std::string::npos);
  CHECK(read_file(dir / "runs" / "latest" / "junit.xml") == xml);
}

TEST_CASE("a --junit FILE that cannot be written exits 2 before any scenario runs") {
  auto dir = fresh_dir("coordinator-junit-unwritable");
  auto junit = dir / "missing" / "out.xml";
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--junit", junit.string(),
                    "scenarios/proxy_forwards.yaml"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "bbx: cannot write JUnit XML to '" + junit.string() + "': No such file or directory\n");
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir / "runs"));  // no run directory: nothing ran
}

TEST_CASE("a runner killed mid-scenario is a harness error for its scenario only (exit 3)") {
  if (!bbx::runner::namespaces_available()) {
    MESSAGE("namespaces not available: skipped");
    return;
  }
  std::string marker = "bbx-runner-crash-" + std::to_string(::getpid());
  auto dir = fresh_dir("coordinator-crash");
  auto out = dir / "out.txt";
  pid_t bbx = start_bbx({"run", "-j", "2", "--isolation", "namespaces", "--runs-dir", (dir / "runs").string(), "--var",
                         "marker=" + marker, "tests/cases/passing/long_running.yaml", "scenarios/proxy_forwards.yaml"},
                        out);
  // Wait until the long scenario's subject runs and the short scenario has finished.
  auto long_runs_short_passed = [&] {
    return process_running_with("--log-line " + marker) && read_file(out).find("PASS") != std::string::npos;
  };
  wait_until(long_runs_short_passed, std::chrono::seconds(10));
  REQUIRE(process_running_with("--log-line " + marker));
  for (pid_t runner : bbx::probes::descendants_of(bbx, bbx::probes::read_proc_table())) ::kill(runner, SIGKILL);
  int code = wait_exit(bbx, std::chrono::seconds(60));
  auto text = read_file(out);
  INFO(text);
  CHECK(code == 3);
  CHECK(text.find("PASS  proxy forwards to upstream") != std::string::npos);
  CHECK(text.find("ERROR  long running") != std::string::npos);
  CHECK(text.find("runner process killed by SIGKILL") != std::string::npos);
  CHECK(text.find("2 scenarios: 1 passed, 0 failed, 1 error") != std::string::npos);
  // SIGKILL went to every process of the run at once; a dying process stays visible until the
  // kernel has torn it down, so "no survivor" is checked with a bound, not at one instant.
  CHECK(wait_until([&] { return !process_running_with("--log-line " + marker); }, std::chrono::seconds(5)));
}

TEST_CASE("summary.json and the console name the isolation mode that ran") {
  std::string automatic = bbx::runner::namespaces_available() ? "namespaces" : "none";
  for (auto [option, mode] : {std::pair<std::string, std::string>{"none", "none"}, {"", automatic}}) {
    CAPTURE(option);
    std::vector<std::string> options;
    if (!option.empty()) options = {"--isolation", option};
    auto runs = fresh_dir("coordinator-isolation-" + (option.empty() ? std::string("default") : option));
    auto run = run_scenario_file("scenarios/proxy_forwards.yaml", runs, options);
    INFO(run.result.out, run.result.err);
    REQUIRE(run.result.exit_code == 0);
    CHECK(run.result.out.find(" ms, " + mode + ")\n") != std::string::npos);
    CHECK(run.summary["isolation"] == nlohmann::json::array({mode}));
    CHECK(run.summary["scenarios"][0]["isolation"] == mode);
  }
}

// A runner that stops making progress (here: SIGSTOPped) is killed once its scenario's
// timeout, its subjects' grace periods and 30s have passed since its start: a harness error
// with the reason, never a run that hangs.
TEST_CASE("a hung runner is killed after its limit and reported, and bbx ends (exit 3)") {
  auto dir = fresh_dir("coordinator-hung");
  auto scenario = write_file(dir / "hung.yaml", "name: hung\ntimeout: 1s\nsteps:\n  - sleep: 500ms\n");
  auto out = dir / "out.txt";
  auto runs = dir / "runs";
  pid_t bbx = start_bbx({"run", "--isolation", "none", "--runs-dir", runs.string(), scenario.string()}, out);
  auto begun = std::chrono::steady_clock::now();
  auto journal = scenario_dir(runs, "hung") / "events.jsonl";
  wait_until([&] { return journal_has(journal, "step.begin"); }, std::chrono::seconds(10));
  for (pid_t runner : bbx::probes::descendants_of(bbx, bbx::probes::read_proc_table())) ::kill(runner, SIGSTOP);
  int code = wait_exit(bbx, std::chrono::seconds(60));
  auto took = std::chrono::steady_clock::now() - begun;
  if (code == -1) FAIL("bbx still running after 60 s");
  auto text = read_file(out);
  INFO(text);
  CHECK(code == 3);
  CHECK(took >= std::chrono::seconds(30));
  CHECK(text.find("ERROR  hung") != std::string::npos);
  CHECK(text.find("runner did not finish within 31s of its start (the scenario's timeout, its subjects' stop grace "
                  "periods and 30s); killed") != std::string::npos);
  CHECK_FALSE(process_running_with(runs.string()));
}

TEST_CASE("scenarios whose names map to one directory name each keep a directory of their own") {
  auto dir = fresh_dir("coordinator-dir-names");
  write_file(dir / "a.yaml", "name: x y\nsteps:\n  - mark: from x y\nexpect:\n  - file: {path: nope-a}\n");
  write_file(dir / "b.yaml", "name: x_y\nsteps:\n  - mark: from x_y\nexpect:\n  - file: {path: nope-b}\n");
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), (dir / "a.yaml").string(), (dir / "b.yaml").string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  auto summary = read_summary(dir / "runs");
  REQUIRE(summary["scenarios"].size() == 2);
  std::set<std::string> dirs;
  for (const auto& s : summary["scenarios"]) {
    std::filesystem::path d = s["dir"].get<std::string>();
    dirs.insert(d.filename().string());
    // each directory holds its own scenario's journal, and the console points at it
    auto journal = read_file(d / "events.jsonl");
    CHECK(journal.find("\"name\":\"" + s["id"].get<std::string>() + "\"") != std::string::npos);
    CHECK(r.out.find((d / "events.jsonl").string()) != std::string::npos);
  }
  CHECK(dirs == std::set<std::string>{"x_y", "x_y-2"});
}
