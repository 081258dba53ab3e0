// Runner processes as the coordinator starts and collects them, one step ahead of the
// scenarios: a runner is forked and isolated (namespaces made, /proc mounted, loopback up)
// while the previous scenario still runs, waits on its own "go" pipe, and reports "done"
// on a pipe shared by all runners as soon as its result.json is written, so the next
// scenario starts while the finished runner's processes and namespaces are still being
// torn down by the kernel.
//
// One event channel: the done pipe carries a runner's scenario index when it is done, and
// a wake-up word written by this process's SIGCHLD, SIGINT, SIGTERM and SIGCONT handlers, so a
// blocking wait() can miss neither a finished runner, nor a dead one, nor an interrupt.
// SIGINT/SIGTERM are also forwarded at once, from the handler, to every runner forked.
// One RunnerLauncher at a time per process (it owns those signal handlers while it lives).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runner/isolation.hpp"

namespace bbx::runner {

struct LaunchedRunner {
  pid_t pid = -1;
  std::size_t index = 0;  // the scenario's
  int go_fd = -1;         // write end of its go pipe; -1 once started or discarded
};

class RunnerLauncher {
 public:
  RunnerLauncher();
  ~RunnerLauncher();
  RunnerLauncher(const RunnerLauncher&) = delete;
  RunnerLauncher& operator=(const RunnerLauncher&) = delete;

  // Forks a runner (fork_runner) that, once isolated, waits for start(), then calls
  // body(mode) and, when body returned 0 (its result is written), reports done. Discarded
  // (or orphaned) before its start, it exits 0 without calling body. pid -1: fork failed.
  LaunchedRunner prepare(std::size_t index, IsolationMode mode, const std::function<int(const std::string&)>& body);
  void start(LaunchedRunner& runner);
  void discard(LaunchedRunner& runner);

  struct Reaped {
    pid_t pid;
    int status;  // as from waitpid
  };
  struct Events {
    std::vector<std::size_t> done;  // scenario indices, in the order reported
    std::vector<Reaped> reaped;     // runners that exited (done or not)
  };
  // Blocks until at least one runner is done or has exited, an interrupt or a SIGCONT
  // arrived, or `until` passed. Returns with both lists empty on an interrupt, a SIGCONT not
  // yet taken by continued() or at `until`, and at once when no runner is alive. A runner reaped here has its done (if any) in the same Events
  // or an earlier one.
  Events wait(std::chrono::steady_clock::time_point until = std::chrono::steady_clock::time_point::max());

  // The first SIGINT/SIGTERM received while this launcher lives; 0 while none.
  int interrupted() const;
  // Was this process continued (SIGCONT, e.g. `fg` after Ctrl-Z) since the last call? Its
  // handler also ends a wait(). Time spent stopped is no runner's fault.
  bool continued();

 private:
  void read_words(Events& events);
  int done_read_ = -1;
  int live_ = 0;  // forked runners not reaped yet
};

}  // namespace bbx::runner
