// The console reporter: print_scenario (console.hpp) as each scenario's result is taken,
// print_summary at the end of the run; nothing at the start. Writes only to the stream it
// was given, which must outlive it, and flushes after each event so the lines show as
// scenarios finish.
#pragma once

#include <ostream>

#include "report/reporter.hpp"

namespace bbx::report {

class ConsoleReporter final : public Reporter {
 public:
  // color: verdicts and the closing counts in ANSI colours.
  ConsoleReporter(std::ostream& out, bool color) : out_(out), color_(color) {}

  void scenario_done(const ScenarioResult& result, std::size_t index) override;
  void run_done(const RunSummary& summary) override;

 private:
  std::ostream& out_;
  bool color_;
};

}  // namespace bbx::report
