// Reading an earlier run's report for the commands that build on it (merge, run
// --rerun-failed).
#pragma once

#include <string>

#include "bbx/outcome.hpp"

namespace bbx::cli {

// `where` is a run directory (summary.json inside), a runs directory (latest/summary.json),
// or a report file itself. Throws bbx::Error (invalid_input, at `where`) when there is no
// report or it is not one this version of bbx reads.
RunSummary read_run(const std::string& where);

}  // namespace bbx::cli
