// samples.csv: the resource samples of one scenario run, a view of its journal's
// resource.sample events (one row each, in seq order), for spreadsheets and plotting:
//   seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes
#pragma once

#include <filesystem>

#include "journal/journal.hpp"

namespace bbx::report {

// Writes the file when the journal holds at least one sample; returns the number of rows.
// Throws bbx::Error (harness) when it cannot be written.
std::size_t write_samples_csv(const journal::EventLog& journal, const std::filesystem::path& path);

}  // namespace bbx::report
