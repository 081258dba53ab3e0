// Where the running bbx binary lives (fixture daemons are built beside it).
#pragma once

#include <filesystem>

namespace bbx::util {

// The directory of /proc/self/exe, resolved once and cached; empty if unreadable.
const std::filesystem::path& self_exe_dir();

}  // namespace bbx::util
