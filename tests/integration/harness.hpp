// Helpers for integration tests: run build/bbx (or any command) and capture its exit code
// and output, with a hard timeout so a hung bbx fails the test instead of hanging CI.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace bbx::testing {

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it timed out
  std::string out;
  std::string err;
};

// Runs argv with cwd = source dir. Past the timeout: SIGTERM, and SIGKILL 5 s later.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::seconds timeout = std::chrono::seconds(60));
// run_command({build/bbx, args...}); on a timeout, err also holds the last events of each
// scenario journal under --runs-dir.
CommandResult run_bbx(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(60));

std::filesystem::path source_dir();
std::filesystem::path bbx_binary();
// A fresh empty directory under the build dir, named after the test.
std::filesystem::path fresh_dir(const std::string& name);
// Writes text to a file (creating parents) and returns its path.
std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);
// Does any process other than the test's ancestors run with this text in its cmdline?
bool process_running_with(const std::string& needle);
// Is any live process's environment holding BBX_TEST_MARKER=marker (forks keep it, exec'd
// or renamed children included)? Zombies do not count.
bool marked_process_alive(const std::string& marker);
// The --isolation modes this machine can run: "namespaces" (when allowed) and "none".
std::vector<std::string> isolation_modes();

}  // namespace bbx::testing
