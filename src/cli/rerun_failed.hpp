// `bbx run --rerun-failed`: only the scenarios that did not pass in the latest run.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "bbx/scenario.hpp"

namespace bbx::cli {

// Keeps the scenarios of `selected` whose id did not pass (failed, error, flaky, interrupted)
// in runs_dir/latest, in their order. Says on `note` which of those ids the selection no
// longer holds. Returns an empty list when the latest run passed entirely (nothing to rerun).
// Throws bbx::Error (invalid_input) when there is no latest run, or when it failed but none
// of its failed scenarios is in the selection.
std::vector<Scenario> rerun_failed(std::vector<Scenario> selected, const std::filesystem::path& runs_dir,
                                   std::ostream& note);

}  // namespace bbx::cli
