// profile.csv and profile_procs.csv: one subject's resource profile (profile_series.hpp) as
// tables for spreadsheets and plotting tools. Unknown values (fields older journals lack,
// rates with no interval yet) are empty cells, never 0.
//
// profile.csv, one row per sample, tree totals:
//   t_s,cpu_pct,cpu_ms,cpu_user_ms,cpu_system_ms,rss_bytes,rss_peak_bytes,pss_bytes,
//   read_bytes,write_bytes,read_bps,write_bps,fds,threads,processes,ctx_voluntary,ctx_involuntary
// profile_procs.csv, one row per process per sample (the samples' `procs` arrays):
//   t_s,pid,ppid,comm,cpu_pct,cpu_ms,rss_bytes,threads,read_bytes,write_bytes
// t_s: seconds since the subject started. Pure text; the caller writes the files.
#pragma once

#include <string>

#include "views/profile_series.hpp"

namespace bbx::views {

std::string profile_csv(const SubjectProfile& profile);
std::string profile_procs_csv(const SubjectProfile& profile);

}  // namespace bbx::views
