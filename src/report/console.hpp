// The console view of a run: one line per scenario as it finishes; for a failure, its story
// (failure_story.hpp, as story_text.hpp words it): the first cause in one sentence with its
// time and seq and the failed check in full, the timeline window around it, each subject's
// last output lines, the later failures (consequences one line each, others in full), the
// tally, the command that reruns just that scenario and where its journal is; a closing
// summary naming the run directory. With GitHub annotations, each failed scenario also
// prints a `::error file=...,line=...,col=...,title=...::headline` workflow command.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "bbx/outcome.hpp"

namespace bbx::report {

struct ConsoleOptions {
  bool color = false;          // verdicts and the closing counts in ANSI colours
  bool status_line = false;    // console_reporter.hpp: the live status line (terminals only)
  bool quiet = false;          // -q: no line for scenarios that passed
  bool verbose = false;        // -v: every event of the running scenarios
  std::chrono::milliseconds still_running_after{10'000};  // 0: never say it
  std::size_t context = 20;    // events in a failure's timeline window (--context)
  std::string rerun;           // the command a rerun starts with ("build/bbx run --var k=v"); "" for no rerun line
  bool github = false;         // GitHub Actions annotations (GITHUB_ACTIONS=true)
};

void print_scenario(std::ostream& out, const ScenarioResult& result, const ConsoleOptions& options);
void print_summary(std::ostream& out, const RunSummary& summary, bool color);

// The GitHub Actions workflow command for a failed scenario's first cause:
// "::error file=s.yaml,line=14,col=5,title=bbx%3A checkout::at +0.734s (#48): ...", its
// properties and message escaped as the runner wants (%, \r, \n; and ':' ',' in properties).
std::string github_annotation(const std::string& file, const SourceLocation& where, const std::string& title,
                              const std::string& message);

}  // namespace bbx::report
