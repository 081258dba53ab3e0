// Flake hunting through `bbx run`: --rerun-failed runs again only what did not pass in the
// latest run; --until-fail repeats whole runs until one fails; --repeat's attempts that
// disagree are one flaky result in every report CI reads.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const std::string kPass = "name: steady\nsteps:\n  - mark: fine\n";
const std::string kFail = "name: broken\nsteps:\n  - command: [\"false\"]\n";
const std::string kFixed = "name: broken\nsteps:\n  - command: [\"true\"]\n";

}  // namespace

TEST_CASE("--rerun-failed runs only the scenarios the latest run did not pass, until there is nothing left") {
  auto dir = fresh_dir("rerun-failed");
  auto runs = (dir / "runs").string();
  write_file(dir / "s/a.yaml", kPass);
  write_file(dir / "s/b.yaml", kFail);
  auto scenarios = (dir / "s").string();

  auto r = run_bbx({"run", "--rerun-failed", "--runs-dir", runs, scenarios});
  CHECK(r.exit_code == 2);  // no earlier run
  CHECK(r.err == "bbx: --rerun-failed: no earlier run in " + runs + " (no latest/summary.json)\n");

  r = run_bbx({"run", "--runs-dir", runs, scenarios});
  CHECK(r.exit_code == 1);
  r = run_bbx({"run", "--rerun-failed", "--runs-dir", runs, scenarios});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL  broken") != std::string::npos);
  CHECK(r.out.find("steady") == std::string::npos);
  CHECK(r.out.find("1 scenario: 0 passed, 1 failed") != std::string::npos);

  write_file(dir / "s/b.yaml", kFixed);
  r = run_bbx({"run", "--rerun-failed", "--runs-dir", runs, scenarios});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("1 scenario: 1 passed, 0 failed") != std::string::npos);
  r = run_bbx({"run", "--rerun-failed", "--runs-dir", runs, scenarios});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "--rerun-failed: every scenario of the latest run (" + runs + "/latest) passed; nothing to rerun\n");
}

TEST_CASE("--rerun-failed says which failed scenarios the selection no longer holds") {
  auto dir = fresh_dir("rerun-failed-gone");
  auto runs = (dir / "runs").string();
  write_file(dir / "s/a.yaml", kPass);
  write_file(dir / "s/b.yaml", kFail);
  CHECK(run_bbx({"run", "--runs-dir", runs, (dir / "s").string()}).exit_code == 1);
  auto r = run_bbx({"run", "--rerun-failed", "--runs-dir", runs, (dir / "s/a.yaml").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bbx: --rerun-failed: none of the 1 scenarios that did not pass in run ") == 0);
  CHECK(r.err.find(" is in this selection: 'broken'\n") != std::string::npos);
}

namespace {

// dir/s.yaml: one command step that counts its runs in dir/count (n, from 1) and passes when
// `test` (a shell test of $n) holds.
std::filesystem::path counting_scenario(const std::filesystem::path& dir, const std::string& name,
                                        const std::string& test) {
  auto counter = (dir / "count").string();
  return write_file(dir / "s.yaml", "name: " + name + "\nsteps:\n  - command: [sh, -c, \"n=$(cat " + counter +
                                        " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "; " + test +
                                        "\"]\n");
}

}  // namespace

TEST_CASE("--until-fail N runs whole runs until one does not pass, each with its own run directory") {
  auto dir = fresh_dir("until-fail");
  auto counter = dir / "count";
  // Passes twice, then fails: the third run is the one that stops the hunt.
  auto file = counting_scenario(dir, "third time fails", "[ $n -lt 3 ]");
  auto r = run_bbx({"run", "--until-fail", "10", "--runs-dir", (dir / "runs").string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("--until-fail: run 3 of at most 10\n") != std::string::npos);
  CHECK(r.out.find("--until-fail: run 3 did not pass; stopping\n") != std::string::npos);
  CHECK(r.out.find("run 4 of") == std::string::npos);
  CHECK(read_file(counter) == "3\n");
  std::size_t runs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "runs"))
    runs += e.is_directory() && !e.is_symlink();
  CHECK(runs == 3);

  std::filesystem::remove(counter);
  r = run_bbx({"run", "--until-fail", "2", "--runs-dir", (dir / "runs2").string(), file.string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--until-fail: all 2 runs passed\n") != std::string::npos);
}

TEST_CASE("--repeat 4 of a scenario that fails on alternate attempts reports it flaky in the console, JUnit, TAP and JSON") {
  auto dir = fresh_dir("repeat-flaky");
  auto counter = dir / "count";
  // Attempts 1 and 3 fail, 2 and 4 pass.
  auto file = counting_scenario(dir, "alternating", "[ $((n % 2)) -eq 0 ]");
  auto r = run_bbx({"run", "--repeat", "4", "-j", "1", "--runs-dir", (dir / "runs").string(), "--junit",
                    (dir / "junit.xml").string(), "--tap", (dir / "out.tap").string(), "--json",
                    (dir / "report.json").string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(read_file(counter) == "4\n");
  CHECK(r.out.find("1 scenario, 4 runs: 0 passed, 0 failed, 1 flaky") != std::string::npos);
  auto junit = read_file(dir / "junit.xml");
  CHECK(junit.find("<property name=\"flaky\" value=\"alternating\"/>") != std::string::npos);
  CHECK(junit.find("tests=\"1\"") != std::string::npos);
  CHECK(read_file(dir / "out.tap").find("flaky") != std::string::npos);
  auto report = nlohmann::json::parse(read_file(dir / "report.json"));
  REQUIRE(report["scenarios"].size() == 1);
  CHECK(report["scenarios"][0]["verdict"] == "flaky");
  // summary.json keeps every attempt.
  CHECK(read_summary(dir / "runs")["scenarios"].size() == 4);
}
