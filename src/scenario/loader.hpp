// Scenario files -> validated Scenario models.
//
// Loading is all-or-nothing: the first mistake throws bbx::Error (invalid_input) with its
// "path:line:col: message", and nothing runs. Validation covers unknown keys, types,
// durations/counts, references to undefined fakes/subjects, duplicate names and unknown
// ${variables}.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bbx/scenario.hpp"

namespace bbx::scenario {

struct LoadOptions {
  std::map<std::string, std::string> cli_vars;  // --var k=v; override scenario vars
};

// One file -> its scenarios.
std::vector<Scenario> load_scenario_file(const std::filesystem::path& file, const LoadOptions& options = {});

// Files and directories (recursively: every *.yaml / *.yml, sorted) -> all scenarios, in
// a stable order. Throws on the first invalid file; duplicate scenario ids are an error.
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths,
                                     const LoadOptions& options = {});

}  // namespace bbx::scenario
