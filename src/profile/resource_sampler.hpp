// Periodic resource samples of every subject's process tree (probes/resource_sampler.hpp),
// on the run's loop: one steady timer per distinct `sample:` interval (default 100ms), each
// tick reading /proc once for all its subjects. Never blocks the loop; samples are taken
// whenever the driver pumps the loop.
//
// Journal events:
//   resource.sample {rss_bytes, cpu_ms, fds, threads, processes}  source = the subject (pid =
//     its main process), one per running subject per tick; a subject that is not running
//     (not started yet, exited, tree gone) gets none.
//   resource.sampler {ticks, samples, cpu_us, cpu_us_per_sample}  source runner "sampler",
//     once at stop(): what sampling cost the runner (its thread's CPU time inside ticks).
//
// Ownership: owned by the scenario driver, which outlives every timer it arms; the
// Supervisor must outlive it. All methods run on the loop thread.
#pragma once

#include <memory>
#include <vector>

#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::profile {

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
  // Peaks per subject that had at least one sample, in scenario order.
  std::vector<ResourcePeaks> peaks() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::profile
