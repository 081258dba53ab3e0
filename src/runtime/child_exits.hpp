// Exits of the runner's short-lived children that their own starter waits for: command
// steps, command expectations, readiness commands. The supervisor's SIGCHLD reaper reaps
// every child of the runner (subjects' shims, orphans in a PID namespace), so it may take
// such a child before its starter looks: a child announced here is then kept for its starter
// (take) instead of being journaled as the exit of an unknown process. Whichever reaps
// first, the starter reads the same status and the journal says the same thing.
// Thread-safe (the reaper and the starters run on the loop thread today).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <map>
#include <mutex>
#include <optional>

namespace bbx::runtime {

class ChildExits {
 public:
  // pid (a child of this process, just forked) will be waited for by the caller.
  void expect(pid_t pid);
  // The reaper reaped `info.si_pid`: true when it was expected (its status is kept for
  // take()), false when it is nobody's (the reaper reports it).
  bool keep(const siginfo_t& info);
  // The status the reaper kept for pid, if it reaped it. Until forget(pid), a later call
  // returns it again.
  std::optional<siginfo_t> reaped(pid_t pid) const;
  // The caller is done with pid (it read its exit or reaped it itself).
  void forget(pid_t pid);

 private:
  mutable std::mutex mutex_;
  std::map<pid_t, std::optional<siginfo_t>> expected_;  // pid -> its status once reaped
};

}  // namespace bbx::runtime
