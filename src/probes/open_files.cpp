#include "probes/open_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace bbx::probes {

namespace {

// The open flags of fd in pid (fdinfo's "flags:" line, octal); -1 when unknown.
long open_flags(pid_t pid, const char* fd) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + fd);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("flags:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 8);
  return -1;
}

}  // namespace

std::vector<std::string> files_open_for_writing(const std::vector<pid_t>& pids) {
  std::vector<std::string> out;
  for (pid_t pid : pids) {
    char dir_path[32];
    std::snprintf(dir_path, sizeof dir_path, "/proc/%d/fd", static_cast<int>(pid));
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(dir_path), ::closedir);
    if (!dir) continue;
    while (const dirent* e = ::readdir(dir.get())) {
      if (e->d_name[0] == '.') continue;
      char target[4096];
      ssize_t n = ::readlinkat(::dirfd(dir.get()), e->d_name, target, sizeof target - 1);
      if (n <= 0 || target[0] != '/') continue;  // pipe:[..], socket:[..], anon_inode:...
      std::string file(target, static_cast<std::size_t>(n));
      if (file.size() > 10 && file.compare(file.size() - 10, 10, " (deleted)") == 0) continue;
      struct stat st {};
      if (::fstatat(::dirfd(dir.get()), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
      long flags = open_flags(pid, e->d_name);
      if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY) continue;
      if (std::find(out.begin(), out.end(), file) == out.end()) out.push_back(std::move(file));
    }
  }
  return out;
}

}  // namespace bbx::probes
