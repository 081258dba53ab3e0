// A reporter seen through "one result per scenario": with `bbx run --repeat N` a run holds N
// results of each scenario (attempt 1 of each, then attempt 2, ...); the reports CI systems
// read (console tally, JUnit, TAP, --json) want one verdict each. This decorator passes
// every event through unchanged except run_done, whose summary it folds with merge_runs
// (report/merge.hpp): the same verdict in every attempt keeps the last attempt's result;
// passed in some and failed in others is flaky. A run without repeated ids is passed as is.
// summary.json keeps every attempt (it is not wrapped).
#pragma once

#include <memory>

#include "report/reporter.hpp"

namespace bbx::report {

class AttemptsFolded final : public Reporter {
 public:
  explicit AttemptsFolded(std::unique_ptr<Reporter> inner) : inner_(std::move(inner)) {}
  bool wants_ticks() const override { return inner_->wants_ticks(); }
  void tick(std::span<const RunningScenario> running) override { inner_->tick(running); }
  void run_started(const RunStart& run) override { inner_->run_started(run); }
  void scenario_started(const Scenario& scenario, std::size_t index) override { inner_->scenario_started(scenario, index); }
  void scenario_done(const ScenarioResult& result, std::size_t index) override { inner_->scenario_done(result, index); }
  void run_done(const RunSummary& summary) override;

 private:
  std::unique_ptr<Reporter> inner_;
};

// The summary with one result per scenario id (see above); the run's id, directory, duration
// and interruption kept.
RunSummary fold_attempts(const RunSummary& summary);

}  // namespace bbx::report
