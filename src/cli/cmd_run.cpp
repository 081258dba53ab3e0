#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "runner/coordinator.hpp"
#include "runner/pause_on_fail.hpp"

namespace bbx::cli {

static bool want_color(const ParsedArgs& args) {
  auto when = args.value("color").value_or("auto");
  if (when == "always") return true;
  if (when == "never") return false;
  if (when != "auto") fail_input({}, "--color: expected auto, always or never, got '" + when + "'");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
}

int run_command(const ParsedArgs& args) {
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
  if (auto j = args.value("junit")) options.junit = *j;
  options.color = want_color(args);
  auto scenarios = select_scenarios(args);
  if (scenarios.empty()) fail_input({}, "no scenario matches (check the paths, --filter and --tag)");
  auto summary = runner::run_scenarios(scenarios, options);
  return runner::exit_code_for(summary);
}

}  // namespace bbx::cli
