// Runs one scenario inside its runner process, start to finish:
//   fakes -> subjects (each waits for its `after:` subjects and its own readiness) -> steps
//   -> live expectations -> stop subjects -> expectations on stopped subjects -> teardown.
// The first failure of readiness, a step check, or an unexpected subject exit ends the
// active phase early; expectations are still evaluated so the report shows everything.
// An unexpected exit also halts the run (RunContext::halt): the wait under way ends at
// once and is not judged (a step, a later subject's readiness), and `within:` waits end
// at once (what holds passes, the rest is not judged); stopping and teardown still run in full.
#pragma once

#include "bbx/outcome.hpp"
#include "runtime/run_context.hpp"

namespace bbx::runner {

// How the driver treats its subjects beyond the scenario (`bbx profile` sets both).
struct DriverOptions {
  // The subjects' stdout and stderr also copied, as read, to the runner's own.
  bool echo_output = false;
  // SIGINT/SIGTERM received by the runner are sent on to every process of every running
  // subject's tree (journaled as process.signal {signal, to: tree}), as a terminal sends
  // Ctrl-C to its foreground job, instead of ending the scenario: the run goes on until the
  // subjects end. One signal that reaches the runner twice within 250ms (from the terminal's
  // process group and from the coordinator's forwarding) is sent on once.
  bool forward_interrupts = false;
};

// Never throws for scenario failures; a harness failure (e.g. a fake cannot bind) is
// reported as Verdict::error with its message.
ScenarioResult drive_scenario(runtime::RunContext& ctx, const DriverOptions& options = {});

}  // namespace bbx::runner
