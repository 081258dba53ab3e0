// Reports show subject output without terminal escape sequences. Failure texts quote what
// subjects printed (the last output lines of a crash, log lines, command output); the
// journal (events.jsonl, logs/) and the runner's result.json keep those bytes raw, and every
// view — the console, JUnit XML, summary.json, the --pause-on-fail banner — shows them
// through these.
#pragma once

#include <string>
#include <string_view>

#include "bbx/outcome.hpp"

namespace bbx::report {

// util::strip_ansi: colours, cursor moves and titles removed, all else kept.
std::string plain_text(std::string_view text);

// A copy of c whose what/expected/actual are plain_text.
CheckResult plain_check(const CheckResult& c);

// A copy of r whose message and checks' what/expected/actual are plain_text.
ScenarioResult plain_result(const ScenarioResult& r);

}  // namespace bbx::report
