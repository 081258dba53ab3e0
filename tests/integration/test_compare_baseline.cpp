// Baselines end to end: `bbx run --repeat N --baseline-out FILE` learns what N runs did,
// `bbx run --against FILE` fails on drift (behaviour, counts, numbers outside the learned
// distribution with the effect size) and passes unchanged runs; --repeat's attempts; bad
// input.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;
using nlohmann::json;

namespace {

const std::filesystem::path kDrift = "tests/cases/compare/drift.yaml";

CommandResult run(const std::filesystem::path& runs, std::vector<std::string> args) {
  std::vector<std::string> all{"run", "--runs-dir", runs.string(), "-j", "2", "--color", "never"};
  all.insert(all.end(), args.begin(), args.end());
  return run_bbx(all, std::chrono::seconds(120));
}

}  // namespace

TEST_CASE("a baseline learned from 10 runs passes --against for 20 more unchanged runs") {
  auto dir = fresh_dir("baseline_unchanged");
  auto file = dir / "baseline.json";
  auto learn = run(dir / "learn", {"--repeat", "10", "--baseline-out", file.string(), kDrift.string()});
  INFO(learn.out, learn.err);
  REQUIRE(learn.exit_code == 0);
  CHECK(learn.out.find("baseline: " + file.string() + " (1 scenario, 10 runs each)\n") != std::string::npos);
  auto text = read_file(file);
  auto doc = json::parse(text);
  CHECK(doc["format"] == "bbx-baseline");
  CHECK(doc["version"] == 2);
  CHECK(text == doc.dump(2) + "\n");  // keys sorted: the same behaviour writes the same file
  const auto& s = doc["scenarios"]["drift"];
  CHECK(s["runs"] == 10);
  CHECK(s["outcomes"]["verdict"]["value"] == "passed");
  CHECK(s["lanes"]["fake 'upstream' requests"]["items"].size() == 4);
  CHECK(s["counts"]["fake 'metrics' samples of fixture.latency|ms"]["min"] == 2);
  CHECK(s["numbers"]["subject 'app' ready after"]["n"] == 10);
  CHECK(s["numbers"]["subject 'app' ready after"]["median"].get<double>() > 0);
  if (std::filesystem::exists("/proc/pressure/cpu")) {  // how busy the machine was, from each run's scenario.end
    CHECK(s["cpu_pressure"]["n"] == 10);
    CHECK(s["cpu_pressure"]["median"].get<double>() >= 0);
    CHECK(s["cpu_pressure"]["max"].get<double>() <= 1);
  }

  auto again = run(dir / "again", {"--repeat", "20", "--against", file.string(), kDrift.string()});
  INFO(again.out, again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("20 scenarios compared: 0 differ, 20 same\n") != std::string::npos);
}

TEST_CASE("drifts fail --against in their layer; numbers by the learned distribution, with the effect size") {
  auto dir = fresh_dir("baseline_drifts");
  auto file = dir / "baseline.json";
  REQUIRE(run(dir / "learn", {"--repeat", "5", "--baseline-out", file.string(), kDrift.string()}).exit_code == 0);
  auto against = [&](const std::string& name, const std::string& flags, std::vector<std::string> options = {}) {
    std::vector<std::string> args{"--var", "drift=" + flags, "--against", file.string(), kDrift.string()};
    args.insert(args.begin(), options.begin(), options.end());
    auto r = run(dir / name, args);
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("1 scenario compared: 1 differs, 0 same\n") != std::string::npos);
    return normalised(r.out);
  };
  SUBCASE("an extra request") {
    auto out = against("extra", "--upstream-also=/extra");
    CHECK(out.find("  behaviour fake 'upstream' requests: +2 request \"GET /extra\" (0 in the baseline, 2 in this run)   [this run #N]\n") !=
          std::string::npos);
  }
  SUBCASE("a new error line") {
    auto out = against("error_line", "--log-line='error: disk almost full'");
    CHECK(out.find("  counts    subject 'app' stderr: new kind of line 'error: disk almost full' (1 line)   [this run #N]\n") !=
          std::string::npos);
  }
  SUBCASE("readiness 300 ms slower") {
    // As measured (a busier machine than the baseline's could explain 300 ms over ~10 ms).
    auto out = against("slow", "--listen-delay=300ms", {"--ignore-cpu-pressure"});
    auto at = out.find("  numbers   subject 'app' ready after: ");
    REQUIRE(at != std::string::npos);
    auto line = out.substr(at, out.find('\n', at) - at);
    CHECK(line.find(", outside the 99% interval ") != std::string::npos);
    CHECK(line.find(" of 5 baseline runs (median ") != std::string::npos);
    CHECK((line.find(" sigma)") != std::string::npos || line.find("the baseline runs were all equal") != std::string::npos));
  }
}

TEST_CASE("a baseline with fewer runs than the minimum says so instead of judging numbers") {
  auto dir = fresh_dir("baseline_few_runs");
  auto file = dir / "baseline.json";
  REQUIRE(run(dir / "learn", {"--repeat", "2", "--baseline-out", file.string(), kDrift.string()}).exit_code == 0);
  // The delay also logs a line (behaviour), but its 300 ms are not judged.
  auto r = run(dir / "slow", {"--var", "drift=--listen-delay=300ms", "--against", file.string(), kDrift.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("  note: the baseline has 2 runs of this scenario, fewer than 5: numbers are not judged") != std::string::npos);
  CHECK(r.out.find("  behaviour subject 'app' stderr: new line \"delaying listen by [DURATION]\"") != std::string::npos);
  CHECK(r.out.find("  numbers ") == std::string::npos);
}

TEST_CASE("--repeat keeps each attempt's directory and says which attempt each result is") {
  auto dir = fresh_dir("baseline_repeat");
  auto r = run(dir / "runs", {"--repeat", "3", kDrift.string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto latest = std::filesystem::canonical(dir / "runs" / "latest");
  auto summary = json::parse(read_file(latest / "summary.json"));
  REQUIRE(summary["scenarios"].size() == 3);
  CHECK(summary["scenarios"][0].contains("attempt") == false);
  CHECK(summary["scenarios"][1]["attempt"] == 2);
  CHECK(summary["scenarios"][2]["attempt"] == 3);
  CHECK(std::filesystem::exists(latest / "drift" / "events.jsonl"));
  CHECK(std::filesystem::exists(latest / "drift@2" / "events.jsonl"));
  CHECK(std::filesystem::exists(latest / "drift@3" / "events.jsonl"));
  // bbx diff pairs attempts with attempts.
  auto d = run_bbx({"diff", "--json", "--threshold", "2s", latest.string(), latest.string()});
  INFO(d.out, d.err);
  CHECK(d.exit_code == 0);
  auto j = json::parse(d.out);
  REQUIRE(j["scenarios"].size() == 3);
  CHECK(j["scenarios"][2]["id"] == "drift (attempt 3)");
}

TEST_CASE("a baseline is learned from passing runs only") {
  auto dir = fresh_dir("baseline_failing");
  auto yaml = write_file(dir / "fails.yaml", "name: fails\nsteps:\n  - command: [sh, -c, 'exit 3']\n");
  auto file = dir / "baseline.json";
  auto r = run(dir / "runs", {"--baseline-out", file.string(), yaml.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("baseline: not written to " + file.string() + ": 1 scenario run(s) did not pass") != std::string::npos);
}

TEST_CASE("baselines: bad input exits 2 before anything runs") {
  auto dir = fresh_dir("baseline_bad_input");
  auto r = run(dir / "runs", {"--against", (dir / "missing.json").string(), kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot read this baseline file") != std::string::npos);
  auto other = write_file(dir / "other.json", "{\"format\": \"bbx-diff\"}\n");
  r = run(dir / "runs", {"--against", other.string(), kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a baseline: expected \"format\": \"bbx-baseline\"") != std::string::npos);
  auto newer = write_file(dir / "newer.json", "{\"format\": \"bbx-baseline\", \"version\": 9, \"scenarios\": {}}\n");
  r = run(dir / "runs", {"--against", newer.string(), kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("baseline version 9 is not supported") != std::string::npos);
  r = run(dir / "runs", {"--against", newer.string(), "--baseline-out", (dir / "b.json").string(), kDrift.string()});
  CHECK(r.exit_code == 2);
  r = run(dir / "runs", {"--confidence", "0.9", kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("give --against FILE too") != std::string::npos);
  r = run(dir / "runs", {"--ignore-cpu-pressure", kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--confidence, --threshold and --ignore-cpu-pressure judge numbers against a baseline: give --against FILE too") !=
        std::string::npos);
  auto empty = write_file(dir / "empty.json", "{\"format\": \"bbx-baseline\", \"version\": 1, \"scenarios\": {}}\n");
  r = run(dir / "runs", {"--against", empty.string(), "--confidence", "2", kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--confidence: expected a probability between 0.5 and 0.9999") != std::string::npos);
  r = run(dir / "runs", {"--repeat", "0", kDrift.string()});
  CHECK(r.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "runs"));
  // A scenario the baseline does not hold is a difference.
  r = run(dir / "runs", {"--against", empty.string(), kDrift.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("drift: ran only in this run (") != std::string::npos);
}

TEST_CASE("a daemon's own noise is learned: a new figure where figures varied, lines that moved; a new line still fails") {
  const std::filesystem::path noise = "tests/cases/compare/noise.yaml";
  auto dir = fresh_dir("baseline_noise");
  auto file = dir / "baseline.json";
  // 16 runs: the two plugin lines come in both orders but with a chance of 2^-15.
  auto learn = run(dir / "learn", {"--repeat", "16", "--baseline-out", file.string(), noise.string()});
  INFO(learn.out, learn.err);
  REQUIRE(learn.exit_code == 0);
  auto doc = json::parse(read_file(file));
  const auto& lane = doc["scenarios"]["noise"]["lanes"]["subject 'app' stdout"];
  CHECK(lane["value_noise"] == json::array({"used_memory <#> bytes"}));
  CHECK(lane["floating"].size() == 1);
  CHECK_FALSE(lane.contains("varies"));

  auto again = run(dir / "again", {"--repeat", "10", "--against", file.string(), noise.string()});
  INFO(again.out, again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("10 scenarios compared: 0 differ, 10 same\n") != std::string::npos);

  auto drift = run(dir / "drift", {"--var", "drift=echo 'keys loaded: 3'", "--against", file.string(), noise.string()});
  INFO(drift.out, drift.err);
  CHECK(drift.exit_code == 1);
  CHECK(drift.out.find("  behaviour subject 'app' stdout: new line \"keys loaded: 3\"") != std::string::npos);
}
