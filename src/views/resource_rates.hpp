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
  struct Counters {  // the reference sample of a subject's rates
    std::int64_t t_ns = 0;
    std::optional<double> cpu, user, system, read, write, vol, invol;
  };
  struct Subject {
    std::optional<Counters> ref;
    std::map<std::int64_t, std::pair<std::int64_t, double>> procs;  // pid -> (t_ns, cpu_ms) of its last sample
  };
  std::map<std::string, Subject, std::less<>> subjects_;
};

}  // namespace bbx::views
