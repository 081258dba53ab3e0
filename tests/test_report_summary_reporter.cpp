// SummaryReporter: <run-dir>/summary.json at run_done, written atomically.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "assert_test_support.hpp"
#include "report/summary_reporter.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

TEST_CASE("the summary reporter writes summary.json into the run directory at run_done only") {
  auto dir = unit_temp_dir("reporters-summary");
  report::SummaryReporter reporter;
  std::vector<Scenario> scenarios(2);
  reporter.run_started({"r1", dir, scenarios});
  reporter.scenario_done(passed_result(), 0);
  CHECK_FALSE(std::filesystem::exists(dir / "summary.json"));
  reporter.run_done(summary_of({passed_result(), failed_result()}, dir.string()));
  auto json = nlohmann::json::parse(std::ifstream(dir / "summary.json"));
  CHECK(json["run_id"] == "r1");
  CHECK(json["counts"]["total"] == 2);
  CHECK(json["counts"]["failed"] == 1);
  CHECK(json["scenarios"][1]["checks"][0]["actual"] == "0 matching");  // without escapes
  CHECK_FALSE(std::filesystem::exists(dir / "summary.json.tmp"));
}

TEST_CASE("a run directory that cannot be written is a harness error at run_done") {
  auto dir = unit_temp_dir("reporters-summary-missing") / "gone";
  report::SummaryReporter reporter;
  try {
    reporter.run_done(summary_of({}, dir.string()));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::harness);
    CHECK(e.message().find(dir.string()) != std::string::npos);
  }
}
