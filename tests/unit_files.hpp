// For unit tests: a fresh temp directory per test and a whole file read back as text.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace bbx::testing {

// An empty directory under the system temp dir, bbx-unit/NAME (emptied first).
inline std::filesystem::path unit_temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The file's bytes; "" when it cannot be read.
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace bbx::testing
