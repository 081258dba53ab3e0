#include "process/subreaper_shim.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace bbx::process {

namespace {

void report(const char* text, int len) {
  while (::write(kShimReportFd, text, static_cast<size_t>(len)) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void exec_command(char** argv) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
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

}  // namespace

int run_subreaper_shim(int argc, char** argv) {
  // argv: __supervise -- EXECUTABLE ARGS...
  if (argc < 3 || std::strcmp(argv[1], "--") != 0) {
    std::fprintf(stderr, "usage: bbx __supervise -- EXECUTABLE [ARGS...] (internal; fd 3 = report pipe)\n");
    return 2;
  }
  if (::fcntl(kShimReportFd, F_SETFD, FD_CLOEXEC) != 0) return 3;
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t child = ::fork();
  if (child < 0) return 3;
  if (child == 0) exec_command(argv + 2);
  ::setpgid(child, child);
  char line[96];
  int n = std::snprintf(line, sizeof line, "S %d\n", static_cast<int>(child));
  report(line, n);
  drop_stdio();
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED) != 0) {
      if (errno == EINTR) continue;
      return 0;  // ECHILD: the whole tree is gone
    }
    siginfo_t peek{};  // are other processes of the tree left? (orphans are ours already)
    int more = ::waitid(P_ALL, 0, &peek, WEXITED | WNOHANG | WNOWAIT) == 0 ? 1 : 0;
    n = std::snprintf(line, sizeof line, "E %d %d %d %d\n", static_cast<int>(info.si_pid), info.si_code,
                      info.si_status, more);
    report(line, n);
  }
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
    return r;
  }
  return std::nullopt;
}

}  // namespace bbx::process
