// summary.json: the machine-readable result of one run (verdicts, durations, counts,
// versions, isolation mode). Written atomically (temp file + rename).
#pragma once

#include <filesystem>

#include "bbx/outcome.hpp"

namespace bbx::report {

nlohmann::json summary_json(const RunSummary& summary);
// Throws bbx::Error (harness) when the file cannot be written.
void write_summary_json(const std::filesystem::path& path, const RunSummary& summary);

}  // namespace bbx::report
