// The runs directory contract (DESIGN.md): <runs>/<run-id>/ with summary.json, one folder
// per scenario, and <runs>/latest pointing at the newest run.
#pragma once

#include <filesystem>
#include <string>

namespace bbx::runner {

// Creates <runs_dir>/<run-id>/ (unique even when two runs start in the same millisecond)
// and repoints <runs_dir>/latest at it. Throws bbx::Error (harness) on failure.
std::filesystem::path create_run_dir(const std::filesystem::path& runs_dir, std::string& run_id);

// A scenario id as a directory name: characters outside [A-Za-z0-9._=,-] become '_'.
std::string scenario_dir_name(const std::string& scenario_id);

}  // namespace bbx::runner
