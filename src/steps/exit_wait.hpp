// Waiting for a subject's expected exit: a `signal:` step's `expect_exit:` and a
// `wait: {exit:}` step. The caller has told the supervisor the exit is expected
// (Supervisor::expect_exit), so it is not reported as a crash.
#pragma once

#include <string>
#include <vector>

#include "bbx/model/steps.hpp"
#include "steps/kinds.hpp"

namespace bbx::steps {

// Waits up to `timeout` (pumping the loop) for the main process of `subject` to exit, and
// checks how it ended against `want`. Journals wait.done {what, ok}. Returns no check when
// it ended as wanted, else one failed check: "still running" at the timeout, or how it
// ended (with the journal seq of its process.exit as evidence).
std::vector<CheckResult> await_exit(StepEnv& env, const std::string& subject, const model::ExitMatch& want,
                                    model::Duration timeout);

}  // namespace bbx::steps
