#include "runner/coordinator.hpp"

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "journal/stored_journal.hpp"
#include "runner/run_dir.hpp"
#include "runner/runner_launch.hpp"
#include "runner/runner_process.hpp"
#include "util/clock.hpp"
#include "util/overloaded.hpp"
#include "util/signals.hpp"
#include "util/units.hpp"

namespace bbx::runner {

namespace {

using Clock = std::chrono::steady_clock;

// The isolation mode the runner chose, from its journal's first event; "" when it wrote none.
std::string journaled_isolation(const std::filesystem::path& dir) {
  try {
    journal::StoredJournal j(dir / "events.jsonl");
    if (j.size() > 0) {
      auto first = j.at(1);
      if (first.type == "scenario.begin") return first.body.value("isolation", "");
    }
  } catch (const std::exception&) {
  }
  return "";
}

// The runner's result.json or, when it died without one, an error made here: how it ended,
// how long it ran (from started_at) and the isolation its journal names.
ScenarioResult collect(const Scenario& s, const std::filesystem::path& dir, int status, Clock::time_point started_at) {
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
  r.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started_at).count();
  r.isolation = journaled_isolation(dir);
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

// Scenario i runs in the runner prepared for it (runner_launch.hpp): at most `jobs` run at
// once, and one more is prepared ahead while any scenario is left. A scenario's result is
// taken when its runner reports done or, failing that, when the runner is reaped.
class Schedule {
 public:
  Schedule(const std::vector<Scenario>& scenarios, std::vector<int> attempts, const CoordinatorOptions& options,
           report::Reporter& reporter, RunSummary& summary, std::filesystem::path run_dir)
      : scenarios_(scenarios), attempts_(std::move(attempts)), options_(options), reporter_(reporter), summary_(summary),
        run_dir_(std::move(run_dir)), started_(scenarios.size(), false), collected_(scenarios.size(), false),
        started_at_(scenarios.size()), ticks_(reporter.wants_ticks()),
        next_tick_(ticks_ ? Clock::now() + kTick : Clock::time_point::max()) {}

  // Returns once every runner forked has been reaped.
  void run() {
    for (;;) {
      if (launcher_.interrupted() && ahead_) discard_ahead();
      while (!launcher_.interrupted() && running_ < std::size_t(std::max(1, options_.jobs)) &&
             (ahead_ || next_ < scenarios_.size()))
        start_one();
      prepare_next();
      if (alive_.empty()) return;
      handle(launcher_.wait(std::min(next_deadline(), next_tick_)));
      if (launcher_.continued()) restart_deadlines();
      kill_overdue();
      tick();
    }
  }

  int interrupted() const { return launcher_.interrupted(); }
  bool started(std::size_t index) const { return started_[index]; }

 private:
  std::filesystem::path dir_of(std::size_t index) const { return run_dir_ / dir_names_[index]; }

  // The directory of each entry: the selected scenarios' names (scenario_dir_names, from
  // attempt 1's ids), attempt K > 1 of one as `<name>@K` ('@' is never in a name).
  std::vector<std::string> dir_names() const {
    std::vector<std::string> first_ids;
    for (std::size_t i = 0; i < scenarios_.size(); ++i)
      if (attempts_[i] == 1) first_ids.push_back(scenarios_[i].id);
    auto names = scenario_dir_names(first_ids);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scenarios_.size(); ++i) {
      const auto& name = names[i % names.size()];  // attempt-major: entry i is scenario i mod n
      out.push_back(attempts_[i] > 1 ? name + "@" + std::to_string(attempts_[i]) : name);
    }
    return out;
  }

  void prepare_next() {
    if (ahead_ || next_ >= scenarios_.size() || launcher_.interrupted()) return;
    const auto& s = scenarios_[next_];
    std::filesystem::create_directories(dir_of(next_));
    RunnerOptions ro{dir_of(next_), "", options_.keep_sandbox, options_.pause_on_fail, options_.trace, {}, {}};
    ahead_ = launcher_.prepare(next_, options_.isolation, [&s, ro](const std::string& mode) mutable {
      ro.isolation = mode;
      return run_scenario_process(s, ro);
    });
    if (ahead_->pid < 0) fail_harness("cannot fork a runner process");
    alive_[ahead_->pid] = next_++;
  }

  // Live reporters (status line, -v) hear about running scenarios about every kTick.
  void tick() {
    if (!ticks_) return;
    auto now = Clock::now();
    if (now < next_tick_) return;
    next_tick_ = now + kTick;
    std::vector<report::RunningScenario> running;
    for (std::size_t i = 0; i < scenarios_.size(); ++i)
      if (started_[i] && !collected_[i]) running.push_back({i, &scenarios_[i], dir_of(i), started_at_[i]});
    reporter_.tick(running);
  }

  void start_one() {
    prepare_next();
    launcher_.start(*ahead_);
    started_[ahead_->index] = true;
    started_at_[ahead_->index] = Clock::now();
    reporter_.scenario_started(scenarios_[ahead_->index], ahead_->index);
    ++running_;
    if (!options_.pause_on_fail)  // a pause waits for the user, however long
      deadlines_[ahead_->pid] = {ahead_->index, Clock::now() + runner_limit(scenarios_[ahead_->index])};
    ahead_.reset();
  }

  // A runner still alive this long after its start is hung: killed, its scenario a harness
  // error. The scenario's own timeout bounds everything up to its stop; then come stopping
  // the subjects (their grace periods), the metric fakes' settling (up to 30s each) and
  // the checks after the stop, for which 30s more are allowed.
  static model::Duration runner_limit(const Scenario& s) {
    model::Duration limit = s.timeout + std::chrono::seconds(30);
    for (const auto& subject : s.subjects) limit += subject.stop.grace;
    for (const auto& fake : s.fakes)
      limit += std::visit(util::Overloaded{
                              [](const model::HttpFakeSpec&) { return model::Duration(0); },
                              [](const model::MetricFakeSpec&) { return model::Duration(std::chrono::seconds(30)); },
                              [](const model::TcpFakeSpec&) { return model::Duration(0); },
                          },
                          fake.spec);
    return limit;
  }

  Clock::time_point next_deadline() const {
    auto earliest = Clock::time_point::max();
    for (const auto& [pid, d] : deadlines_)
      if (!killed_.count(d.index)) earliest = std::min(earliest, d.at);
    return earliest;
  }

  // bbx was stopped (Ctrl-Z) and continued: the time it stood still, runners included, is
  // unknown, so every runner gets its whole limit again from now.
  void restart_deadlines() {
    for (auto& [pid, d] : deadlines_) d.at = Clock::now() + runner_limit(scenarios_[d.index]);
  }

  void kill_overdue() {
    auto now = Clock::now();
    for (const auto& [pid, d] : deadlines_) {
      if (d.at > now || killed_.count(d.index)) continue;  // done but hung on its way out: killed too
      ::kill(pid, SIGKILL);  // its processes follow: PID namespace, or PR_SET_PDEATHSIG
      killed_[d.index] = util::format_duration(runner_limit(scenarios_[d.index]));
    }
  }

  void discard_ahead() {  // it never ran: no directory of its own either
    launcher_.discard(*ahead_);
    discarded_.insert(ahead_->pid);
    std::error_code ignored;
    std::filesystem::remove(dir_of(ahead_->index), ignored);
    ahead_.reset();
  }

  void handle(const RunnerLauncher::Events& events) {
    for (auto index : events.done)
      if (index < scenarios_.size() && started_[index]) take(index, 0);
    for (const auto& r : events.reaped) {
      auto it = alive_.find(r.pid);
      if (it == alive_.end()) continue;
      std::size_t index = it->second;
      alive_.erase(it);
      deadlines_.erase(r.pid);
      if (!discarded_.count(r.pid)) take(index, r.status);
    }
  }

  void take(std::size_t index, int status) {
    if (collected_[index]) return;
    collected_[index] = true;
    --running_;
    summary_.results[index] = collect(scenarios_[index], dir_of(index), status, started_[index] ? started_at_[index] : Clock::now());
    summary_.results[index].attempt = attempts_[index];
    if (auto k = killed_.find(index); k != killed_.end() && summary_.results[index].verdict == Verdict::error)
      summary_.results[index].message = "runner did not finish within " + k->second + " of its start (the scenario's "
                                        "timeout, its subjects' stop grace periods and 30s); killed";
    reporter_.scenario_done(summary_.results[index], index);
  }

  const std::vector<Scenario>& scenarios_;
  std::vector<int> attempts_;  // of each scenario in scenarios_
  const CoordinatorOptions& options_;
  report::Reporter& reporter_;
  RunSummary& summary_;
  std::filesystem::path run_dir_;
  RunnerLauncher launcher_;
  std::vector<bool> started_, collected_;
  std::vector<std::string> dir_names_ = dir_names();
  std::vector<Clock::time_point> started_at_;
  static constexpr auto kTick = std::chrono::milliseconds(250);
  bool ticks_;
  Clock::time_point next_tick_;
  std::map<pid_t, std::size_t> alive_;  // forked and not reaped: pid -> scenario
  std::set<pid_t> discarded_;
  struct Deadline {
    std::size_t index;
    Clock::time_point at;
  };
  std::map<pid_t, Deadline> deadlines_;             // started runners not reaped yet
  std::map<std::size_t, std::string> killed_;       // scenario -> the limit it overran
  std::optional<LaunchedRunner> ahead_;  // prepared, not started
  std::size_t next_ = 0, running_ = 0;   // running: started and not collected
};

}  // namespace

RunSummary run_scenarios(const std::vector<Scenario>& selected, const CoordinatorOptions& options,
                         report::Reporter& reporter) {
  // --repeat: attempt 1 of every scenario, then attempt 2, ...: an interrupted run has the
  // same number of attempts of each scenario, give or take one.
  std::vector<Scenario> repeated;
  std::vector<int> attempts(selected.size(), 1);
  if (options.repeat > 1) {
    attempts.clear();
    for (int k = 1; k <= options.repeat; ++k)
      for (const auto& s : selected) {
        repeated.push_back(s);
        attempts.push_back(k);
      }
  }
  const std::vector<Scenario>& scenarios = options.repeat > 1 ? repeated : selected;
  RunSummary summary;
  auto started_at = util::monotonic_ns();
  const auto run_dir = create_run_dir(options.runs_dir, summary.run_id);
  summary.run_dir = run_dir.string();
  prune_runs(options.runs_dir, options.keep_runs, summary.run_id);
  summary.results.resize(scenarios.size());
  reporter.run_started({summary.run_id, run_dir, scenarios});
  {
    Schedule schedule(scenarios, attempts, options, reporter, summary, run_dir);
    schedule.run();
    summary.interrupted = schedule.interrupted() != 0;
    for (std::size_t i = 0; i < scenarios.size(); ++i)
      if (!schedule.started(i)) {
        summary.results[i] = not_started(scenarios[i], schedule.interrupted());
        summary.results[i].attempt = attempts[i];
      }
  }
  summary.duration_ns = util::monotonic_ns() - started_at;
  reporter.run_done(summary);
  return summary;
}

int exit_code_for(const RunSummary& summary) {
  if (summary.interrupted) return 130;
  int code = 0;
  for (const auto& r : summary.results) {
    if (r.verdict == Verdict::interrupted) return 130;
    if (r.verdict == Verdict::error) code = 3;
    if ((r.verdict == Verdict::failed || r.verdict == Verdict::flaky) && code == 0) code = 1;
  }
  return code;
}

}  // namespace bbx::runner
