// What a set of processes is doing right now, read from /proc, for the failure bundle
// (runner/failure_bundle.hpp): for each process its command line, state, wait channel,
// threads, open file descriptors and the listening sockets it holds.
//
// Best effort and never throws: a process that vanishes mid-read is kept with what was
// read; a file that cannot be read (another user's process) leaves its field empty. Reads
// the caller's /proc and network namespace (a namespaced runner sees its scenario's pids).
// Cost: a few /proc reads per process plus one socket dump, about a millisecond for tens of
// processes.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace bbx::probes {

struct ProcessDetail {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string comm;
  char state = '?';
  std::vector<std::string> cmdline;  // argv as the process shows it now
  std::string wchan;                 // the kernel function it sleeps in; "" when running or unknown
  long threads = 0;
  std::vector<std::pair<int, std::string>> fds;  // fd -> link target ("socket:[123]", a path)
  std::size_t fds_total = 0;                     // fds may hold only the first max_fds
  std::vector<std::string> listening;            // describe() of each listening socket it holds
};

// One detail per pid still in /proc, in the order given.
std::vector<ProcessDetail> snapshot_processes(const std::vector<pid_t>& pids, std::size_t max_fds = 64);

}  // namespace bbx::probes
