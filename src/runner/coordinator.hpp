// The coordinator: what `bbx run` does after loading. Runs each scenario in its own runner
// process (at most `jobs` at once), collects their results and tells a Reporter
// (report/reporter.hpp) about the run as it goes; which reports a run has (console,
// summary.json, JUnit) is the caller's choice of reporter.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bbx/outcome.hpp"
#include "bbx/scenario.hpp"
#include "report/reporter.hpp"
#include "runner/isolation.hpp"
#include "views/scenario_views.hpp"

namespace bbx::runner {

struct CoordinatorOptions {
  std::filesystem::path runs_dir = "sandbox/runs";
  int jobs = 1;
  IsolationMode isolation = IsolationMode::automatic;
  bool keep_sandbox = false;
  bool pause_on_fail = false;
  std::size_t keep_runs = 0;  // keep only the newest N runs in runs_dir (0: all); older ones removed at the start
  views::TracePolicy trace = views::TracePolicy::failed;  // RunnerOptions::trace
};

// Runs every scenario, calling reporter's events at their moments (reporter.hpp) on this
// thread. Harness failures of one runner (crash, missing result) become that scenario's
// Verdict::error; the others carry on. Throws bbx::Error (harness) when the run directory
// cannot be made, and whatever the reporter's run_done throws.
RunSummary run_scenarios(const std::vector<Scenario>& scenarios, const CoordinatorOptions& options,
                         report::Reporter& reporter);

// The process exit code for a run (DESIGN.md): 130 interrupted, 3 any harness error,
// 1 any failure, else 0.
int exit_code_for(const RunSummary& summary);

}  // namespace bbx::runner
