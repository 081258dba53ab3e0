// The reports CI systems read: TAP 14 that `prove` consumes, the JSON report valid against
// its schema, and shards that merge into the unsharded run.
#include <doctest/doctest.h>

#include <map>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kPassing = R"(name: reports pass
subjects:
  app:
    command: [bbx-fixture, --listen, "${ports.web}"]
    ready: {listening: "${ports.web}", within: 5s}
steps:
  - http: {get: "http://127.0.0.1:${ports.web}/health"}
    expect: {status: 200}
)";

const char* kFailing = R"(name: "reports fail # with a hash"
subjects:
  app:
    command: [bbx-fixture, --log-line, "hello"]
    ready: {log: hello, within: 5s}
expect:
  - log: {subject: app, matches: "never said", count: 1}
)";

std::map<std::string, std::string> verdicts_of(const nlohmann::json& report) {
  std::map<std::string, std::string> out;
  for (const auto& s : report["scenarios"]) out[s["id"].get<std::string>()] = s["verdict"].get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("--tap and --json: prove reads the TAP; the JSON report validates against its schema") {
  auto dir = fresh_dir("reports-tap-json");
  write_file(dir / "pass.yaml", kPassing);
  write_file(dir / "fail.yaml", kFailing);
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--tap", (dir / "run.tap").string(), "--json",
                    (dir / "report.json").string(), (dir / "pass.yaml").string(), (dir / "fail.yaml").string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  auto tap = read_file(dir / "run.tap");
  CHECK(tap.rfind("TAP version 14\n1..2\n", 0) == 0);
  CHECK(tap.find("not ok 2 - reports fail \\# with a hash") != std::string::npos);
  auto prove = run_command({"/usr/bin/prove", "--exec", "cat", (dir / "run.tap").string()});
  INFO(prove.out, prove.err);
  CHECK(prove.exit_code != 0);  // one test point failed
  CHECK(prove.out.find("Failed 1/2 subtests") != std::string::npos);

  auto report = nlohmann::json::parse(read_file(dir / "report.json"));
  CHECK(report["format"] == "bbx-report");
  CHECK(report["counts"]["failed"] == 1);
  CHECK(report == read_summary(dir / "runs"));  // the same document as summary.json
  auto modules = std::filesystem::path(BBX_BINARY_DIR) / "node" / "node_modules";
  if (!std::filesystem::exists(modules / "ajv")) {
    MESSAGE("skipped the schema check: Ajv is not in " << modules.string() << " (scripts/test installs it)");
    return;
  }
  auto ajv = run_command({"/usr/bin/env", "node", "tests/integration/ajv_check.js", modules.string(),
                          "schema/bbx-report.schema.json", (dir / "report.json").string()});
  INFO(ajv.out, ajv.err);
  CHECK(ajv.out == "valid " + (dir / "report.json").string() + "\n");
}

TEST_CASE("--tap - writes TAP on stdout and the console on stderr") {
  auto dir = fresh_dir("reports-tap-stdout");
  write_file(dir / "pass.yaml", kPassing);
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--tap", "-", (dir / "pass.yaml").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("TAP version 14\n1..1\nok 1 - reports pass # time=", 0) == 0);
  CHECK(r.err.find("1 scenario: 1 passed") != std::string::npos);
}

TEST_CASE("two shards of scenarios/ merge into the unsharded run's verdicts, with or without durations") {
  auto dir = fresh_dir("reports-shards");
  auto whole = run_bbx({"run", "--runs-dir", (dir / "whole").string(), "scenarios/"}, std::chrono::seconds(180));
  REQUIRE(whole.exit_code == 0);
  auto expected = verdicts_of(read_summary(dir / "whole"));
  for (bool balanced : {false, true}) {
    std::vector<std::string> extra;
    if (balanced) extra = {"--durations", (dir / "whole" / "latest" / "summary.json").string()};
    std::size_t ran = 0;
    for (const char* k : {"1/2", "2/2"}) {
      std::vector<std::string> args{"run", "--runs-dir", (dir / ("shard" + std::string(k, 1) + (balanced ? "b" : ""))).string(),
                                    "--shard", k};
      args.insert(args.end(), extra.begin(), extra.end());
      args.push_back("scenarios/");
      auto r = run_bbx(args, std::chrono::seconds(180));
      INFO(r.out, r.err);
      REQUIRE(r.exit_code == 0);
      ran += read_summary(dir / ("shard" + std::string(k, 1) + (balanced ? "b" : "")))["scenarios"].size();
    }
    CHECK(ran == expected.size());  // each scenario ran in exactly one shard
    auto merged = run_bbx({"merge", "--json", (dir / "merged.json").string(), (dir / ("shard1" + std::string(balanced ? "b" : ""))).string(),
                           (dir / ("shard2" + std::string(balanced ? "b" : ""))).string()});
    INFO(merged.out, merged.err);
    CHECK(merged.exit_code == 0);
    CHECK(verdicts_of(nlohmann::json::parse(read_file(dir / "merged.json"))) == expected);
  }
}

TEST_CASE("bbx merge of a passing and a failing attempt of one scenario reports it flaky (exit 1)") {
  auto dir = fresh_dir("reports-flaky-merge");
  write_file(dir / "pass" / "s.yaml", replaced(kPassing, "reports pass", "same id"));
  write_file(dir / "fail" / "s.yaml", replaced(kFailing, "\"reports fail # with a hash\"", "same id"));
  REQUIRE(run_bbx({"run", "--runs-dir", (dir / "a").string(), (dir / "pass" / "s.yaml").string()}).exit_code == 0);
  REQUIRE(run_bbx({"run", "--runs-dir", (dir / "b").string(), (dir / "fail" / "s.yaml").string()}).exit_code == 1);
  auto merged = run_bbx({"merge", "--junit", (dir / "junit.xml").string(), (dir / "a").string(), (dir / "b").string()});
  INFO(merged.out, merged.err);
  CHECK(merged.exit_code == 1);
  CHECK(merged.out.find("FLAKY  same id") != std::string::npos);
  CHECK(merged.out.find("1 flaky") != std::string::npos);
  CHECK(read_file(dir / "junit.xml").find("<property name=\"flaky\" value=\"same id\"/>") != std::string::npos);
}

TEST_CASE("bad report options are refused before anything runs") {
  auto dir = fresh_dir("reports-bad-options");
  write_file(dir / "pass.yaml", kPassing);
  auto tap = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--tap", "/nonexistent/x.tap", (dir / "pass.yaml").string()});
  CHECK(tap.exit_code == 2);
  CHECK(tap.err == "bbx: cannot write TAP to '/nonexistent/x.tap': No such file or directory\n");
  CHECK_FALSE(std::filesystem::exists(dir / "runs"));
  auto shard = run_bbx({"run", "--shard", "3/2", (dir / "pass.yaml").string()});
  CHECK(shard.exit_code == 2);
  CHECK(shard.err.find("--shard: expected K/N with 1 <= K <= N <= 1000") != std::string::npos);
  auto merge = run_bbx({"merge", dir.string()});
  CHECK(merge.exit_code == 2);
  CHECK(merge.err.find("no summary.json here") != std::string::npos);
}

TEST_CASE("--keep-runs N keeps the N newest runs and removes only older run directories") {
  auto dir = fresh_dir("reports-keep-runs");
  write_file(dir / "pass.yaml", kPassing);
  auto runs = dir / "runs";
  std::filesystem::create_directories(runs / "notes");  // not a run: never touched
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(run_bbx({"run", "--runs-dir", runs.string(), "--keep-runs", "2", (dir / "pass.yaml").string()}).exit_code == 0);
    ids.push_back(read_summary(runs)["run_id"].get<std::string>());
  }
  CHECK_FALSE(std::filesystem::exists(runs / ids[0]));
  CHECK_FALSE(std::filesystem::exists(runs / ids[1]));
  CHECK(std::filesystem::exists(runs / ids[2]));
  CHECK(std::filesystem::exists(runs / ids[3] / "summary.json"));
  CHECK(std::filesystem::exists(runs / "notes"));
  CHECK(run_bbx({"run", "--runs-dir", runs.string(), "--keep-runs", "0", (dir / "pass.yaml").string()}).exit_code == 2);
}
