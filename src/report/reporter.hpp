// Reporters: the views of a run that follow it as it happens (the console, summary.json,
// JUnit XML). The coordinator announces four events to one Reporter; the CLI decides which
// reporters a run has and composes them with a FanOutReporter. A reporter writes only to
// the streams and files it was given (or, for files inside the run directory, to the run
// directory it is told of); a new report format is a new Reporter, not a coordinator option.
//
// Events, all on the coordinator's thread, in this order:
//   run_started        once, after the run directory exists and before any runner starts;
//   scenario_started   when scenario `index`'s runner is started;
//   scenario_done      when its result is taken (in the order scenarios finish, which with
//                      -j N is not scenario order); only for scenarios that started;
//   tick               while scenarios run, about every 250 ms, with those running, to a
//                      reporter whose wants_ticks() is true (live views: status line, -v);
//   run_done           once, with every scenario's result in scenario order (those never
//                      started because the run was interrupted included) and the duration.
// An interrupted run still gets run_done. A run that fails in the harness before its
// summary is complete (the run directory cannot be made) may end without it.
//
// Failure: the events during the run (run_started, scenario_*) must not throw: runners are
// in flight. run_done may throw bbx::Error (harness) when its output cannot be written;
// a FanOutReporter then calls no later reporter.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bbx/outcome.hpp"
#include "bbx/scenario.hpp"

namespace bbx::report {

struct RunStart {
  std::string run_id;
  std::filesystem::path run_dir;
  std::span<const Scenario> scenarios;  // every scenario of the run, in order; valid until run_done
};

// A scenario whose runner is running, for tick().
struct RunningScenario {
  std::size_t index = 0;
  const Scenario* scenario = nullptr;
  std::filesystem::path dir;  // its directory: events.jsonl grows there
  std::chrono::steady_clock::time_point started;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual bool wants_ticks() const { return false; }
  virtual void tick(std::span<const RunningScenario> running) { (void)running; }
  virtual void run_started(const RunStart& run) { (void)run; }
  // `index` is the scenario's position in RunStart::scenarios.
  virtual void scenario_started(const Scenario& scenario, std::size_t index) { (void)scenario, (void)index; }
  virtual void scenario_done(const ScenarioResult& result, std::size_t index) { (void)result, (void)index; }
  virtual void run_done(const RunSummary& summary) { (void)summary; }
};

// Passes every event to each reporter added, in the order they were added. Owns them.
class FanOutReporter final : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter) { reporters_.push_back(std::move(reporter)); }

  bool wants_ticks() const override {
    for (const auto& r : reporters_)
      if (r->wants_ticks()) return true;
    return false;
  }
  void tick(std::span<const RunningScenario> running) override {
    for (auto& r : reporters_)
      if (r->wants_ticks()) r->tick(running);
  }
  void run_started(const RunStart& run) override {
    for (auto& r : reporters_) r->run_started(run);
  }
  void scenario_started(const Scenario& scenario, std::size_t index) override {
    for (auto& r : reporters_) r->scenario_started(scenario, index);
  }
  void scenario_done(const ScenarioResult& result, std::size_t index) override {
    for (auto& r : reporters_) r->scenario_done(result, index);
  }
  void run_done(const RunSummary& summary) override {
    for (auto& r : reporters_) r->run_done(summary);
  }

 private:
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace bbx::report
