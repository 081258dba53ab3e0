// Periodic resource samples of every subject's process tree (probes/resource_usage.hpp,
// profile/sample_accounting.hpp), on the run's loop: one steady timer per distinct `sample:`
// interval (default 100ms), each tick reading /proc once for all its subjects. Never blocks
// the loop; samples are taken whenever the driver pumps the loop.
//
// Timing: absolute deadlines (each deadline is the previous one plus the interval, so the rate
// does not drift); a tick that fires after the next deadline skips the deadlines already past
// (counted in resource.sampler's skipped_ticks) instead of firing in a burst.
//
// Which processes a tick reads: a subject in its own cgroup lists its tree in cgroup.procs
// (one read); otherwise /proc is listed. What a tick reads, per tree process, through files
// kept open and re-read with pread (probes::ProcReader):
// - /proc/PID/stat every tick;
// - the size of /proc/PID/fd, /proc/PID/status (VmHWM, context switches) and /proc/PID/io
//   (rchar/wchar) on each instance's first sample and then every Nth, at most 5 times a
//   second (every 2nd tick at the default 10 Hz: status is the costliest file, ~10 us a
//   process; the values are carried over in between), and for a process that neither ran
//   nor faulted in a page since its last read, once a second (ProcReader's idle rule);
// - /proc/PID/smaps_rollup (PSS) on each instance's first sample, then at most once a second
//   (every 10th sample at 10 Hz), skipped for trees above 1 GiB of RSS, whose page-table walk
//   costs milliseconds (the sample then has no pss_bytes; resource.sampler counts pss_skipped).
// A subject in its own cgroup (process/subject_cgroup.hpp) also has its cpu.stat and
// memory.peak read (two files per tick). The final sample (sample_all) reads status and io.
//
// Journal events:
//   resource.sample  source = the subject (pid = its main process), one per running subject
//     per tick; a subject that is not running (not started yet, exited, tree gone) or that
//     bbx is stopping (its processes exiting) gets none, but for the final sample of a tree
//     that ended on its own (exit: true, from the shim's reports or the cgroup).
//     Body: profile/sample_accounting.hpp's sample_body.
//   resource.sampler {ticks, samples, cpu_us, cpu_us_per_sample, skipped_ticks, pss_reads,
//     pss_skipped}  source runner "sampler", once at stop(): what sampling cost the runner
//     (its thread's CPU time inside ticks, JSON and journal writes included).
//
// Ownership: owned by the scenario driver, which outlives every timer it arms; the
// Supervisor must outlive it. All methods run on the loop thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::profile {

// Whether an instance's tree is read from its cgroup (cgroup_dir; empty: it has none). Its
// shim joins the cgroup itself before it starts the command, best effort, so /proc's word on
// where the shim is (shim_cgroup, its path in the hierarchy) decides it once the command has
// started (`launched`). Before that a tick can come between the spawn and the join (it did
// under load): a shim outside its cgroup then decides nothing yet (nullopt), and the tree is
// read from /proc until it does.
std::optional<bool> cgroup_membership(std::string_view cgroup_dir, const std::optional<std::string>& shim_cgroup,
                                      bool launched);

// The deadline after `previous`: previous + interval, or, when that is before `now`, the first
// previous + k * interval after now; skipped counts the deadlines passed over.
struct Deadline {
  std::chrono::steady_clock::time_point at;
  std::uint64_t skipped = 0;
};
Deadline next_deadline(std::chrono::steady_clock::time_point previous, std::chrono::steady_clock::duration interval,
                       std::chrono::steady_clock::time_point now);

class ResourceSampler {
 public:
  ResourceSampler(runtime::RunContext& ctx, const process::Supervisor& supervisor);
  ~ResourceSampler();
  ResourceSampler(const ResourceSampler&) = delete;
  ResourceSampler& operator=(const ResourceSampler&) = delete;

  // Arms the timers for the subjects whose sampling is on (not `sample: off`).
  void start();
  // Samples every running sampled subject now (the final sample, before subjects stop).
  void sample_all();
  // Cancels the timers and journals resource.sampler once. Idempotent.
  void stop();
  // Peaks per subject that had at least one sample, in scenario order; totals (I/O, CPU
  // split, context switches) are summed over the subject's instances (restarts).
  std::vector<ResourcePeaks> peaks() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::profile
