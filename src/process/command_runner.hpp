// Running a short-lived command to completion on the run's loop: what `command` steps and
// `command` expectations share.
//
// The command runs with argv (no shell), cwd = the sandbox, the subjects' clean
// environment plus `env`. Its stdout/stderr lines are journaled as output.line of
// `source` and kept raw in <scenario>/logs/command-<pid>.{stdout,stderr}; command.start and
// command.exit are journaled around it. Its exit is read without reaping it (waitid
// WNOWAIT), or from ctx.child_exits() when the Supervisor's reaper took it first. Past
// `timeout` it is SIGKILLed, and so it is at once when the run is halted or interrupted
// (RunContext::cut_short()). Never throws for the command's own failures.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bbx/event.hpp"
#include "process/exit_status.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

struct CommandRequest {
  std::vector<std::string> argv;                // expanded; argv[0] resolved like a subject's
  std::map<std::string, std::string> env;       // added to the clean environment
  model::Duration timeout = std::chrono::seconds(10);
  EventSource source;                           // who runs it: a step or an expectation
};

struct CommandOutcome {
  bool started = false;
  std::string error;                  // why it did not start; empty otherwise
  bool timed_out = false;             // killed at the timeout
  bool cut_short = false;             // killed because the run was halted or interrupted
  std::optional<ExitStatus> status;   // how it ended (unset only if it never started)
  std::uint64_t exit_seq = 0;         // the command.exit event
  std::string out, err;               // every byte it wrote, as written
};

CommandOutcome run_to_completion(runtime::RunContext& ctx, const CommandRequest& request);

// The exit of a child pid of the runner announced in ctx.child_exits(): not reaped yet (read
// with WNOWAIT), or already reaped by the supervisor's SIGCHLD handler (it waits for any
// child) and kept there. nullopt while it runs.
std::optional<ExitStatus> exit_of(runtime::RunContext& ctx, pid_t pid);

}  // namespace bbx::process
