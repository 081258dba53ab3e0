// The body of one runner process: runs one scenario and leaves its artefacts in its
// scenario directory: events.jsonl, result.json, logs/, and sandbox/ (kept on failure or
// when asked).
#pragma once

#include <filesystem>
#include <string>

#include "bbx/scenario.hpp"

namespace bbx::runner {

struct RunnerOptions {
  std::filesystem::path scenario_dir;
  std::string isolation;   // the mode that actually ran
  bool keep_sandbox = false;
  bool pause_on_fail = false;  // checked by the CLI: interactive terminal, not CI
};

// Returns the runner's exit code: 0 when result.json was written (whatever the verdict),
// 3 when the harness failed before it could be.
int run_scenario_process(const Scenario& scenario, const RunnerOptions& options);

// Where the runner writes its verdict for the coordinator.
std::filesystem::path result_file(const std::filesystem::path& scenario_dir);

}  // namespace bbx::runner
