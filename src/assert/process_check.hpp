// `process:` expectations: how many processes of a subject's tree (its main process and
// every descendant, from one /proc scan) have a name (comm) and/or a cmdline matching.
// With isolation "namespaces" /proc is the scenario's own, so only its processes exist.
//
// `user` and `threads` are checks on every selected process (not filters): a failure
// names each process whose real uid or thread count differs. `count`, `user` and `threads`
// look at live processes; zombies (exited, never reaped by their parent) are counted apart,
// by `zombies` (a zombie has no command line: a `cmdline` filter never selects one).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "process/supervisor.hpp"

namespace bbx::assertions {

struct ProcEntry {
  pid_t pid = 0;
  std::string comm;
  std::string cmdline;  // argv joined by spaces
  long uid = -1;        // real uid (-1 = unknown)
  std::string user{};   // its user name ("" when the uid has none)
  long threads = 0;
  char state = 'R';     // /proc/PID/stat state: 'Z' for a zombie
};

// tree: the subject's processes (empty when it is not running).
CheckResult judge_process(const model::ProcessExpectation& spec, const std::vector<ProcEntry>& tree,
                          const SourceLocation& where);

// The subject's tree now (main process first), zombies included; empty when it is not running.
std::vector<ProcEntry> probe_process_tree(const process::Supervisor& supervisor, const std::string& subject);

std::string describe(const model::ProcessExpectation& spec);

}  // namespace bbx::assertions
