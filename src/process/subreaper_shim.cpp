#include "process/subreaper_shim.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>

#include "probes/proc_table.hpp"

namespace bbx::process {

namespace {

void report(const char* text, int len) {
  while (::write(kShimReportFd, text, static_cast<size_t>(len)) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void exec_command(char** argv, const sigset_t& mask) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::signal(SIGPIPE, SIG_DFL);
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);  // the subject starts with the mask the shim got
  ::execv(argv[0], argv);
  char line[64];
  int n = std::snprintf(line, sizeof line, "X %d\n", errno);
  report(line, n);
  ::_exit(127);
}

// After the fork the shim holds no stdio, so the runner's pipes reach EOF with the tree.
void drop_stdio() {
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return;
  for (int fd : {0, 1, 2}) ::dup2(null, fd);
  ::close(null);
}

// Reaps every exited process of the tree and reports each. False when the tree is empty
// (ECHILD): the shim's work is done.
bool reap_exited() {
  for (;;) {
    siginfo_t info{};
    rusage usage{};  // the reaped process's own and its reaped children's (the raw waitid has it)
    if (::syscall(SYS_waitid, P_ALL, 0, &info, WEXITED | WNOHANG, &usage) != 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (info.si_pid == 0) return true;  // children left, none exited
    siginfo_t peek{};  // are other processes of the tree left? (orphans are ours already)
    int more = ::waitid(P_ALL, 0, &peek, WEXITED | WNOHANG | WNOWAIT) == 0 ? 1 : 0;
    auto us = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1'000'000 + t.tv_usec; };
    char line[200];
    int n = std::snprintf(line, sizeof line, "E %d %d %d %d %ld %ld %lld %lld %ld\n", static_cast<int>(info.si_pid),
                          info.si_code, info.si_status, more, usage.ru_nvcsw, usage.ru_nivcsw, us(usage.ru_utime),
                          us(usage.ru_stime), usage.ru_maxrss);
    report(line, n);
  }
}

// The runner is gone (its death signal): nobody will stop this subject, so its whole tree
// is SIGKILLed, as a PID namespace would be. Every descendant re-parents to the shim (its
// subreaper), so /proc's ppid links from the shim name the tree; rounds repeat until the
// tree is empty, catching processes forked during a round. Bounded: 10 s of rounds.
void kill_tree() {
  const pid_t self = ::getpid();
  for (int round = 0; round < 10000; ++round) {
    int signalled = 0;
    for (pid_t pid : probes::descendants_of(self, probes::read_proc_table()))
      if (::kill(pid, SIGKILL) == 0) ++signalled;
    if (!reap_exited()) return;
    if (signalled == 0) {
      timespec pause{0, 1000000};  // only zombies or processes mid-exit left: let them finish
      ::nanosleep(&pause, nullptr);
    }
  }
}

// Moves the shim (so everything it forks) into the cgroup at dir, before the command starts.
// Best effort: the runner checks where the shim ended up (/proc/PID/cgroup).
void join_cgroup(const char* dir) {
  char path[4096];
  if (std::snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= int(sizeof path)) return;
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  while (::write(fd, "0\n", 2) < 0 && errno == EINTR) {
  }
  ::close(fd);
}

}  // namespace

int run_subreaper_shim(int argc, char** argv) {
  // argv: __supervise [--cgroup DIR] -- EXECUTABLE ARGS...
  if (argc >= 3 && std::strcmp(argv[1], "--cgroup") == 0) {
    join_cgroup(argv[2]);
    argv += 2;
    argc -= 2;
  }
  if (argc < 3 || std::strcmp(argv[1], "--") != 0) {
    std::fprintf(stderr, "usage: bbx __supervise [--cgroup DIR] -- EXECUTABLE [ARGS...] (internal; fd 3 = report pipe)\n");
    return 2;
  }
  if (::fcntl(kShimReportFd, F_SETFD, FD_CLOEXEC) != 0) return 3;
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ::signal(SIGPIPE, SIG_IGN);  // a runner that is gone must not end the shim before its tree
  // Exits and the runner's death are taken synchronously (sigwaitinfo), so none is missed
  // between a check and a wait. The death signal replaces the spawner's SIGKILL: had the runner
  // died before this point, that SIGKILL would have ended the shim before it forked anything.
  const int parent_gone = SIGRTMIN;
  sigset_t waited, original;
  sigemptyset(&waited);
  sigaddset(&waited, SIGCHLD);
  sigaddset(&waited, parent_gone);
  ::sigprocmask(SIG_BLOCK, &waited, &original);
  ::prctl(PR_SET_PDEATHSIG, parent_gone);
  pid_t child = ::fork();
  if (child < 0) return 3;
  if (child == 0) exec_command(argv + 2, original);
  ::setpgid(child, child);
  char line[96];
  int n = std::snprintf(line, sizeof line, "S %d\n", static_cast<int>(child));
  report(line, n);
  drop_stdio();
  while (reap_exited()) {
    int sig = ::sigwaitinfo(&waited, nullptr);
    if (sig == parent_gone) {
      kill_tree();
      return 0;
    }
  }
  return 0;
}

std::optional<ShimReport> parse_shim_report(const std::string& line) {
  std::istringstream in(line);
  ShimReport r;
  if (!(in >> r.kind)) return std::nullopt;
  long pid = 0;
  if (r.kind == 'S' && (in >> pid) && pid > 0) {
    r.pid = static_cast<pid_t>(pid);
    return r;
  }
  if (r.kind == 'X' && (in >> r.error)) return r;
  int code = 0, status = 0;
  if (r.kind == 'E' && (in >> pid >> code >> status) && pid > 0) {
    r.pid = static_cast<pid_t>(pid);
    r.info.si_pid = r.pid;
    r.info.si_code = code;
    r.info.si_status = status;
    int more = 0;
    if (in >> more) r.tree_left = more != 0;
    std::uint64_t nvcsw = 0, nivcsw = 0;
    if (in >> nvcsw >> nivcsw) r.ctx_voluntary = nvcsw, r.ctx_involuntary = nivcsw;
    std::uint64_t user_us = 0, system_us = 0, maxrss_kb = 0;
    if (in >> user_us >> system_us >> maxrss_kb)
      r.cpu_user_us = user_us, r.cpu_system_us = system_us, r.max_rss_bytes = maxrss_kb * 1024;
    return r;
  }
  return std::nullopt;
}

}  // namespace bbx::process
