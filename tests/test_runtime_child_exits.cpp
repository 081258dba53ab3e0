// The exits of commands the runner starts, kept for their starters when the supervisor's
// reaper takes them first; nobody's children are left to the reaper to report.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "runtime/child_exits.hpp"

using bbx::runtime::ChildExits;

namespace {

// A real child's exit, reaped as the supervisor does (waitid P_ALL).
siginfo_t reap_child_exiting(int code) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(code);
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED) == 0);
  return info;
}

}  // namespace

TEST_CASE("an expected child's status is kept for its starter until it forgets it") {
  ChildExits exits;
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(7);
  exits.expect(pid);
  CHECK_FALSE(exits.reaped(pid));  // running, or not reaped by anyone yet
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED) == 0);
  CHECK(exits.keep(info));  // the reaper took it: kept, not reported
  auto kept = exits.reaped(pid);
  REQUIRE(kept);
  CHECK(kept->si_pid == pid);
  CHECK(kept->si_code == CLD_EXITED);
  CHECK(kept->si_status == 7);
  CHECK(exits.reaped(pid));  // read again while polling: the same
  exits.forget(pid);
  CHECK_FALSE(exits.reaped(pid));
}

TEST_CASE("a child nobody expects is the reaper's to report, and is not kept") {
  ChildExits exits;
  auto info = reap_child_exiting(3);
  CHECK_FALSE(exits.keep(info));
  CHECK_FALSE(exits.reaped(info.si_pid));
  exits.expect(info.si_pid + 1);  // another pid expected changes nothing for this one
  CHECK_FALSE(exits.keep(info));
}

TEST_CASE("a pid expected again (reused by the kernel) starts without the old status") {
  ChildExits exits;
  auto info = reap_child_exiting(1);
  exits.expect(info.si_pid);
  CHECK(exits.keep(info));
  exits.expect(info.si_pid);
  CHECK_FALSE(exits.reaped(info.si_pid));
}
