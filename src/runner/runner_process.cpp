#include "runner/runner_process.hpp"

#include <cstdio>
#include <fstream>

#include "bbx/error.hpp"
#include "journal/journal.hpp"
#include "report/samples_csv.hpp"
#include "runtime/run_context.hpp"
#include "runner/scenario_driver.hpp"
#include "views/scenario_views.hpp"
#include "util/clock.hpp"

namespace bbx::runner {

std::filesystem::path result_file(const std::filesystem::path& scenario_dir) { return scenario_dir / "result.json"; }

static void write_result(const std::filesystem::path& dir, const ScenarioResult& result) {
  auto tmp = dir / "result.json.tmp";
  {
    std::ofstream out(tmp);
    out << to_json(result).dump(2) << "\n";
    if (!out) fail_harness("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, result_file(dir));
}

int run_scenario_process(const Scenario& scenario, const RunnerOptions& options) {
  try {
    const auto& dir = options.scenario_dir;
    // Absolute: ${sandbox} is handed to subjects and commands, which run inside it (a
    // relative --runs-dir would make it point nowhere from there).
    const bool own_sandbox = options.workdir.empty();
    auto sandbox = std::filesystem::absolute(own_sandbox ? dir / "sandbox" : options.workdir);
    if (own_sandbox) std::filesystem::create_directories(sandbox);
    auto started = util::monotonic_ns();
    journal::Journal journal(dir / "events.jsonl");
    runtime::RunContext ctx(scenario, journal, dir, sandbox, options.isolation);
    ctx.set_pause_on_fail(options.pause_on_fail);
    ScenarioResult result = drive_scenario(ctx, options.driver);
    result.id = scenario.id;
    result.name = scenario.name;
    result.file = scenario.file.string();
    result.isolation = options.isolation;
    result.dir = dir.string();
    result.duration_ns = util::monotonic_ns() - started;
    result.events = journal.size();
    report::write_samples_csv(journal, dir / "samples.csv");
    report::write_samples_procs_csv(journal, dir / "samples_procs.csv");
    if (options.trace == views::TracePolicy::always ||
        (options.trace == views::TracePolicy::failed && result.verdict != Verdict::passed)) {
      try {
        views::write_scenario_views(journal, dir);
      } catch (const std::exception& e) {  // the verdict stands; the views are a convenience
        std::fprintf(stderr, "bbx: runner for '%s': cannot write trace.json/timeline.html: %s\n", scenario.id.c_str(), e.what());
      }
    }
    if (own_sandbox && result.verdict == Verdict::passed && !options.keep_sandbox) {
      std::error_code ec;
      std::filesystem::remove_all(sandbox, ec);
    }
    write_result(dir, result);
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "bbx: runner for '%s': %s\n", scenario.id.c_str(), e.formatted().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bbx: runner for '%s': %s\n", scenario.id.c_str(), e.what());
  }
  return 3;
}

}  // namespace bbx::runner
