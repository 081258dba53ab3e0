#include "report/console_reporter.hpp"

#include "report/console.hpp"

namespace bbx::report {

void ConsoleReporter::scenario_done(const ScenarioResult& result, std::size_t) { print_scenario(out_, result, color_); }

void ConsoleReporter::run_done(const RunSummary& summary) { print_summary(out_, summary, color_); }

}  // namespace bbx::report
