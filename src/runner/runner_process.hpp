// The body of one runner process: runs one scenario and leaves its artefacts in its
// scenario directory: events.jsonl, result.json, logs/, samples.csv, trace.json and
// timeline.html (for failed scenarios by default), and sandbox/ (kept on failure or when
// asked).
#pragma once

#include <filesystem>
#include <string>

#include "bbx/scenario.hpp"
#include "runner/scenario_driver.hpp"
#include "views/scenario_views.hpp"

namespace bbx::runner {

struct RunnerOptions {
  std::filesystem::path scenario_dir;
  std::string isolation;   // the mode that actually ran
  bool keep_sandbox = false;
  bool pause_on_fail = false;  // checked by the CLI: interactive terminal, not CI
  // When to write trace.json and timeline.html (views/scenario_views.hpp) from the journal,
  // after the scenario's end and before result.json: in the runner, so -j N writes them in
  // parallel and the coordinator's console can name them as soon as the result arrives.
  views::TracePolicy trace = views::TracePolicy::failed;
  // `bbx profile`: the subjects' working directory instead of a sandbox/ in scenario_dir (the
  // user's own directory: neither created nor removed); empty: the sandbox.
  std::filesystem::path workdir;
  runner::DriverOptions driver;  // output echoed, interrupts forwarded (scenario_driver.hpp)
};

// Returns the runner's exit code: 0 when result.json was written (whatever the verdict),
// 3 when the harness failed before it could be.
int run_scenario_process(const Scenario& scenario, const RunnerOptions& options);

// Where the runner writes its verdict for the coordinator.
std::filesystem::path result_file(const std::filesystem::path& scenario_dir);

}  // namespace bbx::runner
