// One subject instance's resource samples, tick after tick: the /proc totals of its tree
// (probes/resource_usage.hpp) and, when its tree runs in its own cgroup, the cgroup's
// (probes/cgroup_stats.hpp), made into the `resource.sample` body. Pure (no I/O), so it is
// tested on recorded values.
//
// Rules (docs/journal-events.md, resource.sample):
//   - accounting "cgroup": CPU (user/system) from the cgroup's cpu.stat, exact for everything
//     that ever ran in it, the shim's own few milliseconds included; else "proc": the tree's
//     utime/stime plus what its processes and the shim reaped (cutime/cstime).
//   - totals (cpu_user_ms, cpu_system_ms, read_bytes, write_bytes, ctx_*) never go below the
//     previous sample's: a process reaped between the reads of its parent and its own is
//     missed for one sample (never counted twice), and the last value holds meanwhile.
//     cpu_ms = cpu_user_ms + cpu_system_ms.
//   - fds, I/O and context switches are carried over from the last sample that read them, on
//     the ticks where the sampler skips the fd, status and io files (ResourceSampler's rate rule).
//   - rss_peak_bytes: the highest of the previous rss_peak_bytes, rss_bytes now, the sum of
//     the live processes' VmHWM (each process's own peak: exact for a one-process tree, an
//     upper bound when several peaked at different times) and the cgroup's memory.peak when
//     the memory controller is there (it also counts page cache and kernel memory).
// Threads: one owner; not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "journal/deferred_body.hpp"
#include "probes/cgroup_stats.hpp"
#include "probes/resource_usage.hpp"

namespace bbx::profile {

struct Sample {
  std::uint64_t rss_bytes = 0, rss_peak_bytes = 0;
  std::uint64_t cpu_ms = 0, cpu_user_ms = 0, cpu_system_ms = 0;
  std::int64_t fds = 0, threads = 0, processes = 0;
  std::uint64_t read_bytes = 0, write_bytes = 0;
  std::uint64_t ctx_voluntary = 0, ctx_involuntary = 0;
  std::optional<std::uint64_t> pss_bytes;  // on the ticks where PSS was read
  bool cgroup = false;                     // accounting: "cgroup" (true) or "proc"
  bool exit = false;                       // the final sample, after the tree ended: levels 0
  std::vector<probes::ProcessUsage> procs;
};

// The resource.sample body: every field above ("exit": true only when set), "accounting",
// "procs" [{pid, ppid, comm, cpu_ms, rss_bytes, threads[, read_bytes, write_bytes]}]. Written straight as JSON text by
// the journal's writer (no tree per tick; a tree is parsed from that text only when someone
// reads the event).
std::shared_ptr<const journal::DeferredBody> sample_body(Sample s);
void append_sample_text(const Sample& s, util::TextBuffer& out);  // the same object as text

class SampleAccount {
 public:
  // The sample of this tick. cgroup: the stats of the tree's cgroup, when it runs in one.
  Sample next(probes::TreeUsage&& tree, const std::optional<probes::CgroupStats>& cgroup,
              std::optional<std::uint64_t> pss_bytes);
  const Sample& last() const { return last_; }

 private:
  Sample last_;
};

}  // namespace bbx::profile
