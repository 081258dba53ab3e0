// The per-subject supervisor shim: `bbx __supervise -- EXECUTABLE ARGS...`.
//
// Why a shim. A subject's process tree must be known exactly, double-forking daemons
// included: a daemon's grandchild is re-parented when its parent exits, and a runner that
// is subreaper for all subjects at once (or PID 1) can no longer tell whose it was. Periodic
// /proc scans miss short-lived intermediates (the double fork's middle process lives for
// microseconds), and cgroups v2 delegation is usually not writable for an unprivileged CI
// user. So every subject gets its own tiny subreaper: the runner spawns (Boost.Process)
// `bbx-supervise` from beside bbx, or bbx itself via /proc/self/exe when it is missing, which sets PR_SET_CHILD_SUBREAPER, forks and
// execs the subject command, and reaps every descendant. Orphans re-parent to the shim, never
// to the runner, so "descendants of the shim" is exactly the subject's tree at any moment,
// and every exit the shim reaps belongs to this subject. The shim exits when its tree is
// empty. When its parent (the runner) dies first, the kernel sends the shim its death signal
// (PR_SET_PDEATHSIG): the shim SIGKILLs its whole tree, reaps it, and exits, so nothing of
// the subject outlives a SIGKILLed bbx or a crashed runner, in any isolation mode.
//
// Everything else (cwd, environment, stdio, umask, rlimits, process group) is set by the
// spawner before the shim's exec and inherited by the command. The shim gives up its own
// copies of stdout/stderr after the fork, so the runner sees EOF when the tree closes them.
//
// With `--cgroup DIR` before `--`, the shim first moves itself into that cgroup (writes "0"
// to DIR/cgroup.procs), so the whole tree runs in it (process/subject_cgroup.hpp); a failure
// is silent (the runner reads /proc/SHIM/cgroup to know).
//
// Report protocol, one line per event on fd 3 (each line < PIPE_BUF, so atomic):
//   "S PID"                 the command was forked as PID (its own process group)
//   "E PID CODE STATUS M V I U S R"  PID was reaped; CODE/STATUS are siginfo si_code/si_status;
//                           M is 1 when other processes of the tree were left at that moment;
//                           then its rusage (its own and its reaped children's), which /proc
//                           does not keep after the reap: V/I voluntary/involuntary context
//                           switches, U/S user/system CPU in microseconds, R its peak RSS in kB
//   "X ERRNO"               exec of the command failed (followed by its "E" with 127)
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace bbx::process {

inline constexpr const char* kShimCommand = "__supervise";
inline constexpr int kShimReportFd = 3;

// The shim's main; argv[0] is "__supervise" or the program name, argv[1] "--".
int run_subreaper_shim(int argc, char** argv);

// One parsed report line; nullopt when malformed.
struct ShimReport {
  char kind = '?';  // 'S', 'E' or 'X'
  pid_t pid = 0;
  siginfo_t info{};  // for 'E': si_pid, si_code, si_status filled in
  int error = 0;     // for 'X'
  bool tree_left = false;  // for 'E': the shim still had children after reaping this one
  // for 'E': the reaped process's rusage
  std::uint64_t ctx_voluntary = 0, ctx_involuntary = 0, cpu_user_us = 0, cpu_system_us = 0, max_rss_bytes = 0;
};
std::optional<ShimReport> parse_shim_report(const std::string& line);

}  // namespace bbx::process
