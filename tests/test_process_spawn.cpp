// process::spawn_process: vfork + exec through Boost.Process v2's initializers. The child
// gets exactly its argv, cwd, environment, stdio, fd 3 and its own process group, starts
// with no signal blocked or ignored whatever the runner blocks or ignores, and an exec
// failure is a clear exception in the parent (not a child that exits 127 unnoticed).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "process/spawn.hpp"

using bbx::process::SpawnRequest;
using bbx::process::spawn_process;

namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs program with args in a child started by spawn_process; returns its stdout.
std::string run_program(const std::string& program, std::vector<std::string> args, SpawnRequest r = {}) {
  int out[2];
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  r.executable = program;
  r.args = std::move(args);
  if (r.cwd.empty()) r.cwd = "/";
  r.stdout_fd = out[1];
  r.stderr_fd = out[1];
  pid_t pid = spawn_process(r);
  ::close(out[1]);
  std::string text = read_all(out[0]);
  ::close(out[0]);
  CHECK(wait_exit_code(pid) == 0);
  return text;
}

std::string run_shell(const std::string& script, SpawnRequest r = {}) { return run_program("/bin/sh", {"-c", script}, r); }

std::string status_field(const std::string& status, const std::string& name) {
  auto at = status.find("\n" + name + ":");
  if (at == std::string::npos) return "";
  auto begin = status.find_first_not_of(" \t", at + name.size() + 2);
  return status.substr(begin, status.find('\n', begin) - begin);
}

}  // namespace

TEST_CASE("the child gets its argv, cwd, exact environment and own process group") {
  auto dir = std::filesystem::temp_directory_path() / "bbx-spawn-test";
  std::filesystem::create_directories(dir);
  SpawnRequest r;
  r.cwd = dir;
  r.env = {{"ONLY", "this one"}, {"PATH", "/usr/bin:/bin"}};
  auto out = run_shell("echo \"$ONLY|$HOME|$(pwd)\"; ps -o pgid= -p $$ | tr -d ' '; echo $$", r);
  CHECK(out.rfind("this one||" + dir.string() + "\n", 0) == 0);
  auto first_nl = out.find('\n'), second_nl = out.find('\n', first_nl + 1);
  auto pgid = out.substr(first_nl + 1, second_nl - first_nl - 1);
  auto pid = out.substr(second_nl + 1, out.find('\n', second_nl + 1) - second_nl - 1);
  CHECK(pgid == pid);  // its own group, led by itself
}

TEST_CASE("report_fd becomes fd 3 and other descriptors of the parent are closed") {
  int report[2];
  REQUIRE(::pipe2(report, O_CLOEXEC) == 0);
  int leaked = ::open("/dev/null", O_RDONLY);  // not CLOEXEC: must still not reach the child
  SpawnRequest r;
  r.report_fd = report[1];
  auto out = run_shell("echo to-fd-3 >&3; ls /proc/self/fd | sort -n | tr '\\n' ' '", r);
  ::close(report[1]);
  CHECK(read_all(report[0]) == "to-fd-3\n");
  ::close(report[0]);
  ::close(leaked);
  CHECK(out == "0 1 2 3 4 ");  // 4: the directory ls is reading
}

TEST_CASE("the child starts with no signal blocked or ignored; the parent's mask is kept") {
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::pthread_sigmask(SIG_BLOCK, &usr1, &old);
  auto old_usr2 = ::signal(SIGUSR2, SIG_IGN);
  // The child itself (a shell may block signals for a moment around its own forks).
  auto status = run_program("/bin/cat", {"/proc/self/status"});
  CHECK(status_field(status, "SigBlk") == "0000000000000000");
  CHECK(status_field(status, "SigIgn").find_first_not_of('0') == std::string::npos);
  sigset_t now;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &now);
  CHECK(sigismember(&now, SIGUSR1) == 1);  // restored after the spawn
  ::signal(SIGUSR2, old_usr2);
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

TEST_CASE("an exec failure throws in the parent with the OS's reason") {
  auto path = std::filesystem::temp_directory_path() / "bbx-spawn-not-a-program";
  std::ofstream(path) << "not a program\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  SpawnRequest r;
  r.executable = path;
  r.cwd = "/";
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  r.stdout_fd = r.stderr_fd = devnull;
  try {
    spawn_process(r);
    FAIL("spawn_process did not throw");
  } catch (const std::system_error& e) {
    CHECK(std::string(e.what()) == "cannot start " + path.string() + ": Exec format error");
  }
  ::close(devnull);
  int status = 0;
  CHECK(::waitpid(-1, &status, WNOHANG) == -1);  // the failed child was reaped
}
