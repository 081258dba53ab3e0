#include "report/console_reporter.hpp"

namespace bbx::report {

void ConsoleReporter::scenario_done(const ScenarioResult& result, std::size_t) { print_scenario(out_, result, options_); }

void ConsoleReporter::run_done(const RunSummary& summary) { print_summary(out_, summary, options_.color); }

}  // namespace bbx::report
