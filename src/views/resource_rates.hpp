// A subject's resource.sample events (docs/journal-events.md) as the views plot them: the
// sample's levels (memory, fds, threads, processes) and the rates over the interval since
// the same subject's previous sample: CPU percent (100 * delta(cpu_ms) / delta(t in ms); 100
// is one core), I/O bytes per second, context switches per second. Per process (the
// sample's `procs`), the same CPU percent from the process's own cpu_ms.
//
// Unknown stays unknown: a field the sample lacks (journals of an older bbx have only
// rss_bytes, cpu_ms, fds, threads, processes), a rate on a subject's first sample, a rate
// whose counter went down (the subject was started again) are nullopt, never 0. An interval
// shorter than kMinRateIntervalNs (the final sample taken just after a tick) gives no rate:
// the next sample's rate is measured from the older sample instead, so a millisecond's CPU
// over a millisecond does not read as a spike.
//
// Memory: one entry per subject (and per live process of its last sample), whatever the
// journal's length. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "journal/event_ref.hpp"

namespace bbx::views {

inline constexpr std::int64_t kMinRateIntervalNs = 5'000'000;

// The rate of one monotonic counter (CPU ms, bytes, switches) from sample to sample, by the
// rules above: unknown on the first sample, when either end is unknown, or when the counter
// went down; a sample less than kMinRateIntervalNs after the reference gives nothing and
// leaves the reference where it was.
class CounterRate {
 public:
  CounterRate() = default;
  // A counter whose reference is (t_ns, value) already: a process first seen in a sample
  // whose CPU so far counts over the interval since the previous sample.
  CounterRate(std::int64_t t_ns, double value) : ref_t_(t_ns), ref_v_(value) {}

  // The counter's rate per second since the reference, times `scale` (0.1 turns CPU ms per
  // second into percent of one core).
  std::optional<double> next(std::int64_t t_ns, std::optional<double> value, double scale);

 private:
  std::optional<std::int64_t> ref_t_;
  std::optional<double> ref_v_;
};

struct ProcessPoint {
  std::int64_t pid = 0, ppid = 0;
  std::string comm;
  std::optional<double> cpu_pct;  // since this process's previous sample
  std::optional<double> rss_bytes, threads;
};

struct ResourcePoint {
  std::int64_t t_ns = 0;
  std::optional<double> cpu_pct, cpu_user_pct, cpu_system_pct;
  std::optional<double> rss_bytes, rss_peak_bytes, pss_bytes;
  std::optional<double> read_bps, write_bps;                // bytes per second
  std::optional<double> ctx_voluntary_ps, ctx_involuntary_ps;  // per second
  std::optional<double> fds, threads, processes;
  bool has_procs = false;           // the sample lists its processes and they were asked for
  std::vector<ProcessPoint> procs;  // then its processes, else empty
};

class ResourceRates {
 public:
  // The point of one resource.sample (its subject is e.source.name). with_processes: read
  // the sample's `procs` too (per-process CPU percent needs every sample's procs read).
  ResourcePoint add(const journal::EventRef& e, bool with_processes = false);

 private:
  struct Subject {
    CounterRate cpu, user, system, read, write, vol, invol;
    std::map<std::int64_t, CounterRate> procs;  // by pid: its cpu_ms
  };
  std::map<std::string, Subject, std::less<>> subjects_;
};

}  // namespace bbx::views
