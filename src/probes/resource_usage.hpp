// Resource use of process trees, read from /proc: resident memory, CPU time, open file
// descriptors, threads. One snapshot reads every /proc/PID/stat once (one read(2) each);
// the fds of the tree's processes are counted from /proc/PID/fd. Best effort: a process
// that vanishes mid-read counts as gone. The parsing and summing are pure functions, so
// they are tested on recorded text.
//
// Cost (measured by the runner, journaled as resource.sampler {cpu_us_per_sample}): see
// docs/scenario-language.md, "resources".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "probes/proc_table.hpp"

namespace bbx::probes {

// Totals over one subject's tree.
struct TreeUsage {
  std::uint64_t rss_bytes = 0;
  std::uint64_t cpu_ms = 0;
  std::int64_t fds = 0;
  std::int64_t threads = 0;
  std::int64_t processes = 0;
};

struct UsageScale {
  std::uint64_t page_size = 4096;
  std::uint64_t ticks_per_second = 100;
};

// Sums root's live descendants (zombies excluded): rss, utime+stime+cutime+cstime, fds
// (counted by fds(pid); a negative count is taken as 0), threads, processes. Of root itself
// only cutime+cstime is added, the CPU of the tree's processes it already reaped (root is
// the subject's subreaper shim), so cpu_ms does not drop when a child exits.
TreeUsage sum_tree(const std::vector<ProcStat>& table, pid_t root, const UsageScale& scale,
                   const std::function<std::int64_t(pid_t)>& fds);

// Reads the process table incrementally for sum_tree over a set of roots. A process outside
// every root's tree cannot enter one (an orphan is re-parented to its nearest subreaper
// ancestor), so such processes are read once and kept, re-read only when their parent is
// gone, and all every `refresh_every` reads (a bound on staleness, e.g. for reused pids).
// The roots and their trees are re-read every time. With `--isolation none` this spares
// reading the whole machine's /proc on every sample.
class ProcReader {
 public:
  explicit ProcReader(std::uint64_t refresh_every = 20) : refresh_every_(refresh_every ? refresh_every : 1) {}
  // The table now: fresh for roots and their descendants, maybe older for other processes.
  const std::vector<ProcStat>& read(const std::vector<pid_t>& roots);
  std::uint64_t stat_reads() const { return stat_reads_; }  // stat files read so far

 private:
  struct Entry {
    ProcStat stat;
    bool in_tree = false;  // a root or below one at the last read
  };
  std::vector<std::pair<pid_t, Entry>> known_;  // sorted by pid
  std::vector<ProcStat> table_;
  std::uint64_t reads_ = 0, stat_reads_ = 0, refresh_every_;
};
// Entries of /proc/PID/fd; -1 when unreadable (gone, or not ours).
std::int64_t count_open_fds(pid_t pid);
// The running kernel's page size and clock ticks per second.
UsageScale system_scale();

}  // namespace bbx::probes
