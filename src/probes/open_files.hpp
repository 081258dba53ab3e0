// The regular files a process holds open for writing (its log files, state files), read from
// /proc/PID/fd and /proc/PID/fdinfo: how a failure report finds the log a subject writes
// without being told its name. Best effort: a process that is gone, or whose fd directory
// is not readable, has none; files opened or closed while the directory is read may or may
// not be seen. Pids are those of the caller's /proc mount.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bbx::probes {

// Absolute paths of the regular files (not devices, pipes, sockets or deleted files) the
// processes hold open with O_WRONLY or O_RDWR, each once, in the order found.
std::vector<std::string> files_open_for_writing(const std::vector<pid_t>& pids);

}  // namespace bbx::probes
