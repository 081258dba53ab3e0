// Resource use of process trees, read from /proc: resident memory and its peak, CPU time
// (user/system), I/O, context switches, open file descriptors, threads, per-process detail.
// One snapshot reads every /proc/PID/stat once (one read(2) each, probes/proc_table.hpp); the
// tree's processes' status and io files when the caller asks for them (TreeProbe), their fd
// counts from /proc/PID/fd. Best effort: a process that vanishes mid-read counts as gone. The
// parsing and summing are pure functions, so they are tested on recorded text.
//
// Kernel semantics relied on (checked by experiment on Linux 6.18, and in
// tests/test_probes_resource_usage.cpp on the running kernel):
//   - /proc/PID/stat utime/stime are the whole thread group's; cutime/cstime hold every child
//     the process reaped (wait*/waitid, not WNOWAIT), with what those children had reaped.
//   - /proc/PID/io rchar/wchar (bytes passed to read-like/write-like syscalls, page cache
//     included, not only disk) are the whole thread group's AND include reaped children: the
//     kernel adds a reaped child's totals to its parent's signal->ioac.
//   - /proc/PID/status voluntary_/nonvoluntary_ctxt_switches are the thread group's own only:
//     reaped children are NOT included (they go to the parent's RUSAGE_CHILDREN, which /proc
//     does not show). The subreaper shim therefore reports each reaped child's rusage (its
//     report line "E", process/subreaper_shim.hpp) and the caller passes their sum (Reaped).
//     Children reaped by a parent inside the tree that is still alive are counted once that
//     parent is itself reaped by the shim (its rusage includes them).
//   - /proc/PID/status VmHWM is the process's own peak RSS (anonymous + file + shmem).
//   - /proc/PID/smaps_rollup Pss walks the page tables (cost grows with the mapped size).
//   - A zombie still shows its CPU, I/O and context switches until it is reaped (then they
//     move into its parent's c-fields), so zombies count in those totals and nowhere else.
// Nothing is counted twice: the root (the subject's subreaper shim) contributes only what it
// reaped (cutime/cstime, its io, Reaped), every other tree process its own totals plus what
// it reaped. Reading a parent before its children (ascending pids) means a child it reaps
// between the two reads is in neither: ProcReader reads each tree parent again after the
// pass and makes the read again when one reaped meanwhile (a final sample short of the last
// orphan's CPU, 5% of a test's tree under load, was this). Never counted twice; the sampler
// keeps the totals monotonic (profile/sample_accounting.hpp).
//
// Cost (measured by the runner, journaled as resource.sampler {cpu_us_per_sample}): see
// docs/journal-events.md, "resource.sampler".
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/proc_table.hpp"

namespace bbx::probes {

// The fields of /proc/PID/status bbx uses (absent lines stay nullopt: kernel threads have no VmHWM).
struct ProcStatus {
  std::optional<std::uint64_t> hwm_bytes;  // VmHWM, kB in the file
  std::optional<std::uint64_t> ctx_voluntary, ctx_involuntary;
};
std::optional<ProcStatus> parse_proc_status(std::string_view text);  // nullopt: no field found

// /proc/PID/io: rchar and wchar (syscall-level bytes read and written).
struct ProcIo {
  std::uint64_t rchar = 0, wchar = 0;
};
std::optional<ProcIo> parse_proc_io(std::string_view text);  // nullopt: rchar or wchar missing

// The Pss line of /proc/PID/smaps_rollup, in bytes; nullopt when missing.
std::optional<std::uint64_t> parse_smaps_rollup_pss(std::string_view text);

// Readers of the live files (one open/read/close each); nullopt when gone or not readable.
std::optional<ProcStatus> read_proc_status(pid_t pid);
std::optional<ProcIo> read_proc_io(pid_t pid);
std::optional<std::uint64_t> read_pss_bytes(pid_t pid);

// One live process of a tree.
struct ProcessUsage {
  pid_t pid = 0, ppid = 0;
  std::string comm;
  std::uint64_t cpu_ms = 0;     // its own utime+stime plus what it reaped
  std::uint64_t rss_bytes = 0;
  std::int64_t threads = 0;
  std::optional<std::uint64_t> read_bytes, write_bytes;  // its rchar/wchar, when io was read
};

// Totals over one subject's tree.
struct TreeUsage {
  std::uint64_t rss_bytes = 0;
  std::uint64_t cpu_ms = 0;  // cpu_user_ms + cpu_system_ms
  std::uint64_t cpu_user_ms = 0, cpu_system_ms = 0;
  std::int64_t fds = 0;
  std::int64_t threads = 0;
  std::int64_t processes = 0;
  // Set when the probe counted fds and read the status files (status) and io files (io) this time.
  bool fds_read = false, status_read = false, io_read = false;
  std::uint64_t hwm_sum_bytes = 0;  // Σ VmHWM of the live processes
  std::uint64_t ctx_voluntary = 0, ctx_involuntary = 0;
  std::uint64_t read_bytes = 0, write_bytes = 0;
  std::vector<ProcessUsage> procs;  // the live processes, ascending pid
};

struct UsageScale {
  std::uint64_t page_size = 4096;
  std::uint64_t ticks_per_second = 100;
};

// How sum_tree reads what /proc/PID/stat lacks; each left empty to skip it this time (the
// totals then keep fds_read/status_read/io_read false). fds: a negative count is taken as 0.
// status and io: a nullopt result is a process gone mid-read (counts 0).
struct TreeProbe {
  std::function<std::int64_t(pid_t)> fds;
  std::function<std::optional<ProcStatus>(pid_t)> status;
  std::function<std::optional<ProcIo>(pid_t)> io;
};

// What the root (the shim) reaped that /proc does not show: its reaped children's context
// switches, from its reports.
struct Reaped {
  std::uint64_t ctx_voluntary = 0, ctx_involuntary = 0;
};

// Sums root's descendants: live ones (not zombies) for rss, fds, threads, processes, procs
// and VmHWM; live ones and zombies for CPU (utime/stime + cutime/cstime), I/O and context
// switches. Of root itself only what it reaped: cutime/cstime, its io (its own few bytes of
// reports included), and `reaped`.
TreeUsage sum_tree(const std::vector<ProcStat>& table, pid_t root, const UsageScale& scale, const TreeProbe& probe,
                   const Reaped& reaped = {});

// Reads the process table incrementally for sum_tree over a set of roots. A process outside
// every root's tree cannot enter one (an orphan is re-parented to its nearest subreaper
// ancestor), so such processes are read once and kept, re-read only when their parent is
// gone, and all every `refresh_every` reads (a bound on staleness, e.g. for reused pids).
// The roots and their trees are re-read every time. With `--isolation none` this spares
// reading the whole machine's /proc on every sample. The files of the trees' processes
// (stat, and status, io and the fd directory once asked for) are kept open and re-read with
// pread/fstat: an open(2) of a /proc file costs more than the read (path walk, pid lookup).
// A kept file of a process that ended reads as an error (ESRCH), never as the pid's next
// owner. Kept files are at most kMaxFiles and a quarter of the soft RLIMIT_NOFILE at
// construction (the fakes' sockets need the rest); past that, files are opened per read.
// status, io and the fd count of a process that neither ran (utime + stime in its stat) nor
// faulted in a page since they were last read are given from that read, for up to
// kIdleRefresh: an idle process's counters do not move, and a change a short wake-up made
// without a clock tick is read late, never lost (the counters are cumulative).
class ProcReader {
 public:
  static constexpr std::size_t kMaxFiles = 512;
  static constexpr std::chrono::milliseconds kIdleRefresh{1000};
  explicit ProcReader(std::uint64_t refresh_every = 20);
  ~ProcReader();
  ProcReader(const ProcReader&) = delete;
  ProcReader& operator=(const ProcReader&) = delete;
  // The table now: fresh for roots and their descendants, maybe older for other processes.
  // members, when the caller knows every process of the roots' trees (the cgroup.procs of
  // the subjects' own cgroups): only those and the roots are read, /proc is not listed, and
  // the table holds nothing else.
  // The trees' stats are one moment's: a read during which a tree process reaped a child is
  // made again, at most kRereads times (then the child's CPU may be missing from this read,
  // as it would be from a zombie's parent read before the reap; the sampler keeps totals
  // monotonic).
  const std::vector<ProcStat>& read(const std::vector<pid_t>& roots, const std::vector<pid_t>* members = nullptr);
  static constexpr int kRereads = 3;
  std::uint64_t rereads() const { return rereads_; }  // reads made again so far
  std::uint64_t stat_reads() const { return stat_reads_; }  // stat files read so far
  std::size_t kept_files() const { return files_; }
  std::uint64_t detail_reads() const { return detail_reads_; }  // status, io and fd files read so far

  // A process of the last read's trees: its status, io and number of open fds, through its
  // kept files (like read_proc_status, read_proc_io, count_open_fds for other pids).
  std::optional<ProcStatus> status(pid_t pid);
  std::optional<ProcIo> io(pid_t pid);
  std::int64_t open_fds(pid_t pid);
  // status, io and open_fds as sum_tree takes them.
  TreeProbe probe();

 private:
  struct Entry {
    ProcStat stat;
    bool in_tree = false;  // a root or below one at the last read
  };
  // A detail read of a process and its stat's CPU and faults then.
  template <class T>
  struct Cached {
    std::optional<T> value;
    std::uint64_t cpu_ticks = 0, faults = 0;
    std::chrono::steady_clock::time_point at{};
  };
  struct Kept {  // a tree process: its files (-1: not open) and its last detail reads
    int stat = -1, status = -1, io = -1, fd_dir = -1;
    Cached<ProcStatus> last_status;
    Cached<ProcIo> last_io;
    Cached<std::int64_t> last_fds;
  };
  void read_once(const std::vector<pid_t>& roots, const std::vector<pid_t>* members, bool full);
  bool reaped_during_read();
  std::optional<ProcStat> read_stat(pid_t pid, bool in_tree);
  // The kept file `which` of a tree process, opened now if the budget allows; -1 otherwise.
  int kept(pid_t pid, int Kept::*which, const char* leaf, int flags);
  void close_all(Kept& k);
  // The cached detail of a tree process while it is idle (above), else read() now.
  template <class T, class Read>
  std::optional<T> detail(pid_t pid, Cached<T> Kept::*last, Read read);
  std::vector<std::pair<pid_t, Entry>> known_;  // sorted by pid
  std::map<pid_t, Kept> open_;                  // files of tree processes
  std::vector<ProcStat> table_;
  std::uint64_t reads_ = 0, stat_reads_ = 0, rereads_ = 0, refresh_every_;
  std::size_t files_ = 0, max_files_ = kMaxFiles;
  std::uint64_t detail_reads_ = 0;
};

// Entries of /proc/PID/fd; -1 when unreadable (gone, or not ours).
std::int64_t count_open_fds(pid_t pid);
// The running kernel's page size and clock ticks per second.
UsageScale system_scale();

}  // namespace bbx::probes
