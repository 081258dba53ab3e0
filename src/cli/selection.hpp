// Choosing scenarios: the options every command that selects scenarios shares (run,
// validate, list) and the selection they describe.
#pragma once

#include <vector>

#include "bbx/scenario.hpp"
#include "cli/args.hpp"

namespace bbx::cli {

// --var, --filter, --id, --tag and --help.
std::vector<OptionSpec> selection_options();

// Loads the scenarios named by the positional paths (default: scenarios/), applies --var,
// --filter, --id (exact ids) and --tag; returns them in load order, at least one. Throws
// bbx::Error (invalid_input, exit 2) on any invalid file, --var or --filter, and when nothing
// is selected (run, validate and list alike: an empty selection is a typo, not a pass).
std::vector<Scenario> select_scenarios(const ParsedArgs& args);

}  // namespace bbx::cli
