// The console view of a run: one line per scenario as it finishes, failures with what was
// expected and what was seen, and a closing summary naming the run directory.
#pragma once

#include <ostream>

#include "bbx/outcome.hpp"

namespace bbx::report {

void print_scenario(std::ostream& out, const ScenarioResult& result, bool color);
void print_summary(std::ostream& out, const RunSummary& summary, bool color);

}  // namespace bbx::report
