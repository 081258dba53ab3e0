#include "process/subject_cgroup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <system_error>

#include "probes/cgroup_stats.hpp"

namespace bbx::process {

namespace fs = std::filesystem;

namespace {

bool write_file(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// rmdir of a cgroup and its children (deepest first); false when any stays (busy).
bool remove_tree(const fs::path& dir) {
  std::error_code ec;
  bool all = true;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory(ec)) all = remove_tree(entry.path()) && all;
  return ::rmdir(dir.c_str()) == 0 && all;
}

std::string file_name(const std::string& subject) {
  std::string out;
  for (char c : subject) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

}  // namespace

void sweep_stale_cgroups(const fs::path& parent) {
  std::error_code ec;
  auto now = std::chrono::system_clock::now();
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    auto name = entry.path().filename().string();
    if (!name.starts_with("bbx-") || !entry.is_directory(ec)) continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0) continue;
    auto made = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
    if (now - made < std::chrono::minutes(1)) continue;
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) remove_tree(entry.path());  // its runner is gone
    ::close(fd);
  }
}

bool SubjectCgroups::prepare() {
  tried_ = true;
  if (const char* knob = std::getenv("BBX_CGROUPS"); knob && std::string(knob) == "off") return false;
  auto mount = probes::cgroup2_mount();
  auto own = probes::cgroup2_path_of(::getpid());
  if (!mount || !own) return false;
  fs::path base = *mount / fs::path(*own).relative_path();
  sweep_stale_cgroups(base);
  std::random_device random;
  char name[32];
  std::snprintf(name, sizeof name, "bbx-%08x%08x", random(), random());
  fs::path dir = base / name;
  if (::mkdir(dir.c_str(), 0755) != 0) return false;
  lock_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::rmdir(dir.c_str());
    return false;
  }
  for (const char* controller : {"+cpu", "+memory", "+io"}) write_file(dir / "cgroup.subtree_control", controller);
  parent_ = dir;
  return true;
}

std::optional<fs::path> SubjectCgroups::make(const std::string& subject) {
  if (!tried_) prepare();
  if (parent_.empty()) return std::nullopt;
  fs::path dir = parent_ / (file_name(subject) + "-" + std::to_string(++serial_));
  if (::mkdir(dir.c_str(), 0755) != 0) return std::nullopt;
  made_.push_back(dir);
  return dir;
}

SubjectCgroups::~SubjectCgroups() {
  for (const auto& dir : made_) ::rmdir(dir.c_str());
  if (!parent_.empty()) remove_tree(parent_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace bbx::process
