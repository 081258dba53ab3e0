// The spawn floor: posix_spawn + waitpid of a program, N times, one at a time.
// Prints the mean milliseconds per spawn+reap. Usage: spawn_floor N [PROGRAM]
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

extern char** environ;

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  const char* program = argc > 2 ? argv[2] : "/bin/true";
  char* child_argv[] = {const_cast<char*>(program), nullptr};
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    pid_t pid;
    if (posix_spawn(&pid, program, nullptr, nullptr, child_argv, environ) != 0) return 1;
    int status;
    waitpid(pid, &status, 0);
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.3f\n", ms / n);
}
