// The runs directory contract (DESIGN.md): <runs>/<run-id>/ with summary.json, one folder
// per scenario, and <runs>/latest pointing at the newest run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace bbx::runner {

// Creates <runs_dir>/<run-id>/ (unique even when two runs start in the same millisecond)
// and repoints <runs_dir>/latest at it. Throws bbx::Error (harness) on failure.
std::filesystem::path create_run_dir(const std::filesystem::path& runs_dir, std::string& run_id);

// Keeps the `keep` newest runs under runs_dir (current_run_id among them, whatever its age)
// and removes the older ones: only directories named like run ids (YYYYMMDD-HHMMSS-mmm[-n]),
// nothing else a user keeps there. Returns how many were removed. keep 0 keeps everything.
// Never throws: a run that cannot be removed is left (and not counted).
std::size_t prune_runs(const std::filesystem::path& runs_dir, std::size_t keep, const std::string& current_run_id);

// A scenario id as a directory name: characters outside [A-Za-z0-9._=,-] become '_'.
std::string scenario_dir_name(const std::string& scenario_id);
// The directory names of one run's scenarios, in the given order: scenario_dir_name, and
// where two ids map to one name ("x y", "x_y"), the later ones get "-2", "-3", ... (a name
// no id of the run maps to), so no scenario writes into another's directory. Deterministic
// for a given list.
std::vector<std::string> scenario_dir_names(const std::vector<std::string>& scenario_ids);

}  // namespace bbx::runner
