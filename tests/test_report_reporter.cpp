// FanOutReporter: every event to every reporter, in the order they were added.
#include <doctest/doctest.h>

#include "bbx/error.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

class FailingAtRunDone final : public report::Reporter {
 public:
  void run_done(const RunSummary&) override { fail_harness("cannot write"); }
};

}  // namespace

TEST_CASE("a fan-out passes each event to its reporters in the order they were added") {
  std::vector<std::string> log;
  report::FanOutReporter fan;
  fan.add(std::make_unique<RecordingReporter>("a", log));
  fan.add(std::make_unique<RecordingReporter>("b", log));
  std::vector<Scenario> scenarios(1);
  fan.run_started({"r1", "runs/r1", scenarios});
  fan.scenario_started(scenarios[0], 0);
  fan.scenario_done(passed_result(), 0);
  fan.run_done(summary_of({passed_result()}));
  CHECK(log == std::vector<std::string>{"a:run_started:r1", "b:run_started:r1", "a:scenario_started:0",
                                        "b:scenario_started:0", "a:scenario_done:0:proxy forwards",
                                        "b:scenario_done:0:proxy forwards", "a:run_done:r1", "b:run_done:r1"});
}

TEST_CASE("a reporter failing at run_done stops the fan-out there and the error reaches the caller") {
  std::vector<std::string> log;
  report::FanOutReporter fan;
  fan.add(std::make_unique<RecordingReporter>("a", log));
  fan.add(std::make_unique<FailingAtRunDone>());
  fan.add(std::make_unique<RecordingReporter>("c", log));
  CHECK_THROWS_AS(fan.run_done(summary_of({})), Error);
  CHECK(log == std::vector<std::string>{"a:run_done:r1"});
}

TEST_CASE("an empty fan-out accepts every event") {
  report::FanOutReporter fan;
  fan.run_started({"r1", "runs/r1", {}});
  fan.run_done(summary_of({}));
}
