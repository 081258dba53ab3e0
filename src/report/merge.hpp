// Combining several runs' reports into one (`bbx merge`): the shards of one CI run, or
// several attempts of the same scenarios. A scenario id that appears once keeps its result;
// one that appears in several runs is one result: the same verdict everywhere keeps the
// last attempt's; passed in some and failed in others is flaky, citing the first failure.
#pragma once

#include <vector>

#include "bbx/outcome.hpp"

namespace bbx::report {

// Scenarios in the order they first appear; run id and directory of the first run; the
// durations summed (shards ran side by side or one after another: total work).
RunSummary merge_runs(const std::vector<RunSummary>& runs);

// The one result of several attempts of one scenario (in attempt order; not empty).
ScenarioResult merge_attempts(const std::vector<ScenarioResult>& attempts);

}  // namespace bbx::report
