// The resource profile of a journal: each subject's `resource.sample` events as series
// (docs/journal-events.md; the fields of issue #19's contract), the rates derived from them
// and how the subject ended. What profile.csv, profile.json, profile.html and
// `bbx profile --compare` are computed from (profile_summary, profile_csv, profile_html).
//
// Every field added to resource.sample by issue #19 may be absent (journals written before
// it, PSS read on some ticks only): absent is unknown (nullopt), never 0. Pure; reads the
// journal through the read interface's views (no tree per event).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "journal/event_log.hpp"

namespace bbx::views {

using Maybe = std::optional<std::int64_t>;

// One process of a sample's `procs` array.
struct ProfileProcess {
  std::int64_t pid = 0, ppid = 0;
  std::string comm;
  std::int64_t cpu_ms = 0, rss_bytes = 0, threads = 0;
  Maybe read_bytes, write_bytes;
};

// One resource.sample: tree totals as journaled.
struct ProfileSample {
  std::int64_t t_ns = 0;
  std::int64_t rss_bytes = 0, cpu_ms = 0, fds = 0, threads = 0, processes = 0;
  Maybe cpu_user_ms, cpu_system_ms, rss_peak_bytes, read_bytes, write_bytes, ctx_voluntary, ctx_involuntary, pss_bytes;
  std::string accounting;  // "cgroup", "proc", or "" when not said
  std::vector<ProfileProcess> procs;
};

// How a subject's main process ended (its last process.exit with main: true).
struct ProfileExit {
  std::optional<int> code;           // exited with this code
  std::optional<int> signal_number;  // killed by this signal
  std::string describe;              // "exited with code 7", "killed by SIGTERM"
  // As a shell reports it: the code, or 128 + the signal's number.
  int shell_status() const { return code ? *code : 128 + signal_number.value_or(0); }
};

struct SubjectProfile {
  std::string scenario;           // the scenario's id
  std::string subject;            // the subject's name
  std::vector<std::string> argv;  // its command, from its first process.spawn
  std::int64_t start_ns = 0;      // its first process.spawn (else its first sample)
  std::int64_t end_ns = 0;        // its last main exit (else its last sample)
  std::optional<ProfileExit> exit;
  std::vector<ProfileSample> samples;  // in time order

  double duration_s() const { return static_cast<double>(end_ns - start_ns) / 1e9; }
};

// One resource.sample event's body as a sample.
ProfileSample profile_sample(const journal::EventRef& event);

// Every subject that has a process.spawn or a resource.sample, in order of first appearance.
std::vector<SubjectProfile> read_profiles(const journal::EventLog& log);

// Rates between consecutive samples, one per sample (index 0: nullopt, no interval yet):
// CPU percent (100 * delta cpu_ms / delta ms; 100 = one core) and counts per second, by
// resource_rates' CounterRate rules (the same figures the timeline plots): nullopt where a
// field is unknown at either end or the counter went down; a sample within 5 ms of the one
// before has none and the next is measured from the older one.
std::vector<std::optional<double>> cpu_percent(const std::vector<ProfileSample>& samples);
// The same for any counter field: bytes, context switches (per second).
std::vector<std::optional<double>> rate_per_second(const std::vector<ProfileSample>& samples, Maybe ProfileSample::*field);

// One process across the samples, keyed by pid and comm (a pid reused by another program is
// another process): its CPU percent and RSS at each sample where it was alive. Sparse (a
// long build has thousands of short-lived processes): one point per sample it was in.
struct ProfileProcessPoint {
  std::size_t sample = 0;             // index into the samples
  std::optional<double> cpu_pct;      // over the interval before that sample; none at sample 0
  double rss_bytes = 0;
};
struct ProcessSeries {
  std::int64_t pid = 0;
  std::string comm;
  std::vector<ProfileProcessPoint> points;  // by sample
  std::int64_t cpu_ms = 0;           // the most CPU it was seen to have used
  std::int64_t rss_max = 0;

  // Its point at sample i; null when it was not alive there.
  const ProfileProcessPoint* at(std::size_t sample) const;
  // One value per sample (n of them), nullopt where it was not alive: for plotting.
  std::vector<std::optional<double>> dense_cpu_pct(std::size_t n) const;
  std::vector<std::optional<double>> dense_rss(std::size_t n) const;
};
std::vector<ProcessSeries> process_series(const std::vector<ProfileSample>& samples);

}  // namespace bbx::views
