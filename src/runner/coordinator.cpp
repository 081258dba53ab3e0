#include "runner/coordinator.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>

#include "report/console.hpp"
#include "report/junit.hpp"
#include "report/summary.hpp"
#include "runner/run_dir.hpp"
#include "runner/runner_process.hpp"
#include "util/clock.hpp"
#include "util/signals.hpp"

namespace bbx::runner {

namespace {

// SIGINT/SIGTERM: the handler itself forwards the signal it got to every runner, so an
// interrupt landing anywhere (also between fork and waitpid) reaches them, and each runner
// reports the signal bbx really received ("interrupted (SIGINT)"). Runners are forked with
// both signals blocked and unblock them once their own handler is installed (the scenario
// driver), so an early interrupt is pending, never lost.
constexpr std::size_t kMaxRunners = 257;
volatile sig_atomic_t g_interrupted = 0;  // the first interrupting signal; 0 while none
volatile pid_t g_runners[kMaxRunners] = {};  // 0: free slot; written with the signals blocked
void on_interrupt(int sig) {
  if (!g_interrupted) g_interrupted = sig;
  for (std::size_t i = 0; i < kMaxRunners; ++i)
    if (g_runners[i] > 0) ::kill(g_runners[i], sig);
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void track_runner(pid_t pid, bool add) {
  for (std::size_t i = 0; i < kMaxRunners; ++i)
    if (add ? g_runners[i] == 0 : g_runners[i] == pid) {
      g_runners[i] = add ? pid : 0;
      return;
    }
}

struct InterruptGuard {
  struct sigaction old_int {}, old_term {};
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;  // no SA_RESTART: waitpid returns EINTR
    ::sigaction(SIGINT, &sa, &old_int);
    ::sigaction(SIGTERM, &sa, &old_term);
  }
  ~InterruptGuard() {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
  }
};

ScenarioResult collect(const Scenario& s, const std::filesystem::path& dir, int status) {
  try {
    std::ifstream in(result_file(dir));
    if (in) return scenario_result_from_json(nlohmann::json::parse(in));
  } catch (const std::exception&) {
  }
  ScenarioResult r;
  r.id = s.id;
  r.name = s.name;
  r.file = s.file.string();
  r.dir = dir.string();
  r.verdict = Verdict::error;
  r.message = WIFSIGNALED(status) ? "runner process killed by " + util::signal_name(WTERMSIG(status))
                                  : "runner process exited with code " + std::to_string(WEXITSTATUS(status)) +
                                        " without a result";
  return r;
}

}  // namespace

RunSummary run_scenarios(const std::vector<Scenario>& scenarios, const CoordinatorOptions& options) {
  RunSummary summary;
  auto started = util::monotonic_ns();
  const auto run_dir = create_run_dir(options.runs_dir, summary.run_id);
  summary.run_dir = run_dir.string();
  summary.results.resize(scenarios.size());
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  InterruptGuard guard;
  while (next < scenarios.size() || !running.empty()) {
    while (!g_interrupted && next < scenarios.size() && running.size() < std::size_t(std::max(1, options.jobs))) {
      const auto& s = scenarios[next];
      auto dir = run_dir / scenario_dir_name(s.id);
      std::filesystem::create_directories(dir);
      RunnerOptions ro{dir, "", options.keep_sandbox, options.pause_on_fail};
      sigset_t block = interrupt_signals(), old;
      ::sigprocmask(SIG_BLOCK, &block, &old);
      pid_t pid = fork_runner(options.isolation, [&](const std::string& mode) {
        ro.isolation = mode;
        return run_scenario_process(s, ro);
      });
      if (pid > 0) track_runner(pid, true);
      ::sigprocmask(SIG_SETMASK, &old, nullptr);
      if (pid < 0) fail_harness("cannot fork a runner process");
      running[pid] = next++;
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno != EINTR) break;
      if (g_interrupted) summary.interrupted = true;  // the handler already told the runners
      continue;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    {
      sigset_t block = interrupt_signals(), old;
      ::sigprocmask(SIG_BLOCK, &block, &old);
      track_runner(pid, false);
      ::sigprocmask(SIG_SETMASK, &old, nullptr);
    }
    std::size_t index = it->second;
    running.erase(it);
    auto dir = run_dir / scenario_dir_name(scenarios[index].id);
    summary.results[index] = collect(scenarios[index], dir, status);
    report::print_scenario(std::cout, summary.results[index], options.color);
  }
  if (g_interrupted) summary.interrupted = true;
  // Scenarios never started because of an interrupt.
  for (std::size_t i = next; i < scenarios.size(); ++i) {
    summary.results[i].id = scenarios[i].id;
    summary.results[i].name = scenarios[i].name;
    summary.results[i].file = scenarios[i].file.string();
    summary.results[i].verdict = Verdict::interrupted;
    summary.results[i].message = "not started: the run was interrupted (" + util::signal_name(g_interrupted) + ")";
  }
  summary.duration_ns = util::monotonic_ns() - started;
  report::write_summary_json(run_dir / "summary.json", summary);
  if (options.junit) {
    report::write_junit(*options.junit, summary);
    report::write_junit(run_dir / "junit.xml", summary);
  }
  report::print_summary(std::cout, summary, options.color);
  return summary;
}

int exit_code_for(const RunSummary& summary) {
  if (summary.interrupted) return 130;
  int code = 0;
  for (const auto& r : summary.results) {
    if (r.verdict == Verdict::interrupted) return 130;
    if (r.verdict == Verdict::error) code = 3;
    if (r.verdict == Verdict::failed && code == 0) code = 1;
  }
  return code;
}

}  // namespace bbx::runner
