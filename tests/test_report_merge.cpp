// Merging runs: shards add up; attempts of one scenario count once, disagreeing ones as flaky;
// the runs folded are counted.
#include <doctest/doctest.h>

#include "report/merge.hpp"

using namespace bbx;

namespace {

ScenarioResult result(const std::string& id, Verdict v, const std::string& message = "") {
  ScenarioResult r;
  r.id = r.name = id;
  r.verdict = v;
  r.message = message;
  return r;
}

RunSummary run(const std::string& id, std::vector<ScenarioResult> results) {
  RunSummary s;
  s.run_id = id;
  s.run_dir = "runs/" + id;
  s.duration_ns = 1'000'000;
  s.results = std::move(results);
  return s;
}

}  // namespace

TEST_CASE("shards add up in the order scenarios first appear") {
  auto m = report::merge_runs({run("r1", {result("a", Verdict::passed), result("c", Verdict::failed, "boom")}),
                               run("r2", {result("b", Verdict::passed)})});
  REQUIRE(m.results.size() == 3);
  CHECK(m.results[0].id == "a");
  CHECK(m.results[1].id == "c");
  CHECK(m.results[2].id == "b");
  CHECK(m.run_id == "r1");
  CHECK(m.duration_ns == 2'000'000);
  CHECK(m.runs == 0);  // each scenario ran once: nothing folded
}

TEST_CASE("attempts that agree keep the last one; attempts that disagree are flaky and cite a failure") {
  auto same = report::merge_runs({run("r1", {result("a", Verdict::failed, "first")}),
                                  run("r2", {result("a", Verdict::failed, "second")})});
  REQUIRE(same.results.size() == 1);
  CHECK(same.results[0].verdict == Verdict::failed);
  CHECK(same.results[0].message == "second");
  auto flaky = report::merge_runs({run("r1", {result("a", Verdict::passed)}), run("r2", {result("a", Verdict::failed, "boom")}),
                                   run("r3", {result("a", Verdict::passed)})});
  REQUIRE(flaky.results.size() == 1);
  CHECK(flaky.results[0].verdict == Verdict::flaky);
  CHECK(flaky.results[0].message == "flaky: passed 2 of 3 attempts; a failed one: boom");
  CHECK(flaky.runs == 3);
  CHECK(report::merge_runs({flaky, run("r4", {result("a", Verdict::passed)})}).runs == 4);  // a folded run counts its runs
}
