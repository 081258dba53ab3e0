// The summary of one subject's resource profile (profile_series.hpp): for each measure its
// maximum and average, totals where they make sense (CPU seconds, bytes read and written,
// context switches), the duration, how it ended, the sample count, and the processes that
// used the most CPU and memory. profile.json is its JSON; `bbx profile --compare` compares
// summaries. Unknown stays unknown: a measure no sample had is nullopt (null in JSON).
// Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "views/profile_series.hpp"

namespace bbx::views {

struct ProfileStat {
  std::optional<double> max, avg;
};

struct TopProcess {
  std::int64_t pid = 0;
  std::string comm;
  double value = 0;  // CPU seconds (top_cpu) or peak RSS bytes (top_rss)
};

struct ProfileSummary {
  std::string scenario, subject;
  std::vector<std::string> argv;
  double duration_s = 0;
  std::optional<ProfileExit> exit;
  std::size_t samples = 0;
  std::optional<double> interval_ms;  // the median time between samples
  std::string accounting;             // of the last sample that said
  std::optional<double> cpu_s, cpu_user_s, cpu_system_s;  // totals of the tree
  // Percent of one core: max over the intervals; avg = CPU used between the first and last
  // sample over the time between them.
  ProfileStat cpu_pct;
  ProfileStat rss_bytes, pss_bytes;     // over the samples (PSS: the samples that have it)
  std::optional<double> rss_peak_bytes; // the tree's peak: rss_peak_bytes, else nullopt
  std::optional<double> read_bytes, write_bytes;  // totals (the last sample's)
  ProfileStat read_rate, write_rate;              // bytes per second
  ProfileStat fds, threads, processes;
  std::optional<double> ctx_voluntary, ctx_involuntary;  // totals
  std::vector<TopProcess> top_cpu, top_rss;              // at most kTop each, biggest first
  static constexpr std::size_t kTop = 5;

  // The highest memory seen: the peak when known, else the highest sampled RSS.
  std::optional<double> memory_peak() const { return rss_peak_bytes ? rss_peak_bytes : rss_bytes.max; }
};

ProfileSummary summarize(const SubjectProfile& profile);

// profile.json's object (docs/profiling.md): numbers rounded for reading (percent to 0.1,
// seconds to the millisecond, bytes to the byte).
nlohmann::json summary_json(const ProfileSummary& summary);

}  // namespace bbx::views
