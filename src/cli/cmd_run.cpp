// `bbx run`: selects scenarios, composes the run's reporters (summary.json, JUnit when
// asked, the console) and hands both to the coordinator.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "bbx/error.hpp"
#include "cli/color.hpp"
#include "cli/command_table.hpp"
#include "cli/rerun_failed.hpp"
#include "cli/selection.hpp"
#include "cli/shard.hpp"
#include "compare/baseline.hpp"
#include "compare/diff_report.hpp"
#include "report/attempts_folded.hpp"
#include "report/output_file.hpp"
#include "report/file_reporter.hpp"
#include "report/summary.hpp"
#include "report/tap.hpp"
#include "util/units.hpp"
#include "report/console_reporter.hpp"
#include "report/junit_reporter.hpp"
#include "report/story_text.hpp"
#include "report/summary_reporter.hpp"
#include "runner/coordinator.hpp"
#include "runner/pause_on_fail.hpp"
#include "views/scenario_views.hpp"

namespace bbx::cli {

namespace {

std::vector<OptionSpec> run_options() {
  auto opts = selection_options();
  opts.insert(opts.begin(), {
      {"jobs", 'j', true, "N", "run N scenarios at once, each in its own runner process (default: the number of CPUs); -j2 and --jobs=2 work too"},
      {"isolation", 0, true, "MODE", "auto (default), namespaces or none; see the Isolation section of README.md"},
      {"runs-dir", 0, true, "DIR", "where runs are written (default sandbox/runs)"},
      {"keep-runs", 0, true, "N", "keep only the N newest runs in the runs directory (this one included); older ones are removed when the run starts"},
      {"keep", 0, false, "", "keep every scenario's sandbox/, not only failed ones"},
      {"pause-on-fail", 0, false, "", "at a failure keep fakes and subjects running, print how to inspect them, wait for Enter (interactive terminals only, -j 1, refused when CI=true)"},
      {"junit", 0, true, "FILE", "also write JUnit XML to FILE (and to the run directory); FILE is opened before anything runs"},
      {"verbose", 'v', false, "", "stream every event of the running scenarios as it happens, one line each"},
      {"quiet", 'q', false, "", "print only failures and the summary"},
      {"still-running-after", 0, true, "DURATION", "say what a scenario does when it runs longer than this, then every 30s (default 10s; 0: never)"},
      {"tap", 0, true, "FILE", "also write TAP 14 to FILE ('-': standard output, the console then goes to stderr); repeatable"},
      {"json", 0, true, "FILE", "also write the JSON report (summary.json's format, docs/report-json.md) to FILE; repeatable"},
      {"shard", 0, true, "K/N", "run only shard K of N: every scenario falls to exactly one shard, the same in every job"},
      {"durations", 0, true, "FILE", "with --shard: balance the shards by the durations in an earlier run's JSON report"},
      {"until-fail", 0, true, "N", "run the selection again and again, each time as a run of its own, until a run does not pass, at most N times"},
      {"rerun-failed", 0, false, "", "run only the selected scenarios that did not pass in the latest run of the runs directory (failed, error, flaky, interrupted); nothing to rerun exits 0"},
      {"color", 0, true, "WHEN", "auto (default), always or never"},
      {"repeat", 0, true, "N", "run every scenario N times (attempt 1 of each, then attempt 2, ...); attempt K's directory is <scenario-dir>@K and summary.json says each result's attempt"},
      {"baseline-out", 0, true, "FILE", "learn a baseline from this run's journals (with --repeat N: from N runs of each scenario) and write it to FILE (docs/comparing-runs.md); every run must pass"},
      {"against", 0, true, "FILE", "compare each scenario run with the baseline in FILE: behaviour or counts outside it, or numbers outside its learned distribution, fail the run (exit 1) with the differences"},
      {"confidence", 0, true, "P", "with --against: the confidence of the interval numbers must fall in (default 0.99; between 0.5 and 0.9999)"},
      {"threshold", 0, true, "T", "with --against: the smallest change of a number that matters, per unit: a duration (default 250ms), a size (16MiB), a count (10), and of its median: a percentage (50%); repeatable"},
      {"ignore-cpu-pressure", 0, false, "", "with --against: judge durations as measured, even on a machine busier than when the baseline was learned (by default they are judged against what the difference in CPU pressure explains, and a note says so)"},
      {"context", 0, true, "N", "journal events shown around a failure's first cause, on the console and in JUnit (default 20; 0: none)"},
      {"trace", 0, true, "WHEN", "when to write trace.json (Perfetto) and timeline.html beside each scenario's journal: failed (default: scenarios that did not pass), always or never"},
  });
  return opts;
}

// How to rerun one scenario of this run: the program as invoked, `run`, and the options that
// change what a scenario does or where it goes (--var, --isolation, --runs-dir); the console
// adds --id and the file.
std::string rerun_prefix(const ParsedArgs& args) {
  std::string out = report::shell_quote(args.program) + " run";
  for (const auto& kv : args.all("var")) out += " --var " + report::shell_quote(kv);
  if (auto iso = args.value("isolation")) out += " --isolation " + report::shell_quote(*iso);
  if (auto dir = args.value("runs-dir")) out += " --runs-dir " + report::shell_quote(*dir);
  return out;
}

// One runner per CPU: scenarios mostly wait on their subjects, and verdicts do not depend on -j.
int default_jobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 256u));
}

// --baseline-out: every attempt of every scenario must have passed (a baseline learned from
// a failing run would bless the failure); returns the run's exit code, or 1 when it refuses.
int write_baseline(const RunSummary& summary, report::OutputFile& file, std::ostream& console, int code) {
  std::vector<compare::ScenarioRuns> runs;
  std::size_t not_passed = 0;
  for (const auto& r : summary.results) {
    if (r.verdict != Verdict::passed) {
      ++not_passed;
      continue;
    }
    auto it = std::find_if(runs.begin(), runs.end(), [&](const auto& x) { return x.id == r.id; });
    if (it == runs.end()) it = runs.insert(runs.end(), compare::ScenarioRuns{r.id, {}});
    it->journals.push_back(std::filesystem::path(r.dir) / "events.jsonl");
  }
  if (not_passed > 0 || code != 0) {
    console << "baseline: not written to " << file.path().string() << ": " << not_passed
            << " scenario run(s) did not pass; a baseline is learned from passing runs only\n";
    return code != 0 ? code : 1;
  }
  file.write_and_close(compare::learn_baseline(runs).dump(2) + "\n");
  std::size_t n = runs.empty() ? 0 : runs.front().journals.size();
  console << "baseline: " << file.path().string() << " (" << runs.size() << " scenario" << (runs.size() == 1 ? "" : "s")
          << ", " << n << " run" << (n == 1 ? "" : "s") << " each)\n";
  return code;
}

// --against: every run of every scenario judged against the baseline; the report lists
// those that differ. Returns 1 when any differs (or the run's worse exit code).
int judge_against(const RunSummary& summary, const nlohmann::json& baseline, const std::string& path,
                  const compare::BaselineOptions& options, bool color, std::ostream& console, int code) {
  std::vector<compare::ScenarioDiff> diffs;
  for (const auto& r : summary.results) {
    if (r.verdict == Verdict::interrupted || r.dir.empty()) continue;
    auto journal = std::filesystem::path(r.dir) / "events.jsonl";
    if (!std::filesystem::exists(journal)) continue;
    auto d = compare::judge_run(baseline, path, r.id, journal, options);
    if (r.attempt > 1) d.id += " (attempt " + std::to_string(r.attempt) + ")";
    diffs.push_back(std::move(d));
  }
  compare::ReportStyle style;
  style.color = color;
  style.a_name = "baseline";
  style.b_name = "this run";
  bool same = std::all_of(diffs.begin(), diffs.end(), [](const auto& d) { return d.same(); });
  console << "\nagainst the baseline " << path << ":\n" << compare::diff_report(diffs, style);
  if (same) return code;
  return code == 0 ? 1 : code;
}

int run(const ParsedArgs& args) {
  runner::CoordinatorOptions options;
  // --pause-on-fail stops at the first failure with one scenario running: -j 1 unless asked.
  options.jobs = args.integer("jobs", args.flag("pause-on-fail") ? 1 : default_jobs(), 1, 256);
  options.isolation = runner::parse_isolation(args.value("isolation").value_or("auto"));
  if (auto dir = args.value("runs-dir")) options.runs_dir = *dir;
  options.keep_sandbox = args.flag("keep");
  options.keep_runs = static_cast<std::size_t>(args.integer("keep-runs", 0, 1, 100000));
  options.trace = views::parse_trace_policy(args.value("trace").value_or("failed"));
  if (args.flag("pause-on-fail")) {
    if (auto why = runner::pause_on_fail_refusal(); !why.empty())
      fail_input({}, "--pause-on-fail needs an interactive terminal (" + why + ")");
    if (options.jobs != 1) fail_input({}, "--pause-on-fail runs one scenario at a time: drop -j or use -j 1");
    options.pause_on_fail = true;
  }
  options.repeat = static_cast<int>(args.integer("repeat", 1, 1, 10000));
  // Baselines: files checked before anything runs, compared after everything ran.
  std::optional<report::OutputFile> baseline_out;
  std::optional<nlohmann::json> against;
  std::optional<std::string> against_path = args.value("against");
  compare::BaselineOptions baseline_options;
  if (auto out = args.value("baseline-out")) {
    if (against_path) fail_input({}, "--baseline-out and --against: give one of them (learn a baseline, or compare with one)");
    baseline_out.emplace(*out, "the baseline");
  }
  if (against_path) against = compare::read_baseline(*against_path);
  if (!against_path && (args.value("confidence") || !args.all("threshold").empty() || args.flag("ignore-cpu-pressure")))
    fail_input({}, "--confidence, --threshold and --ignore-cpu-pressure judge numbers against a baseline: give --against FILE too");
  if (auto c = args.value("confidence")) {
    char* end = nullptr;
    double v = std::strtod(c->c_str(), &end);
    if (c->empty() || *end != '\0' || !(v >= 0.5 && v <= 0.9999))
      fail_input({}, "--confidence: expected a probability between 0.5 and 0.9999 (0.99), got '" + *c + "'");
    baseline_options.confidence = v;
  }
  for (const auto& t : args.all("threshold")) compare::parse_threshold(t, baseline_options.floors);
  baseline_options.floors.use_cpu_pressure = !args.flag("ignore-cpu-pressure");
  report::ConsoleOptions console_options;
  console_options.color = want_color(args);
  console_options.context = static_cast<std::size_t>(args.integer("context", 20, 0, 10000));
  console_options.rerun = rerun_prefix(args);
  const char* github = std::getenv("GITHUB_ACTIONS");
  console_options.github = github && std::string(github) == "true";
  const bool color = console_options.color;
  auto scenarios = select_scenarios(args);
  if (args.flag("rerun-failed")) {
    std::string last_run = (options.runs_dir / "latest").string();
    scenarios = rerun_failed(std::move(scenarios), options.runs_dir, std::cerr);
    if (scenarios.empty()) {
      std::cout << "--rerun-failed: every scenario of the latest run (" << last_run << ") passed; nothing to rerun\n";
      return 0;
    }
  }
  if (auto shard = args.value("shard")) {
    auto spec = parse_shard(*shard);
    std::map<std::string, double> durations;
    if (auto d = args.value("durations")) durations = durations_from_report(*d);
    std::vector<std::string> ids;
    for (const auto& s : scenarios) ids.push_back(s.id);
    std::vector<Scenario> mine;
    for (auto i : shard_positions(ids, spec, durations)) mine.push_back(std::move(scenarios[i]));
    scenarios = std::move(mine);
    // A shard with nothing to run (more shards than scenarios) passes: the others run them all.
    if (scenarios.empty()) {
      std::cout << "shard " << *shard << ": no scenario falls to this shard\n";
      return 0;
    }
  } else if (args.value("durations")) {
    fail_input({}, "--durations balances --shard K/N; give --shard too");
  }
  if (options.isolation != runner::IsolationMode::none) {
    const auto& why = runner::namespaces_unavailable_reason();
    if (!why.empty() && options.isolation == runner::IsolationMode::namespaces)
      fail_harness("--isolation namespaces: this machine does not allow them here: " + why);
    if (!why.empty()) std::cerr << "bbx: isolation none: namespaces are not available: " << why << "\n";
  }

  const auto& taps = args.all("tap");
  const auto& jsons = args.all("json");
  // TAP on standard output: the console moves to stderr so that the stream stays TAP.
  const bool tap_on_stdout = std::find(taps.begin(), taps.end(), "-") != taps.end();
  auto& console = tap_on_stdout ? std::cerr : std::cout;
  console_options.quiet = args.flag("quiet");
  console_options.verbose = args.flag("verbose");
  // The status line only where a person watches: a terminal, and not a CI job's log.
  const char* ci = std::getenv("CI");
  const bool in_ci = ci && *ci && std::string(ci) != "false" && std::string(ci) != "0";
  console_options.status_line = !tap_on_stdout && ::isatty(STDOUT_FILENO) && !in_ci && !options.pause_on_fail;
  if (auto after = args.value("still-running-after")) {
    auto d = util::parse_duration(*after);
    if (!d) fail_input({}, "--still-running-after: expected a duration (10s, 500ms, 0 for never), got '" + *after + "'");
    console_options.still_running_after = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  if (options.pause_on_fail) console_options.still_running_after = std::chrono::milliseconds(0);
  if (console_options.quiet && console_options.verbose) fail_input({}, "-q and -v: give one of them");
  // Called in this order at each event: summary.json is on disk before the console's last
  // line names the run directory. Made afresh for each run (--until-fail runs several).
  auto make_reporters = [&] {
    // summary.json keeps every attempt of a repeated scenario; the reports CI reads and the
    // console's tally see one result per scenario (flaky when attempts disagree).
    auto folded = [](std::unique_ptr<report::Reporter> r) {
      return std::make_unique<report::AttemptsFolded>(std::move(r));
    };
    auto reporters = std::make_unique<report::FanOutReporter>();
    reporters->add(std::make_unique<report::SummaryReporter>());
    if (auto junit = args.value("junit"))
      reporters->add(folded(std::make_unique<report::JunitReporter>(
          std::vector<std::filesystem::path>{*junit}, true, report::JunitOptions{console_options.context, console_options.rerun})));
    if (!taps.empty())
      reporters->add(folded(std::make_unique<report::FileReporter>(
          std::vector<std::filesystem::path>(taps.begin(), taps.end()), "TAP", report::tap_text)));
    if (!jsons.empty())
      reporters->add(folded(std::make_unique<report::FileReporter>(
          std::vector<std::filesystem::path>(jsons.begin(), jsons.end()), "the JSON report",
          [](const RunSummary& s) { return report::summary_json(s).dump(2) + "\n"; })));
    reporters->add(folded(std::make_unique<report::ConsoleReporter>(console, console_options)));
    return reporters;
  };
  // --until-fail N: whole runs, one after another, until one does not pass (at most N); each
  // run has its own run directory and reports; the last one's exit code is bbx's.
  const int rounds = static_cast<int>(args.integer("until-fail", 1, 1, 100000));
  if (rounds > 1 && (baseline_out || against))
    fail_input({}, "--until-fail runs until a failure; a baseline learns from (or judges) one run: give --repeat N instead");
  int code = 0;
  for (int round = 1; round <= rounds; ++round) {
    if (rounds > 1) console << "--until-fail: run " << round << " of at most " << rounds << "\n";
    auto reporters = make_reporters();
    // Every attempt counts for the exit code: a flaky scenario failed once (1), a harness
    // error in any attempt is 3.
    auto summary = runner::run_scenarios(scenarios, options, *reporters);
    code = runner::exit_code_for(summary);
    // Baselines read every attempt's journal (summary.json's results, not the folded ones).
    if (baseline_out) code = write_baseline(summary, *baseline_out, console, code);
    if (against) code = judge_against(summary, *against, *against_path, baseline_options, color, console, code);
    if (code != 0) {
      if (rounds > 1) console << "--until-fail: run " << round << " did not pass; stopping\n";
      break;
    }
    if (round == rounds && rounds > 1) console << "--until-fail: all " << rounds << " runs passed\n";
  }
  return code;
}

}  // namespace

Command cmd_run() {
  return {"run", "run scenarios and report", "bbx run [options] [PATH...]",
          "Runs every scenario found in PATHs (files, or directories searched for *.yaml and *.yml;\n"
          "default: scenarios/). Exit codes: 0 all passed, 1 a scenario failed, 2 invalid input,\n"
          "3 harness error, 130 interrupted.\n"
          "\n"
          "A failed scenario is explained from its journal: its first cause in one sentence (time\n"
          "and event seq), the check in full, the journal events around it (--context), each\n"
          "subject's last output lines, the later failures (those after a crash, readiness or step\n"
          "failure folded as its likely consequences), a tally of expectations and steps, and the\n"
          "command that reruns just that scenario (--id). With GITHUB_ACTIONS=true each failed\n"
          "scenario also prints a ::error annotation at the scenario line of its first cause.\n",
          run_options(), run};
}

}  // namespace bbx::cli
