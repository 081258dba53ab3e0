// The step kinds beyond http/signal/sleep: command, start/stop/restart, wait, mark, file.
// Each runs on the run's loop without blocking it and journals what it observed.
//
// Journal events: command.start {argv, pid}, command.exit {pid, code|signal, stdout,
// stderr}; mark {name}; file.write (see sandbox_files.hpp); wait.done {what, ok}.
#pragma once

#include <optional>
#include <vector>

#include "bbx/model/steps.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runner/run_context.hpp"

namespace bbx::runner {

// std::nullopt when the step is not one of these kinds; else its checks (a step that
// could not be carried out yields one failed check saying why).
std::optional<std::vector<CheckResult>> run_more_step(RunContext& ctx, process::Supervisor& supervisor,
                                                      const model::Step& step);

}  // namespace bbx::runner
