// Evaluating `expect:` entries. Each result is also journaled (assert.pass / assert.fail
// with its evidence), so every view sees why a scenario passed or failed.
#pragma once

#include <optional>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::assertions {

// True for expectations checked after the subjects stopped: exit, request, log, file and
// strict without `within` (so what subjects emit on shutdown counts). False for `within`
// ("eventually", checked while they run) and for the live probes listening and process.
bool needs_stopped_subjects(const model::Expectation& e);

// Evaluates one expectation now, or, with `within`, as soon as it holds (woken by journal
// events), failing at the deadline. A `within` wait ends at once when the run is halted
// (RunContext::halt: a subject's unexpected exit), earlier or while it waits; the
// expectation is then checked against what happened so far: if it holds it passes, else
// it is not judged (nullopt; journaled as assert.skip {what, expected, actual, where,
// reason}), since it did not get its time and the halt is the run's failure already.
std::optional<CheckResult> evaluate(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                                    const model::Expectation& e);

// Appends assert.pass / assert.fail for a result.
void journal_result(runtime::RunContext& ctx, const CheckResult& result);

}  // namespace bbx::assertions
