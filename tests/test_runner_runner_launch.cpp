// RunnerLauncher: runners prepared ahead run their body only once started, report done
// when the body returned 0, exit without running when discarded, and wait() sees each of
// these and an interrupt without ever blocking past them.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <set>

#include "runner/runner_launch.hpp"

using bbx::runner::IsolationMode;
using bbx::runner::LaunchedRunner;
using bbx::runner::RunnerLauncher;

namespace {

// Collects events until `pids` were all reaped; returns the done indices seen.
std::vector<std::size_t> collect_until_reaped(RunnerLauncher& launcher, std::set<pid_t> pids,
                                              std::map<pid_t, int>* statuses = nullptr) {
  std::vector<std::size_t> done;
  while (!pids.empty()) {
    auto events = launcher.wait();
    done.insert(done.end(), events.done.begin(), events.done.end());
    for (const auto& r : events.reaped) {
      pids.erase(r.pid);
      if (statuses) (*statuses)[r.pid] = r.status;
    }
    if (events.done.empty() && events.reaped.empty() && !launcher.interrupted()) break;  // nothing alive
  }
  return done;
}

std::string marker_file(const std::string& name) {
  return "/tmp/bbx-launch-test-" + std::to_string(::getpid()) + "-" + name;
}

// Prepares a runner whose body writes "ran" to `marker` (a body that ran leaves the file).
LaunchedRunner prepare_marking(RunnerLauncher& launcher, std::size_t index, IsolationMode mode,
                               const std::string& marker) {
  return launcher.prepare(index, mode, [marker](const std::string&) {
    std::ofstream(marker) << "ran";
    return 0;
  });
}

}  // namespace

TEST_CASE("a started runner runs its body, reports done and is reaped") {
  RunnerLauncher launcher;
  auto ran = marker_file("started");
  auto runner = launcher.prepare(7, IsolationMode::none, [&](const std::string& mode) {
    std::ofstream(ran) << mode;
    return 0;
  });
  REQUIRE(runner.pid > 0);
  launcher.start(runner);
  std::map<pid_t, int> statuses;
  auto done = collect_until_reaped(launcher, {runner.pid}, &statuses);
  CHECK(done == std::vector<std::size_t>{7});
  CHECK(WIFEXITED(statuses[runner.pid]));
  CHECK(WEXITSTATUS(statuses[runner.pid]) == 0);
  std::ifstream in(ran);
  std::string mode;
  in >> mode;
  CHECK(mode == "none");
  ::unlink(ran.c_str());
}

TEST_CASE("a body that fails is reaped with its code and never reported done") {
  RunnerLauncher launcher;
  auto runner = launcher.prepare(1, IsolationMode::none, [](const std::string&) { return 3; });
  launcher.start(runner);
  std::map<pid_t, int> statuses;
  auto done = collect_until_reaped(launcher, {runner.pid}, &statuses);
  CHECK(done.empty());
  CHECK(WEXITSTATUS(statuses[runner.pid]) == 3);
}

TEST_CASE("a discarded runner exits without running its body") {
  RunnerLauncher launcher;
  auto ran = marker_file("discarded");
  auto runner = prepare_marking(launcher, 2, IsolationMode::automatic, ran);
  REQUIRE(runner.pid > 0);
  launcher.discard(runner);
  std::map<pid_t, int> statuses;
  auto done = collect_until_reaped(launcher, {runner.pid}, &statuses);
  CHECK(done.empty());
  CHECK(WEXITSTATUS(statuses[runner.pid]) == 0);
  CHECK_FALSE(std::ifstream(ran).good());
}

TEST_CASE("a body waits for start: a runner prepared ahead does nothing until then") {
  RunnerLauncher launcher;
  auto ran = marker_file("waits");
  auto runner = prepare_marking(launcher, 4, IsolationMode::none, ran);
  ::usleep(100 * 1000);
  CHECK_FALSE(std::ifstream(ran).good());
  launcher.start(runner);
  auto done = collect_until_reaped(launcher, {runner.pid});
  CHECK(done == std::vector<std::size_t>{4});
  CHECK(std::ifstream(ran).good());
  ::unlink(ran.c_str());
}

TEST_CASE("an interrupt ends a wait and is forwarded to the runners") {
  RunnerLauncher launcher;
  // The body unblocks SIGINT (runners are forked with it blocked) and waits for it.
  auto runner = launcher.prepare(5, IsolationMode::none, [](const std::string&) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    int sig = 0;
    ::sigwait(&set, &sig);
    return sig == SIGINT ? 0 : 1;
  });
  launcher.start(runner);
  ::usleep(50 * 1000);
  ::kill(::getpid(), SIGINT);  // as from a terminal: the launcher's handler takes it
  auto first = launcher.wait();
  CHECK(launcher.interrupted() == SIGINT);
  std::map<pid_t, int> statuses;
  std::set<pid_t> left{runner.pid};
  for (const auto& r : first.reaped) left.erase(r.pid), statuses[r.pid] = r.status;
  auto done = collect_until_reaped(launcher, left, &statuses);
  done.insert(done.end(), first.done.begin(), first.done.end());
  CHECK(done == std::vector<std::size_t>{5});  // the forwarded SIGINT ended its body
  CHECK(WEXITSTATUS(statuses[runner.pid]) == 0);
}

TEST_CASE("wait returns at once when no runner is alive") {
  RunnerLauncher launcher;
  auto events = launcher.wait();
  CHECK(events.done.empty());
  CHECK(events.reaped.empty());
}

TEST_CASE("a SIGCONT ends a wait and is reported once by continued()") {
  RunnerLauncher launcher;
  auto runner = launcher.prepare(6, IsolationMode::none, [](const std::string&) { return 0; });
  CHECK_FALSE(launcher.continued());
  ::kill(::getpid(), SIGCONT);  // as after `fg`: the runner, not started, keeps waiting
  auto begun = std::chrono::steady_clock::now();
  auto events = launcher.wait(begun + std::chrono::seconds(10));
  CHECK(std::chrono::steady_clock::now() - begun < std::chrono::seconds(5));  // not at the deadline
  CHECK(events.done.empty());
  CHECK(events.reaped.empty());
  CHECK(launcher.continued());
  CHECK_FALSE(launcher.continued());
  launcher.discard(runner);
  collect_until_reaped(launcher, {runner.pid});
}

TEST_CASE("wait returns at its deadline when nothing happens") {
  RunnerLauncher launcher;
  auto runner = launcher.prepare(8, IsolationMode::none, [](const std::string&) { return 0; });
  auto begun = std::chrono::steady_clock::now();
  auto events = launcher.wait(begun + std::chrono::milliseconds(200));
  auto took = std::chrono::steady_clock::now() - begun;
  CHECK(events.done.empty());
  CHECK(events.reaped.empty());
  CHECK(took >= std::chrono::milliseconds(190));
  CHECK(took < std::chrono::seconds(5));
  launcher.discard(runner);
  collect_until_reaped(launcher, {runner.pid});
}
