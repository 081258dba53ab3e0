// The console reporter: print_scenario (console.hpp) as each scenario's result is taken,
// print_summary at the end of the run; nothing at the start. Writes only to the stream it
// was given, which must outlive it, and flushes after each event so the lines show as
// scenarios finish. A failed scenario's story reads its journal from the run directory.
#pragma once

#include <ostream>

#include "report/console.hpp"
#include "report/reporter.hpp"

namespace bbx::report {

class ConsoleReporter final : public Reporter {
 public:
  ConsoleReporter(std::ostream& out, ConsoleOptions options) : out_(out), options_(std::move(options)) {}
  // Colour only, the other options at their defaults.
  ConsoleReporter(std::ostream& out, bool color) : out_(out) { options_.color = color; }

  void scenario_done(const ScenarioResult& result, std::size_t index) override;
  void run_done(const RunSummary& summary) override;

 private:
  std::ostream& out_;
  ConsoleOptions options_;
};

}  // namespace bbx::report
