// summary.json, the JSON report: the machine-readable result of one run (verdicts, failures
// with their location, durations, resource peaks, the paths of each scenario's files, counts,
// versions, isolation mode), format "bbx-report" version kReportFormatVersion, documented in
// docs/report-json.md and schema/bbx-report.schema.json. `--json FILE` writes the same.
// Written atomically (temp file + rename).
#pragma once

#include <filesystem>

#include "bbx/outcome.hpp"

namespace bbx::report {

inline constexpr int kReportFormatVersion = 1;

nlohmann::json summary_json(const RunSummary& summary);
// Reads a report back (bbx merge). Throws std::invalid_argument or nlohmann's exceptions
// for what is not a report this version of bbx reads.
RunSummary summary_from_json(const nlohmann::json& j);
// Throws bbx::Error (harness) when the file cannot be written.
void write_summary_json(const std::filesystem::path& path, const RunSummary& summary);

}  // namespace bbx::report
