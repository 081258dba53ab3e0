// The resource samples of one scenario run as CSV, views of its journal's resource.sample
// events (in seq order), for spreadsheets and plotting:
//   samples.csv, one row per sample (the subject's tree totals):
//     seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes,rss_peak_bytes,pss_bytes,
//     cpu_user_ms,cpu_system_ms,read_bytes,write_bytes,ctx_voluntary,ctx_involuntary,accounting
//   samples_procs.csv, one row per live process of each sample (its "procs"):
//     seq,t_ms,subject,pid,ppid,comm,cpu_ms,rss_bytes,threads,read_bytes,write_bytes
// A field the sample lacks (pss_bytes off its ticks, read_bytes of a process on the ticks that
// skip io, anything new in a journal of an older bbx) is an empty cell: unknown, not 0.
#pragma once

#include <filesystem>

#include "journal/journal.hpp"

namespace bbx::report {

// Each writes its file when the journal holds at least one row; returns the number of rows.
// Throws bbx::Error (harness) when it cannot be written.
std::size_t write_samples_csv(const journal::EventLog& journal, const std::filesystem::path& path);
std::size_t write_samples_procs_csv(const journal::EventLog& journal, const std::filesystem::path& path);

}  // namespace bbx::report
