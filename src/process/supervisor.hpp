// Supervision of a scenario's subjects: start, capture output, reap, signal, stop.
//
// Each subject runs under its own subreaper shim (process/subreaper_shim.hpp), so its
// process tree is exact: every descendant, double-forked daemons included, is the
// subject's, and every exit is journaled with the subject's name.
//
// Daemons: when the main process exits with code 0 while the subject's tree still has live
// processes (and no stop was asked), the subject has daemonized: the oldest remaining
// process becomes its main process (journal: subject.daemonized {from, pid}) and the exit
// is not a failure. Any other exit of the main process while it should run is one.
//
// Ownership: the Supervisor owns every process it starts and everything they fork. Its
// destructor (and kill_everything()) SIGKILLs whatever is still alive, so no process of a
// run survives the runner's normal exit; PR_SET_PDEATHSIG and the namespace cover abnormal
// exits. All methods run on the RunContext's loop thread. Their waits (start, stop grace,
// output drain) run inside a RunContext::HaltShield: a halted run still stops its subjects
// gracefully; only an interrupt cuts them short.
//
// Journal events (source kind "subject", name = subject name, pid = the process):
//   process.spawn {argv, executable, cwd, supervisor_pid}
//   process.exit {code | signal, core_dumped, main, describe}   every process of the tree
//   process.signal {signal, to, [reason]}  subject.daemonized {from, pid}
//   output.line {stream, line, [split|partial]}   log.line {path, line, [truncated|partial]}
//
// Output: stdout and stderr are pipes, or with `tty: true` one pseudo-terminal each (raw
// mode: no \r added, no echo), so runtimes that buffer output to a pipe write line by line;
// the streams stay apart either way.
#pragma once

#include <sys/types.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bbx/model/steps.hpp"
#include "bbx/model/subjects.hpp"
#include "process/exit_status.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

struct SubjectState {
  std::string name;
  pid_t pid = 0;                         // the main process (moves on daemonizing)
  pid_t launched = 0;                    // the pid the command was started as
  pid_t shim = 0;                        // its subreaper shim: every descendant of it is ours
  bool tree_gone = false;                // the shim reported its tree empty (pipe EOF)
  bool ended_unasked = false;            // the tree was gone before bbx asked it to stop
  std::string cgroup;                    // its cgroup v2 directory (process/subject_cgroup.hpp); empty: none
  // What the processes its shim reaped used (their rusage, each its own and its reaped
  // children's, from the shim's reports): once the tree is gone, every process of it (each was
  // reaped by the shim or by a process the shim reaped), the shim itself excepted. CPU exact;
  // reaped_max_rss_bytes the largest single process's peak, not the sum.
  std::uint64_t reaped_ctx_voluntary = 0, reaped_ctx_involuntary = 0;
  std::uint64_t reaped_cpu_user_us = 0, reaped_cpu_system_us = 0, reaped_max_rss_bytes = 0;
  bool stopping = false;                 // a stop was requested: its exit is expected
  bool run_once = false;                 // `run: once`: any exit is expected
  bool exit_expected = false;            // a step awaits its exit (Supervisor::expect_exit)
  std::optional<ExitStatus> exit;        // set when the main process was reaped
  std::uint64_t exit_seq = 0;            // journal seq of that exit
  std::deque<std::string> last_lines;    // the last 20 output lines, both streams
  std::uint64_t lines = 0;               // output lines seen so far (last_lines holds the newest)
  int open_streams = 2;                  // stdout/stderr pipes not yet at EOF (from the spawn on)
  bool exit_unreported = false;          // an unexpected exit waits for the output to drain
  bool tty = false;                      // stdout/stderr are pseudo-terminals (`tty: true`)
  std::vector<std::string> written_files;  // files its tree held open for writing when it was ready
};

class Supervisor {
 public:
  explicit Supervisor(runtime::RunContext& ctx);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the subject; records process.spawn (before any event of the started process) and
  // returns the pid the command was started as, even if it already daemonized or exited. Throws bbx::Error (scenario) with a message
  // fit for the user ("cannot start subject 'app': ... not found") when it cannot.
  pid_t start(const model::Subject& subject);
  // The latest instance of the subject (restarts create new instances); null if never started.
  const SubjectState* state(const std::string& name) const;
  // Live processes of the subject's latest instance: main process, children, daemons, in
  // no particular order. Empty when it is not running. Reads /proc (about 0.1 ms per 100 pids).
  std::vector<pid_t> tree_of(const std::string& name) const;
  bool running(const std::string& name) const;
  // Remembers the regular files the subject's tree holds open for writing now (its log
  // files, usually), so a later crash report can quote their tails: called once it is ready.
  void note_written_files(const std::string& name);

  // Sends a signal to the subject's main process's process group (to: group; the main
  // process alone when it has no group of its own), its main process only (main) or every
  // process of its tree (tree); records process.signal {signal, to}.
  void send_signal(const std::string& name, int signal, model::SignalStep::To to = model::SignalStep::To::group);
  // Subjects started from now on also have their stdout and stderr copied, as read, to this
  // process's stdout and stderr (`bbx profile`: the command's output reaches the terminal).
  void set_echo_output(bool on);
  // From now on an exit of the subject's main process (its latest instance) is expected: not
  // reported as unexpected, and not taken for daemonizing. The step that asked checks how it
  // ended (state(name)->exit).
  void expect_exit(const std::string& name);
  // The stop signal to every process of the subject's tree (stop.mode group) or to its main
  // process only (mixed: SIGKILL to what is left of the tree once the main process is gone),
  // up to `grace` for the whole tree to exit (pumping the loop), then SIGKILL to every
  // process left (journaled as process.signal {reason}). Then drains its output pipes.
  // start() may be called again.
  // A main process that already ended on its own (gone, zombie or exiting when the stop
  // begins) is not stopped: its exit is waited for and reported as unexpected, like any exit
  // while the subject should run.
  void stop(const model::Subject& subject);
  // Stops every running subject, in reverse start order.
  void stop_all();
  // Learns of exits that already happened: every subject whose main process is gone, a
  // zombie or exiting (probes::process_ending) is waited for (pumping the loop, at most
  // `limit` in all) until its exit is recorded and, when unexpected, reported to the
  // on_unexpected_exit callback. Cheap when nothing died (one /proc read per subject).
  // A step that failed calls it, so a subject that crashed while answering it is reported
  // as the crash it is, not found later as the stop's exit. Returns whether an unexpected
  // exit was reported during the call (also one whose report was already waiting).
  bool settle_exits(std::chrono::milliseconds limit = std::chrono::milliseconds(1000));
  // SIGKILLs every process the run started that is still alive, and reaps them.
  void kill_everything();

  // Called when a subject's main process exits while not being stopped (and not `run: once`,
  // not expected by a step, not daemonizing), once its output was read to the end (at most 200 ms later).
  void set_on_unexpected_exit(std::function<void(const SubjectState&)> callback);
  // Called when a stop's grace period expired with processes of the subject left, before
  // they are SIGKILLed (the failure bundle reads their stacks then). The callback may block.
  void set_on_stop_overdue(std::function<void(const SubjectState&, const std::string& why)> callback);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::process
