// Waiting for a subject to become ready (model::Readiness), on the run's loop.
//
// Checks and how they are watched:
//   tcp/udp port  a NETLINK_SOCK_DIAG LISTEN dump every millisecond (about 30 us each;
//                 /proc/net is the fallback when netlink is unavailable). In namespace mode
//                 the dump sees only the scenario's network namespace; otherwise a socket
//                 only counts when it belongs to the subject's process tree, so another
//                 program on the machine cannot make a subject look ready.
//   log regex     each stdout/stderr line as it is journaled (util::Regex, searched).
//   file          stat() relative to the sandbox, every millisecond.
//   http          a GET every 50 ms (200 ms timeout each); ready when the status matches.
//   command       `/bin/sh -c` every 50 ms in the sandbox, ready on exit 0. It runs
//                 synchronously (bounded by the remaining `within`), so keep it quick.
// `require: any` needs one check, the default all of them. No checks: ready when started.
#pragma once

#include <string>

#include "bbx/model/subjects.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

struct ReadinessOutcome {
  bool ready = false;
  std::string reason;      // why not, when !ready: ends with what was still missing
  bool cut_short = false;  // !ready because the run was halted or interrupted first (reason
                           // = RunContext::cut_reason()): nothing to judge about this subject
  bool awaited_output = false;  // !ready with a `log:` check unmet: what it printed is the evidence
};

// Journals socket.listen for each port seen, subject.ready_check for other checks met, and
// subject.ready {realtime_ns, waited_ns, cpu_ns} on success. A timeout's reason names what
// was missing and, when a port was, what the subject's tree listens on instead
// (process/subject_evidence.hpp). The subject's own exit wins
// over a cut: it is reported as "exited ... before it was ready", not as cut short.
ReadinessOutcome wait_until_ready(runtime::RunContext& ctx, const Supervisor& supervisor,
                                  const model::Subject& subject);

}  // namespace bbx::process
