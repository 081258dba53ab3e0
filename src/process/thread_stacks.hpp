// Every thread's stack of a set of processes, read from outside with a debugger tool, for
// the failure bundle of a subject that hangs (runner/failure_bundle.hpp).
//
// Tools, in order: elfutils `eu-stack -p PID` (Debian `elfutils`), else `gdb -batch -p PID
// -ex "thread apply all bt"`. Both attach with ptrace, which stops every thread of the
// process while its stacks are read: capture_stacks() runs one tool per process, so each
// process is frozen only for its own capture (measured and returned as `frozen`), at most
// `per_process` (then the tool is SIGKILLed, which detaches it).
//
// Nothing is left stopped: after each tool run, a process found stopped (state T/t) that was
// not stopped before the capture is sent SIGCONT. A process the subject had stopped itself
// stays as it was.
//
// Failure: a process that vanished, a tool that is missing or cannot attach (no
// CAP_SYS_PTRACE, Yama ptrace_scope) is reported in that process's `error`; capture_stacks()
// itself does not throw. Runs synchronously on the calling thread; spawns and reaps its own
// children (process/spawn.hpp), so a supervisor's reaper does not race it on that thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace bbx::process {

struct ThreadStack {
  pid_t tid = 0;
  std::vector<std::string> frames;  // innermost first: function names ("??" when unknown)
};

struct ProcessStacks {
  pid_t pid = 0;
  std::string comm;
  std::string tool;                   // "eu-stack", "gdb", or "" when none could run
  std::chrono::microseconds frozen{};  // from the tool's start to its exit: the longest
                                       // the process can have been stopped by it
  std::vector<ThreadStack> threads;
  std::string error;                  // why threads is empty or incomplete; "" when complete
};

// Captures the stacks of each pid in turn (see above). `per_process` bounds one tool run.
std::vector<ProcessStacks> capture_stacks(const std::vector<pid_t>& pids,
                                          std::chrono::milliseconds per_process = std::chrono::milliseconds(3000));

// Parses eu-stack's text ("TID n:" then "#k  0xADDR function") into threads. Pure.
std::vector<ThreadStack> parse_eu_stack(std::string_view text);
// Parses gdb's `thread apply all bt` text ("Thread k (... (LWP n) ...):" then
// "#k  0xADDR in function (args) from lib" or "#k  function (args) at file:line"). Pure.
std::vector<ThreadStack> parse_gdb_backtraces(std::string_view text);

// Threads with the same frames, grouped: the first thread's stack, and every tid that has it.
struct StackGroup {
  std::vector<std::string> frames;
  std::vector<pid_t> tids;
};
// Groups sorted by size (largest first), then by first tid. Pure.
std::vector<StackGroup> group_stacks(const std::vector<ThreadStack>& threads);

// The report for people: per process its pid, comm, tool, frozen time and error, then each
// group ("3 threads (tids 12, 13, 14):" and one frame per line). Pure.
std::string format_stacks(const std::vector<ProcessStacks>& processes);

}  // namespace bbx::process
