// Finding the journals of stored runs: what `bbx timeline [RUN|SCENARIO_DIR]` reads.
//
// A run directory holds one directory per scenario (events.jsonl, result.json once the
// scenario is over) and, once the run is over, summary.json (runner/run_dir.hpp). The
// scenario id and verdict come from result.json; a scenario still running has no verdict
// yet ("running") and its id is read from its journal's scenario.begin.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bbx::views {

struct StoredScenario {
  std::string id;
  std::string verdict;  // passed, failed, error, interrupted, or running (no result.json yet)
  std::filesystem::path dir;
  std::filesystem::path journal() const { return dir / "events.jsonl"; }
  bool over() const { return verdict != "running"; }
};

// Resolves `target`:
//   - nullopt: the latest run (<runs_dir>/latest);
//   - a run directory, or a run id under runs_dir;
//   - a scenario directory (holds events.jsonl), or an events.jsonl file.
// For a run, the scenarios that did not pass (failed, error, interrupted, running), or every
// scenario when none of them failed or when `all` is set; in the run's order (summary.json),
// else by directory name. Throws bbx::Error (invalid_input) when target is none of these, or
// a run holds no scenario.
std::vector<StoredScenario> find_stored_scenarios(const std::optional<std::string>& target,
                                                  const std::filesystem::path& runs_dir, bool all);

// One scenario directory's id and verdict (as above).
StoredScenario read_stored_scenario(const std::filesystem::path& dir);

}  // namespace bbx::views
