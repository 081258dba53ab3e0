// TAP version 14 (testanything.org) of a run: one test point per scenario, in scenario order,
// with a YAML diagnostic block for each one that did not pass (message, severity, where,
// duration). Readable by `prove` and other TAP consumers.
#pragma once

#include <string>

#include "bbx/outcome.hpp"

namespace bbx::report {

std::string tap_text(const RunSummary& summary);

}  // namespace bbx::report
