// Running one scenario step on the run's loop: journals step.begin, carries out the step's
// kind (one file per kind: http_step.cpp, signal_step.cpp, ...), journals each check's
// assert.pass / assert.fail and step.end.
#pragma once

#include <vector>

#include "bbx/model/steps.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::steps {

// Returns the step's checks (e.g. an http step's expected status). A step that cannot be
// carried out at all yields one failed check saying why. A step during which the run was
// halted (a subject's unexpected exit, RunContext::halt) ends at once and yields no checks:
// the exit is the failure, what the step saw after it is its consequence. Its step.end is
// then {ok: false, cut_short: <halt reason>}. A step whose check failed first learns of
// subjects that died meanwhile (Supervisor::settle_exits): a crash while answering the step
// (the reply cut off) halts the run and cuts the step short the same way. Runs on the loop
// thread.
// `index` is the step's 1-based position in the scenario's steps (journaled in step.begin).
std::vector<CheckResult> run_step(runtime::RunContext& ctx, process::Supervisor& supervisor, const model::Step& step,
                                  std::size_t index);

}  // namespace bbx::steps
