// The console reporter: print_scenario (console.hpp) as each scenario's result is taken,
// print_summary at the end of the run. Writes only to the stream it was given, which must
// outlive it, and flushes after each event so the lines show as scenarios finish. A failed
// scenario's story reads its journal from the run directory.
//
// Live, while scenarios run (ticks from the coordinator):
//   - status_line (terminals only): one line rewritten in place, "[3/10 done] running: a, b
//     (12.3s)", erased before any other output and at the end, so it never lands in logs;
//   - a scenario running longer than still_running_after gets "  ... ID still running after
//     10s: <what it does now>" (from its journal), again every 30 s;
//   - verbose (-v): every event of every running scenario as it is journaled, one line each
//     (event_text.hpp), prefixed with the scenario's id.
// quiet (-q): no line for scenarios that passed; failures and the summary only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "report/console.hpp"
#include "report/reporter.hpp"

namespace bbx::report {

class ConsoleReporter final : public Reporter {
 public:
  ConsoleReporter(std::ostream& out, ConsoleOptions options);
  ConsoleReporter(std::ostream& out, bool color) : ConsoleReporter(out, colour_only(color)) {}
  ~ConsoleReporter() override;

  void run_started(const RunStart& run) override;
  void scenario_done(const ScenarioResult& result, std::size_t index) override;
  void run_done(const RunSummary& summary) override;
  bool wants_ticks() const override;
  void tick(std::span<const RunningScenario> running) override;

 private:
  static ConsoleOptions colour_only(bool color) {
    ConsoleOptions o;
    o.color = color;
    return o;
  }
  struct Follow;  // one running scenario's journal, read as it grows
  void erase_status();
  void draw_status(std::span<const RunningScenario> running);

  std::ostream& out_;
  ConsoleOptions options_;
  std::size_t total_ = 0, done_ = 0;
  std::chrono::steady_clock::time_point run_start_;
  bool status_shown_ = false;
  std::map<std::size_t, std::unique_ptr<Follow>> follows_;  // by scenario index
};

}  // namespace bbx::report
