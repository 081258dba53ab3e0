// `always:` / `never:` on the live probes (listening, process, file): the probe is sampled
// while the steps run, whenever its window is open, on the runner's one event loop.
//
// Semantics (docs/scenario-language.md, "Expectations"):
// - The window opens at the first journal event matching `from` and closes at the first
//   event matching `to` after it; without `to`, or when `to` never comes, it stays open
//   until the steps finish (before the subjects are stopped).
// - Sampling starts when the steps begin. Bounds are found by reading the journal; the
//   driver calls poll() after every step, so a window bounded by a `mark` or `step` is
//   sampled right after that step, and a timer polls every kSampleInterval (50 ms) while
//   steps pump the loop. finish() takes a last sample of open windows when the steps end.
// - `always` fails at the first sample where the probe does not hold, `never` at the first
//   where it holds; that sample is journaled (`probe.sample`, source kind "assert") and its
//   seq and time into the window are in the failure. No further samples are taken.
// - A window whose `from` never occurred during the steps fails; so does a window that
//   closed before any sample was taken (shorter than the sampling interval).
//
// Ownership: WindowWatches keeps references to the RunContext, the supervisor and the
// scenario's expectations, which outlive it. Its timer stops in finish() or when destroyed.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::assertions {

constexpr auto kSampleInterval = std::chrono::milliseconds(50);

class WindowWatches {
 public:
  WindowWatches(runtime::RunContext& ctx, const process::Supervisor& supervisor);
  ~WindowWatches();
  WindowWatches(const WindowWatches&) = delete;
  WindowWatches& operator=(const WindowWatches&) = delete;

  // Watches every expectation of the scenario that has `always`/`never`, samples the ones
  // already open, and starts the timer. Call when the steps begin.
  void start();
  // Reads new journal events (opening and closing windows) and samples open windows now.
  void poll();
  // The steps ended: a last sample of open windows, then the timer stops. Idempotent.
  void finish();

  // The verdict for one watched expectation (e must be one of the scenario's, with
  // `sampled`). Before start() or for a window that never opened, it fails.
  CheckResult result(const model::Expectation& e) const;

 private:
  struct Watch;
  struct Timer;
  void sample(Watch& w);
  void arm();

  runtime::RunContext& ctx_;
  const process::Supervisor& supervisor_;
  std::vector<std::unique_ptr<Watch>> watches_;
  std::unique_ptr<Timer> timer_;
  bool running_ = false;
};

}  // namespace bbx::assertions
