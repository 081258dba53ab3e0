// Helpers for the reporter unit tests: results of a passing and a failing scenario, a run
// summary holding them, and a recording reporter.
#pragma once

#include <string>
#include <vector>

#include "bbx/outcome.hpp"
#include "report/reporter.hpp"

namespace bbx::testing {

inline ScenarioResult passed_result() {
  ScenarioResult r;
  r.id = "proxy forwards";
  r.name = r.id;
  r.file = "s/proxy.yaml";
  r.verdict = Verdict::passed;
  r.isolation = "none";
  r.duration_ns = 12'000'000;
  r.dir = "runs/r1/proxy_forwards";
  return r;
}

inline ScenarioResult failed_result() {
  ScenarioResult r;
  r.id = "counts";
  r.name = r.id;
  r.file = "s/counts.yaml";
  r.verdict = Verdict::failed;
  r.isolation = "namespaces";
  r.duration_ns = 250'000'000;
  r.message = "request at fake 'up': expected exactly 1, got 0";
  r.dir = "runs/r1/counts";
  CheckResult c;
  c.what = "request at fake 'up'";
  c.expected = "exactly 1";
  c.actual = "0 \x1b[31mmatching\x1b[0m";
  c.where.path = "s/counts.yaml";
  c.where.line = 7;
  c.where.column = 3;
  c.evidence = {4, 9};
  r.checks.push_back(c);
  return r;
}

inline RunSummary summary_of(std::vector<ScenarioResult> results, const std::string& run_dir = "runs/r1") {
  RunSummary s;
  s.run_id = "r1";
  s.run_dir = run_dir;
  s.results = std::move(results);
  s.duration_ns = 1'500'000'000;
  return s;
}

// Appends "<name>:<event>[:<index or id>]" to a shared log for every event.
class RecordingReporter final : public report::Reporter {
 public:
  RecordingReporter(std::string name, std::vector<std::string>& log) : name_(std::move(name)), log_(log) {}
  void run_started(const report::RunStart& run) override { log_.push_back(name_ + ":run_started:" + run.run_id); }
  void scenario_started(const Scenario&, std::size_t index) override {
    log_.push_back(name_ + ":scenario_started:" + std::to_string(index));
  }
  void scenario_done(const ScenarioResult& result, std::size_t index) override {
    log_.push_back(name_ + ":scenario_done:" + std::to_string(index) + ":" + result.id);
  }
  void run_done(const RunSummary& summary) override { log_.push_back(name_ + ":run_done:" + summary.run_id); }

 private:
  std::string name_;
  std::vector<std::string>& log_;
};

}  // namespace bbx::testing
