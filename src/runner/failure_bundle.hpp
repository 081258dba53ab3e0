// The evidence a failed scenario keeps beside its journal, taken while its subjects still
// run: `failure/snapshot.json` (each running subject's process tree with command lines,
// states, wait channels, open fds and listening sockets, at the moment the scenario first
// failed) and, when a subject hangs, `failure/stacks.txt` (every thread's stack of every
// process in its tree, identical stacks grouped; process/thread_stacks.hpp), which
// snapshot.json also holds.
//
// Hangs are: the scenario's timeout, a readiness timeout, a stop whose grace period
// expired. The driver (runner/scenario_driver.cpp) calls snapshot() at the first failure and
// hung() before a hung subject is halted or killed. Each writes its files at once and
// journals failure.snapshot / failure.stacks (docs/journal-events.md). A snapshot is taken
// once per scenario; stacks once per subject. Capturing stacks stops each process for tens
// of milliseconds (ptrace) and always resumes it.
//
// Failure: nothing here fails the scenario; a file that cannot be written or a tool that
// cannot attach is said in the journal event (`error`). Runs on the loop thread and blocks
// it while it reads (about 1 ms per process for the snapshot, 20-50 ms per process for
// stacks, at most 3 s each).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::runner {

class FailureBundle {
 public:
  FailureBundle(runtime::RunContext& ctx, const process::Supervisor& supervisor);

  // The scenario failed (why: the failure's one-line text). The first call snapshots every
  // running subject; later calls do nothing.
  void snapshot(const std::string& why);
  // Subjects hang (why: "scenario timed out after 60s", ...): snapshot (if not yet) and every
  // thread's stack of each named subject's live processes, each subject once.
  void hung(const std::vector<std::string>& subjects, const std::string& why);

 private:
  runtime::RunContext& ctx_;
  const process::Supervisor& supervisor_;
  bool snapshotted_ = false;
  std::string why_;
  std::set<std::string> stacked_;
  struct Doc;
  std::shared_ptr<Doc> doc_;  // what snapshot.json holds so far
};

}  // namespace bbx::runner
