// The last lines of a file, read from its end (bounded, whatever the file's size): what a
// failure report quotes of the log files a subject writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bbx::util {

struct FileTail {
  bool readable = false;           // the file could be opened and read
  std::uint64_t size = 0;          // its size in bytes
  std::vector<std::string> lines;  // its last lines, oldest first, without their '\n'
  bool more = false;               // lines before these were left out
};

// Reads at most max_bytes from the end of path and keeps its last `n` lines (a last line
// without '\n' included; a first line cut by the byte bound left out). Never throws.
FileTail tail_of_file(const std::filesystem::path& path, std::size_t n, std::size_t max_bytes = 16 * 1024);

}  // namespace bbx::util
