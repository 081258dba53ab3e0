// Runs a command and reports the peak resident set size of it and its descendants.
// Usage: peak_rss OUT_FILE COMMAND [ARGS...]
// Writes `peak_rss_kb=N` and `cpu_s=S` to OUT_FILE once COMMAND exits, and exits with
// COMMAND's code (128+signal when it was killed). S is the user + system CPU seconds of
// COMMAND and its reaped descendants (what the machine's other load does not change). N is wait4()'s ru_maxrss for COMMAND: the kernel folds
// in the peak of every descendant that was reaped (bbx reaps its runner), so this is the
// largest RSS any process of the tree reached, including the phases after the last sample
// a /proc poller could take. SIGTERM/SIGINT received here are forwarded to COMMAND.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

extern char** environ;

namespace {
volatile sig_atomic_t child_pid = 0;
void forward(int sig) {
  if (child_pid > 0) kill(child_pid, sig);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss OUT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  pid_t pid;
  if (posix_spawnp(&pid, argv[2], nullptr, nullptr, argv + 2, environ) != 0) {
    std::perror("peak_rss: spawn");
    return 127;
  }
  child_pid = pid;
  struct sigaction sa {};
  sa.sa_handler = forward;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  int status = 0;
  rusage ru{};
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      std::perror("peak_rss: wait4");
      return 1;
    }
  }
  if (FILE* out = std::fopen(argv[1], "w")) {
    std::fprintf(out, "peak_rss_kb=%ld\n", ru.ru_maxrss);
    std::fprintf(out, "cpu_s=%.3f\n", double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                                          double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
    std::fclose(out);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
