// `bbx merge`: one report from several runs (CI shards, reruns): console summary, and
// JUnit / TAP / JSON files as `bbx run` writes them.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"
#include "cli/read_report.hpp"
#include "report/console.hpp"
#include "report/file_reporter.hpp"
#include "report/junit.hpp"
#include "report/merge.hpp"
#include "report/output_file.hpp"
#include "report/summary.hpp"
#include "report/tap.hpp"

namespace bbx::cli {

namespace {

int merge(const ParsedArgs& args) {
  if (args.positional.empty()) fail_input({}, "bbx merge: give the runs to merge (run directories, runs directories or reports)");
  // Every output is opened before anything is read: a path that cannot be written is found first.
  std::vector<std::pair<report::OutputFile, std::function<std::string(const RunSummary&)>>> outputs;
  for (const auto& f : args.all("junit")) outputs.emplace_back(report::OutputFile(f, "JUnit XML"), [](const RunSummary& s) { return report::junit_xml(s); });
  for (const auto& f : args.all("tap")) outputs.emplace_back(report::OutputFile(f, "TAP"), report::tap_text);
  for (const auto& f : args.all("json"))
    outputs.emplace_back(report::OutputFile(f, "the JSON report"),
                         [](const RunSummary& s) { return report::summary_json(s).dump(2) + "\n"; });
  std::vector<RunSummary> runs;
  for (const auto& p : args.positional) runs.push_back(read_run(p));
  auto merged = report::merge_runs(runs);
  for (auto& [file, render] : outputs) file.write_and_close(render(merged));
  bool tap_on_stdout = false;
  for (const auto& f : args.all("tap")) tap_on_stdout = tap_on_stdout || f == "-";
  auto& console = tap_on_stdout ? std::cerr : std::cout;
  for (const auto& r : merged.results)
    if (r.verdict != Verdict::passed) report::print_scenario(console, r, report::ConsoleOptions{});
  report::print_summary(console, merged, false);
  int code = 0;
  for (const auto& r : merged.results) {
    if (r.verdict == Verdict::interrupted) return 130;
    if (r.verdict == Verdict::error) code = 3;
    if ((r.verdict == Verdict::failed || r.verdict == Verdict::flaky) && code == 0) code = 1;
  }
  return code;
}

}  // namespace

Command cmd_merge() {
  return {"merge",
          "combine the reports of several runs (CI shards, reruns) into one",
          "bbx merge [options] RUN...",
          "Reads each RUN (a run directory, a runs directory whose latest run is taken, or a JSON\n"
          "report) and reports them as one run: the console summary, and --junit/--tap/--json files.\n"
          "A scenario found in several runs counts once: the same verdict keeps the last attempt;\n"
          "passed in some and failed in others is flaky. Exit codes as for `bbx run`.\n",
          {
              {"junit", 0, true, "FILE", "write JUnit XML of the merged runs to FILE; repeatable"},
              {"tap", 0, true, "FILE", "write TAP 14 to FILE ('-': standard output, the console then goes to stderr)"},
              {"json", 0, true, "FILE", "write the merged JSON report (docs/report-json.md) to FILE"},
              {"help", 'h', false, "", "show this help"},
          },
          merge};
}

}  // namespace bbx::cli
