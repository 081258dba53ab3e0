// Folding repeated attempts for the reports CI reads: one result per scenario, flaky when
// attempts disagree; every other event and a run without repeats pass through unchanged.
#include <doctest/doctest.h>

#include "report/attempts_folded.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

class Keep final : public report::Reporter {
 public:
  explicit Keep(RunSummary& out, std::vector<std::string>& log) : out_(out), log_(log) {}
  void scenario_done(const ScenarioResult& r, std::size_t index) override {
    log_.push_back(r.id + "#" + std::to_string(index));
  }
  void run_done(const RunSummary& s) override { out_ = s; }

 private:
  RunSummary& out_;
  std::vector<std::string>& log_;
};

}  // namespace

TEST_CASE("four attempts, alternately passing and failing, are one flaky result; scenario_done sees every attempt") {
  auto pass = passed_result();
  auto fail = failed_result();
  fail.id = fail.name = pass.id;
  RunSummary seen;
  std::vector<std::string> log;
  report::AttemptsFolded folded(std::make_unique<Keep>(seen, log));
  auto run = summary_of({pass, fail, pass, fail});
  for (std::size_t i = 0; i < run.results.size(); ++i) folded.scenario_done(run.results[i], i);
  folded.run_done(run);
  CHECK(log.size() == 4);
  REQUIRE(seen.results.size() == 1);
  CHECK(seen.results[0].verdict == Verdict::flaky);
  CHECK(seen.results[0].message == "flaky: passed 2 of 4 attempts; a failed one: " + fail.message);
  CHECK(seen.run_id == run.run_id);
}

TEST_CASE("a run without repeated ids is passed through as it is") {
  auto run = summary_of({passed_result(), failed_result()});
  auto folded = report::fold_attempts(run);
  REQUIRE(folded.results.size() == 2);
  CHECK(folded.results[0].id == run.results[0].id);
  CHECK(folded.results[1].verdict == Verdict::failed);
  CHECK(folded.duration_ns == run.duration_ns);
}
