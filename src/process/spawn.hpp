// Starting one subject process with Boost.Process v2.
//
// The child gets: argv as given (no shell), cwd, exactly the environment given, stdin from
// /dev/null (or stdin_fd), stdout/stderr on the given pipe write ends, its own process
// group, the given umask and rlimits, and SIGKILL when the runner dies (PR_SET_PDEATHSIG).
// report_fd, when given, becomes fd 3 (the subreaper shim's report pipe). Every other
// descriptor is closed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace bbx::process {

struct SpawnRequest {
  std::filesystem::path executable;  // resolved, absolute
  std::vector<std::string> args;     // argv[1..]
  std::filesystem::path cwd;
  std::map<std::string, std::string> env;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int stdin_fd = -1;                       // -1: /dev/null
  int report_fd = -1;                      // -1: none; else dup'ed to fd 3
  int umask = -1;                          // -1: inherit
  std::vector<std::pair<int, long>> rlimits;  // RLIMIT_x -> soft and hard value (-1: infinity)
};

// Starts the child with vfork (no copy of the runner's page tables) and returns its pid;
// the caller reaps it. Throws std::system_error when it cannot be started (including exec
// failure: not found, not executable), "cannot start PATH: <the OS's reason>".
pid_t spawn_process(const SpawnRequest& request);

// The environment every subject and command starts from: PATH (bbx's), HOME = the
// sandbox, LANG=C.UTF-8, TZ=UTC. Declared variables are added on top by the caller.
std::map<std::string, std::string> clean_environment(const std::filesystem::path& sandbox);

// command[0] -> an executable path: names with '/' are taken relative to base_dir; bare
// names are looked up beside the bbx binary (fixtures), then on PATH. Empty if not found.
std::filesystem::path resolve_executable(const std::string& name, const std::filesystem::path& base_dir);

}  // namespace bbx::process
