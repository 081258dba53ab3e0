// `bbx run`: selects scenarios, composes the run's reporters (summary.json, JUnit when
// asked, the console) and hands both to the coordinator.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"
#include "cli/selection.hpp"
#include "report/console_reporter.hpp"
#include "report/junit_reporter.hpp"
#include "report/story_text.hpp"
#include "report/summary_reporter.hpp"
#include "runner/coordinator.hpp"
#include "runner/pause_on_fail.hpp"

namespace bbx::cli {

namespace {

std::vector<OptionSpec> run_options() {
  auto opts = selection_options();
  opts.insert(opts.begin(), {
      {"jobs", 'j', true, "N", "run N scenarios at once, each in its own runner process (default 1)"},
      {"isolation", 0, true, "MODE", "auto (default), namespaces or none; see the Isolation section of README.md"},
      {"runs-dir", 0, true, "DIR", "where runs are written (default sandbox/runs)"},
      {"keep", 0, false, "", "keep every scenario's sandbox/, not only failed ones"},
      {"pause-on-fail", 0, false, "", "at a failure keep fakes and subjects running, print how to inspect them, wait for Enter (interactive terminals only, -j 1, refused when CI=true)"},
      {"junit", 0, true, "FILE", "also write JUnit XML to FILE (and to the run directory); FILE is opened before anything runs"},
      {"color", 0, true, "WHEN", "auto (default), always or never"},
      {"context", 0, true, "N", "journal events shown around a failure's first cause, on the console and in JUnit (default 20; 0: none)"},
  });
  return opts;
}

bool want_color(const ParsedArgs& args) {
  auto when = args.value("color").value_or("auto");
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") fail_input({}, "--color: expected auto, always or never, got '" + when + "'");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
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

int run(const ParsedArgs& args) {
  runner::CoordinatorOptions options;
  options.jobs = args.integer("jobs", 1, 1, 256);
  options.isolation = runner::parse_isolation(args.value("isolation").value_or("auto"));
  if (auto dir = args.value("runs-dir")) options.runs_dir = *dir;
  options.keep_sandbox = args.flag("keep");
  if (args.flag("pause-on-fail")) {
    if (auto why = runner::pause_on_fail_refusal(); !why.empty())
      fail_input({}, "--pause-on-fail needs an interactive terminal (" + why + ")");
    if (options.jobs != 1) fail_input({}, "--pause-on-fail runs one scenario at a time: drop -j or use -j 1");
    options.pause_on_fail = true;
  }
  report::ConsoleOptions console;
  console.color = want_color(args);
  console.context = static_cast<std::size_t>(args.integer("context", 20, 0, 10000));
  console.rerun = rerun_prefix(args);
  const char* github = std::getenv("GITHUB_ACTIONS");
  console.github = github && std::string(github) == "true";
  auto scenarios = select_scenarios(args);
  if (scenarios.empty()) fail_input({}, "no scenario matches (check the paths, --filter, --id and --tag)");

  // Called in this order at each event: summary.json is on disk before the console's last
  // line names the run directory.
  report::FanOutReporter reporters;
  reporters.add(std::make_unique<report::SummaryReporter>());
  if (auto junit = args.value("junit"))
    reporters.add(std::make_unique<report::JunitReporter>(std::vector<std::filesystem::path>{*junit}, true,
                                                          report::JunitOptions{console.context, console.rerun}));
  reporters.add(std::make_unique<report::ConsoleReporter>(std::cout, console));
  auto summary = runner::run_scenarios(scenarios, options, reporters);
  return runner::exit_code_for(summary);
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
