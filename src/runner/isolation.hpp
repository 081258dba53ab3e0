// Isolation of one scenario's runner process (DESIGN.md "Process model").
//
// namespaces: the runner forks; the child unshares network, PID and mount namespaces (as
//   root directly; otherwise inside a new user namespace that maps the user to itself, where
//   the kernel allows unprivileged user namespaces) and forks again. That grandchild is PID 1 of the new PID namespace: it mounts a fresh
//   /proc (pids then match /proc), brings up its own loopback, and runs the scenario.
//   When it dies, the kernel kills every process in the namespace, so nothing outlives a
//   runner, even one killed by SIGKILL. The middle process only relays signals and status.
// none: the runner forks once and becomes a child subreaper (PR_SET_CHILD_SUBREAPER) so
//   double-forked daemons stay its children; subjects get their own process groups and
//   PR_SET_PDEATHSIG. Used where namespaces are not allowed (no CAP_SYS_ADMIN and no
//   unprivileged user namespaces).
// Every runner sets PR_SET_PDEATHSIG(SIGKILL) so it dies with the coordinator.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace bbx::runner {

enum class IsolationMode { automatic, namespaces, none };

// "auto" | "namespaces" | "none"; throws bbx::Error (invalid_input) otherwise.
IsolationMode parse_isolation(const std::string& text);

// Forks a runner that calls body(mode_that_ran) and _exits with its return value. In the
// parent returns the child's pid. With `namespaces`, failure to unshare is fatal for that
// runner (exit 3 with the reason on stderr); with `automatic` it falls back to `none`.
// in_child, when given, runs first thing in the forked child, before any other process of
// the runner exists (e.g. to close descriptors that only the coordinator may hold).
pid_t fork_runner(IsolationMode mode, const std::function<int(const std::string& mode_that_ran)>& body,
                  const std::function<void()>& in_child = {});

// Can this process create the namespaces? (Checked once by forking a probe child.)
bool namespaces_available();
// "" when it can; else why not ("unshare: Operation not permitted; with a user namespace: ...").
const std::string& namespaces_unavailable_reason();

}  // namespace bbx::runner
