// Waiting for a subject to become ready (model::Readiness), on the run's loop.
//
// Listening ports are found with a NETLINK_SOCK_DIAG LISTEN dump every millisecond (about
// 30 us each); /proc/net is the fallback when netlink is unavailable. In namespace mode the
// dump sees only the scenario's network namespace; otherwise a port only counts when the
// socket belongs to the subject's process tree, so another program on the machine cannot
// make a subject look ready.
#pragma once

#include <string>

#include "bbx/model/subjects.hpp"
#include "process/supervisor.hpp"
#include "runner/run_context.hpp"

namespace bbx::process {

struct ReadinessOutcome {
  bool ready = false;
  std::string reason;  // why not, when !ready: ends with what was still missing
};

// Journals socket.listen for each port seen and subject.ready on success.
ReadinessOutcome wait_until_ready(runner::RunContext& ctx, const Supervisor& supervisor,
                                  const model::Subject& subject);

}  // namespace bbx::process
