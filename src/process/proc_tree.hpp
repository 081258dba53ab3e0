// Reading the process table from /proc. Best effort: processes may vanish mid-scan.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bbx::process {

struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  std::string comm;
  char state = '?';
};

// Every process /proc shows (in a PID namespace with its own /proc: only the scenario's).
std::vector<ProcInfo> scan_processes();
// Parses the contents of /proc/PID/stat. Returns false when malformed.
bool parse_proc_stat(const std::string& text, ProcInfo& out);
// Every live descendant of root (children, grandchildren, ...), from one scan.
std::vector<pid_t> descendants_of(pid_t root, const std::vector<ProcInfo>& table);

}  // namespace bbx::process
