// --pause-on-fail: at the first failure, keep the scenario's fakes and subjects running,
// print how to inspect them, and wait for Enter while the loop keeps serving.
#pragma once

#include <string>

#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::runner {

// Empty when pausing is allowed; otherwise why not ("CI=true", "stdin is not a terminal").
std::string pause_on_fail_refusal();

// Prints to stderr the failure, sandbox and run paths, each subject's pids and each known
// port, and commands to inspect them; then pumps ctx's loop until a line is read from stdin
// (Enter), stdin closes, or the run is aborted (Ctrl-C).
void pause_for_inspection(runtime::RunContext& ctx, const process::Supervisor& supervisor, const std::string& failure);

}  // namespace bbx::runner
