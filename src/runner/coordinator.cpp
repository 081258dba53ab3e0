#include "runner/coordinator.hpp"

#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "report/console.hpp"
#include "report/junit.hpp"
#include "report/summary.hpp"
#include "runner/run_dir.hpp"
#include "runner/runner_launch.hpp"
#include "runner/runner_process.hpp"
#include "util/clock.hpp"
#include "util/signals.hpp"

namespace bbx::runner {

namespace {

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

ScenarioResult not_started(const Scenario& s, int signal) {
  ScenarioResult r;
  r.id = s.id;
  r.name = s.name;
  r.file = s.file.string();
  r.verdict = Verdict::interrupted;
  r.message = "not started: the run was interrupted (" + util::signal_name(signal) + ")";
  return r;
}

}  // namespace

// Scenario i runs in the runner prepared for it (runner_launch.hpp): at most `jobs` run at
// once, and one more is prepared ahead while any scenario is left. A scenario's result is
// taken when its runner reports done or, failing that, when the runner is reaped.
RunSummary run_scenarios(const std::vector<Scenario>& scenarios, const CoordinatorOptions& options) {
  RunSummary summary;
  auto started_at = util::monotonic_ns();
  const auto run_dir = create_run_dir(options.runs_dir, summary.run_id);
  summary.run_dir = run_dir.string();
  const std::size_t n = scenarios.size();
  summary.results.resize(n);
  std::vector<bool> started(n, false), collected(n, false);
  std::map<pid_t, std::size_t> alive;  // forked and not reaped: pid -> scenario
  std::set<pid_t> discarded;
  std::optional<LaunchedRunner> ahead;  // prepared, not started
  std::size_t next = 0, running = 0;    // running: started and not collected
  RunnerLauncher launcher;

  auto prepare_next = [&] {
    if (ahead || next >= n || launcher.interrupted()) return;
    const auto& s = scenarios[next];
    auto dir = run_dir / scenario_dir_name(s.id);
    std::filesystem::create_directories(dir);
    RunnerOptions ro{dir, "", options.keep_sandbox, options.pause_on_fail};
    ahead = launcher.prepare(next, options.isolation, [&s, ro](const std::string& mode) mutable {
      ro.isolation = mode;
      return run_scenario_process(s, ro);
    });
    if (ahead->pid < 0) fail_harness("cannot fork a runner process");
    alive[ahead->pid] = next++;
  };
  auto take = [&](std::size_t index, int status) {
    if (collected[index]) return;
    collected[index] = true;
    --running;
    auto dir = run_dir / scenario_dir_name(scenarios[index].id);
    summary.results[index] = collect(scenarios[index], dir, status);
    report::print_scenario(std::cout, summary.results[index], options.color);
  };

  for (;;) {
    if (launcher.interrupted() && ahead) {  // it never ran: no directory of its own either
      launcher.discard(*ahead);
      discarded.insert(ahead->pid);
      std::error_code ignored;
      std::filesystem::remove(run_dir / scenario_dir_name(scenarios[ahead->index].id), ignored);
      ahead.reset();
    }
    while (!launcher.interrupted() && running < std::size_t(std::max(1, options.jobs)) && (ahead || next < n)) {
      prepare_next();
      launcher.start(*ahead);
      started[ahead->index] = true;
      ++running;
      ahead.reset();
    }
    prepare_next();
    if (alive.empty()) break;
    auto events = launcher.wait();
    for (auto index : events.done)
      if (index < n && started[index]) take(index, 0);
    for (const auto& r : events.reaped) {
      auto it = alive.find(r.pid);
      if (it == alive.end()) continue;
      std::size_t index = it->second;
      alive.erase(it);
      if (!discarded.count(r.pid)) take(index, r.status);
    }
  }
  summary.interrupted = launcher.interrupted() != 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!started[i]) summary.results[i] = not_started(scenarios[i], launcher.interrupted());
  summary.duration_ns = util::monotonic_ns() - started_at;
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
