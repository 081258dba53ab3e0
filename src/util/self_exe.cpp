#include "util/self_exe.hpp"

namespace bbx::util {

const std::filesystem::path& self_exe_dir() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
  }();
  return dir;
}

}  // namespace bbx::util
