// Reading a small kernel file (/proc, /sys) whole with read(2). A process's files can vanish
// or fail between open and read (the process exits: read gives ESRCH); that is "gone", never
// an exception: std::ifstream read through istreambuf_iterator throws std::ios_base::failure
// there, which ended a scenario as bbx's own error when a subject died during a check.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace bbx::probes {

// The file's bytes, at most max of them; nullopt when it cannot be opened or a read fails.
// Thread-safe (no shared state).
std::optional<std::string> read_kernel_file(const std::string& path, std::size_t max = std::size_t(1) << 22);

}  // namespace bbx::probes
