// The coordinator: what `bbx run` does after loading. Runs each scenario in its own runner
// process (at most `jobs` at once), collects their results, writes summary.json (and
// JUnit when asked) and prints the console report.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bbx/outcome.hpp"
#include "bbx/scenario.hpp"
#include "runner/isolation.hpp"

namespace bbx::runner {

struct CoordinatorOptions {
  std::filesystem::path runs_dir = "sandbox/runs";
  int jobs = 1;
  IsolationMode isolation = IsolationMode::automatic;
  bool keep_sandbox = false;
  bool pause_on_fail = false;
  std::optional<std::filesystem::path> junit;  // also writes <run>/junit.xml
  bool color = false;
};

// Runs every scenario. Harness failures of one runner (crash, missing result) become that
// scenario's Verdict::error; the others carry on.
RunSummary run_scenarios(const std::vector<Scenario>& scenarios, const CoordinatorOptions& options);

// The process exit code for a run (DESIGN.md): 130 interrupted, 3 any harness error,
// 1 any failure, else 0.
int exit_code_for(const RunSummary& summary);

}  // namespace bbx::runner
