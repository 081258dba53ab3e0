// The process table from /proc: the one reader of /proc/PID/stat. Best effort: a process
// that vanishes mid-scan is left out. In a PID namespace with its own /proc, only the
// scenario's processes are seen. Parsing is pure, so it is tested on recorded text.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bbx::probes {

// The fields of one /proc/PID/stat line that bbx uses.
struct ProcStat {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  std::string comm;                   // the command name, as the kernel shows it (max 15 bytes)
  char state = '?';                   // R, S, D, Z, T, ...
  std::uint32_t flags = 0;            // the kernel's PF_* flags (PF_EXITING 0x4: it is exiting)
  std::uint64_t cpu_ticks = 0;        // utime + stime, in clock ticks
  std::uint64_t child_cpu_ticks = 0;  // cutime + cstime: children it reaped (and what they reaped)
  std::uint64_t utime = 0, stime = 0;    // the split of cpu_ticks: user, system
  std::uint64_t cutime = 0, cstime = 0;  // the split of child_cpu_ticks
  std::int64_t threads = 0;           // num_threads
  std::uint64_t rss_pages = 0;        // rss
  std::uint64_t faults = 0;           // minflt + majflt: pages it faulted in (its memory can grow no other way)
};

// Parses the contents of /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces
// and parentheses). nullopt when malformed or truncated before field 24 (rss).
std::optional<ProcStat> parse_proc_stat(std::string_view text);

// One process's stat (one read(2)); nullopt when it is gone or unreadable.
std::optional<ProcStat> read_proc_stat(pid_t pid);

// PF_EXITING: the process is exiting (a dying process may still show state R or D while it
// writes its core dump).
inline constexpr std::uint32_t kProcExiting = 0x4;

// Whether pid is gone, a zombie, or exiting: it ended on its own, whatever is signalled to it
// now. False for a live process (and for one whose stat cannot be parsed).
bool process_ending(pid_t pid);

// Every numeric entry of /proc, ascending.
std::vector<pid_t> list_pids();

// Every process /proc shows, one read of its stat file each, ascending by pid.
std::vector<ProcStat> read_proc_table();

// Every process below root in table (children, grandchildren, ...), zombies included.
std::vector<pid_t> descendants_of(pid_t root, const std::vector<ProcStat>& table);

}  // namespace bbx::probes
