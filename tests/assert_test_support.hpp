// Helpers for the assertion unit tests: a journal in a temp file to append recorded events
// to, and located specs.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "bbx/outcome.hpp"
#include "journal/journal.hpp"
#include "unit_files.hpp"

namespace bbx::testing {

inline std::unique_ptr<journal::Journal> temp_journal(const std::string& name) {
  return std::make_unique<journal::Journal>(unit_temp_dir(name) / "events.jsonl");
}

inline std::uint64_t line(journal::Journal& j, const std::string& subject, const std::string& stream,
                          const std::string& text) {
  return j.append({"subject", subject, 100}, bbx::journal::ev::output_line, {{"stream", stream}, {"line", text}});
}

inline SourceLocation here() { return {"s.yaml", 3, 5}; }

// Runs an incremental journal check (RequestCheck, LogCheck, MetricCheck, ...) over
// everything in j and returns its verdict, located at here().
template <typename Check, typename Spec>
CheckResult run_check(const Spec& spec, const journal::Journal& j) {
  Check check(spec);
  check.update(j);
  return check.result(here());
}

}  // namespace bbx::testing
