#include "probes/cgroup_stats.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <fstream>
#include <sstream>

namespace bbx::probes {

namespace {

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr == s.data()) return std::nullopt;
  return v;
}

// The value of "key N" at the start of a line.
std::optional<std::uint64_t> keyed(std::string_view text, std::string_view key) {
  for (std::size_t at = 0; at < text.size();) {
    auto eol = text.find('\n', at);
    auto line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    at = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
      return number(line.substr(key.size() + 1));
  }
  return std::nullopt;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One read(2): cgroup files are small and generated at once.
std::optional<std::string> read_small(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  auto n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::optional<std::filesystem::path> parse_cgroup2_mount(std::string_view mountinfo) {
  // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
  std::istringstream in{std::string(mountinfo)};
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - cgroup2 ");
    if (dash == std::string::npos) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, dev, root, mount;
    if (fields >> id >> parent >> dev >> root >> mount) return std::filesystem::path(mount);
  }
  return std::nullopt;
}

std::optional<std::string> parse_cgroup2_path(std::string_view proc_cgroup) {
  for (std::size_t at = 0; at < proc_cgroup.size();) {
    auto eol = proc_cgroup.find('\n', at);
    auto line = proc_cgroup.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    at = eol == std::string_view::npos ? proc_cgroup.size() : eol + 1;
    if (line.starts_with("0::")) return std::string(line.substr(3));
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> cgroup2_mount() { return parse_cgroup2_mount(slurp("/proc/self/mountinfo")); }

std::optional<std::string> cgroup2_path_of(pid_t pid) {
  auto text = read_small("/proc/" + std::to_string(pid) + "/cgroup");
  if (!text) return std::nullopt;
  return parse_cgroup2_path(*text);
}

std::optional<CgroupCpu> parse_cgroup_cpu_stat(std::string_view text) {
  auto usage = keyed(text, "usage_usec"), user = keyed(text, "user_usec"), system = keyed(text, "system_usec");
  if (!usage || !user || !system) return std::nullopt;
  return CgroupCpu{*usage, *user, *system};
}

CgroupStats read_cgroup_stats(const std::filesystem::path& dir) {
  CgroupStats s;
  if (auto text = read_small(dir / "cpu.stat")) s.cpu = parse_cgroup_cpu_stat(*text);
  if (auto text = read_small(dir / "memory.peak")) s.memory_peak = number(*text);
  return s;
}

std::optional<std::vector<pid_t>> parse_cgroup_procs(std::string_view text) {
  std::vector<pid_t> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    auto n = number(line);
    if (!n || *n == 0 || *n > std::uint64_t(std::numeric_limits<pid_t>::max())) return std::nullopt;
    out.push_back(static_cast<pid_t>(*n));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::vector<pid_t>> read_cgroup_procs(const std::filesystem::path& dir) {
  int fd = ::open((dir / "cgroup.procs").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < (std::size_t(1) << 22)) text.append(buf, std::size_t(n));
  ::close(fd);
  if (n < 0) return std::nullopt;
  return parse_cgroup_procs(text);
}

}  // namespace bbx::probes
