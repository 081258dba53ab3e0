// Evaluating `expect:` entries, live (while a run goes on) or stored (against a finished
// run's journal). Each kind is handled in an exhaustive std::visit, so a new kind of
// expectation fails to compile until both evaluations handle it.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "bbx/scenario.hpp"
#include "journal/event_log.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::assertions {

// True for expectations checked after the subjects stopped: exit, request, log, file and
// strict without `within` (so what subjects emit on shutdown counts). False for `within`
// ("eventually", checked while they run) and for the live probes listening and process.
bool needs_stopped_subjects(const model::Expectation& e);

// Evaluates one expectation now, or, with `within`, as soon as it holds (woken by journal
// events), failing at the deadline: `window_start` + within. The driver passes one start for
// all the expectations it checks in a row, so their deadlines run together (three failing
// `within: 3s` cost 3 s, not 9 s); one whose deadline passed while others were waited for is
// checked once. A `within` wait ends at once when the run is halted
// (RunContext::halt: a subject's unexpected exit), earlier or while it waits; the
// expectation is then checked against what happened so far: if it holds it passes, else
// it is not judged (nullopt; journaled as assert.skip {what, expected, actual, where,
// reason}), since it did not get its time and the halt is the run's failure already.
// Runs on the loop thread.
std::optional<CheckResult> evaluate(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                                    const model::Expectation& e,
                                    std::chrono::steady_clock::time_point window_start = std::chrono::steady_clock::now());

// Appends assert.pass / assert.fail for a result.
void journal_result(runtime::RunContext& ctx, const CheckResult& result);

// An expectation judged after the fact, against a stored run.
struct StoredVerdict {
  enum class How {
    evaluated,    // computed from the journal (and the kept sandbox, for files)
    recorded,     // a live probe the journal cannot replay: the run's own result, as journaled
    unavailable,  // neither: result.actual says why
  };
  CheckResult result;
  How how = How::evaluated;
};

// Judges e over a finished run: request, metric, message, sequence/order, resources, log
// (output), strict and exit from the journal's events (`within` is not waited for: the whole
// journal counts); file and log-file expectations from `sandbox` when it was kept. Live probes
// (listening, process, command) and always/never windows take the result the run journaled
// for the same location (assert.pass / assert.fail / assert.skip). Never appends. Throws what
// the journal's reader throws (a corrupt journal).
StoredVerdict evaluate_stored(const Scenario& scenario, const journal::EventLog& journal, const model::Expectation& e,
                              const std::optional<std::filesystem::path>& sandbox);

}  // namespace bbx::assertions
