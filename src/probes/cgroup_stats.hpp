// cgroup v2 statistics of a subject's cgroup (process/subject_cgroup.hpp creates it): where
// the cgroup2 hierarchy is mounted, which cgroup a process is in, and what the cgroup's files
// say. Every v2 cgroup has cpu.stat (usage_usec, user_usec, system_usec: the exact CPU time
// of everything that ever ran in it, processes long gone included), whatever controllers
// are enabled; memory.peak exists only where the memory controller is enabled for it (a pure
// v2 host with delegation). io.stat (block-device bytes) is not read: read_bytes/write_bytes
// are syscall-level bytes (rchar/wchar), which io.stat cannot give. Parsing is pure, so it is
// tested on recorded text. Readers are best effort: nullopt when a file is missing.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bbx::probes {

// The mount point of the cgroup2 hierarchy in a /proc/self/mountinfo text (the first
// "- cgroup2" entry; "/sys/fs/cgroup" on pure v2 hosts, "/sys/fs/cgroup/unified" on hybrid
// ones); nullopt when there is none.
std::optional<std::filesystem::path> parse_cgroup2_mount(std::string_view mountinfo);
// The v2 cgroup path ("0::/a/b" line) in a /proc/PID/cgroup text; nullopt when none.
std::optional<std::string> parse_cgroup2_path(std::string_view proc_cgroup);

// The same, read from /proc/self/mountinfo and /proc/PID/cgroup.
std::optional<std::filesystem::path> cgroup2_mount();
std::optional<std::string> cgroup2_path_of(pid_t pid);

struct CgroupCpu {
  std::uint64_t usage_usec = 0, user_usec = 0, system_usec = 0;
};
std::optional<CgroupCpu> parse_cgroup_cpu_stat(std::string_view text);  // nullopt: a field missing

struct CgroupStats {
  std::optional<CgroupCpu> cpu;               // cpu.stat
  std::optional<std::uint64_t> memory_peak;   // memory.peak, bytes
};
// Reads dir/cpu.stat and dir/memory.peak (two opens at most).
CgroupStats read_cgroup_stats(const std::filesystem::path& dir);

// The processes in a cgroup: cgroup.procs, a pid a line (in the reader's pid namespace),
// sorted. nullopt when the file cannot be read or a line is not a pid.
std::optional<std::vector<pid_t>> parse_cgroup_procs(std::string_view text);
std::optional<std::vector<pid_t>> read_cgroup_procs(const std::filesystem::path& dir);

}  // namespace bbx::probes
