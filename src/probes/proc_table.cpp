#include "probes/proc_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace bbx::probes {

namespace {

// The next space-separated token of s, advancing s past it.
std::string_view next_token(std::string_view& s) {
  auto start = s.find_first_not_of(' ');
  if (start == std::string_view::npos) return s = {}, std::string_view{};
  s.remove_prefix(start);
  auto end = s.find(' ');
  auto token = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return token;
}

template <typename T>
bool to_number(std::string_view token, T& out) {
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && ptr == token.data() + token.size();
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  auto space = text.find(' ');
  if (open == std::string_view::npos || close == std::string_view::npos || space == std::string_view::npos ||
      space > open || close < open)
    return std::nullopt;
  ProcStat p;
  long pid = 0;
  if (!to_number(text.substr(0, space), pid) || pid <= 0) return std::nullopt;
  p.pid = static_cast<pid_t>(pid);
  p.comm = std::string(text.substr(open + 1, close - open - 1));
  auto rest = text.substr(close + 1);
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' ')) rest.remove_suffix(1);
  // Fields from 3 (state) on; index i here is field i + 3 of proc(5).
  std::int64_t ppid = 0, pgid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0, threads = 0, rss = 0, minflt = 0,
               majflt = 0;
  for (int i = 0; i <= 21; ++i) {
    auto t = next_token(rest);
    if (t.empty()) return std::nullopt;
    bool ok = true;
    switch (i + 3) {
      case 3: p.state = t[0]; break;
      case 4: ok = to_number(t, ppid); break;
      case 5: ok = to_number(t, pgid); break;
      case 9: ok = to_number(t, p.flags); break;
      case 10: ok = to_number(t, minflt); break;
      case 12: ok = to_number(t, majflt); break;
      case 14: ok = to_number(t, utime); break;
      case 15: ok = to_number(t, stime); break;
      case 16: ok = to_number(t, cutime); break;
      case 17: ok = to_number(t, cstime); break;
      case 20: ok = to_number(t, threads); break;
      case 24: ok = to_number(t, rss); break;
      default: break;
    }
    if (!ok) return std::nullopt;
  }
  p.ppid = static_cast<pid_t>(ppid);
  p.pgid = static_cast<pid_t>(pgid);
  auto ticks = [](std::int64_t v) { return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v)); };
  p.utime = ticks(utime);
  p.faults = ticks(minflt) + ticks(majflt);
  p.stime = ticks(stime);
  p.cutime = ticks(cutime);
  p.cstime = ticks(cstime);
  p.cpu_ticks = p.utime + p.stime;
  p.child_cpu_ticks = p.cutime + p.cstime;
  p.threads = threads;
  p.rss_pages = static_cast<std::uint64_t>(std::max<std::int64_t>(0, rss));
  return p;
}

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  char path[32];
  char buf[1024];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  auto n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return parse_proc_stat(std::string_view(buf, static_cast<std::size_t>(n)));
}

bool process_ending(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ESRCH;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return n == 0 || errno == ESRCH;
  auto stat = parse_proc_stat(std::string_view(buf, static_cast<std::size_t>(n)));
  if (!stat) return false;
  return stat->state == 'Z' || stat->state == 'X' || (stat->flags & kProcExiting) != 0;
}

std::vector<pid_t> list_pids() {
  std::vector<pid_t> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    out.push_back(static_cast<pid_t>(std::atol(entry->d_name)));
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ProcStat> read_proc_table() {
  std::vector<ProcStat> out;
  for (pid_t pid : list_pids())
    if (auto p = read_proc_stat(pid)) out.push_back(std::move(*p));
  return out;
}

std::vector<pid_t> descendants_of(pid_t root, const std::vector<ProcStat>& table) {
  std::multimap<pid_t, pid_t> children;
  for (const auto& p : table) children.emplace(p.ppid, p.pid);
  std::vector<pid_t> out;
  std::vector<pid_t> pending{root};
  // A pid reused as its own ancestor cannot loop: each pid is expanded at most once.
  for (std::size_t guard = 0; !pending.empty() && guard <= table.size(); ++guard) {
    pid_t parent = pending.back();
    pending.pop_back();
    auto [lo, hi] = children.equal_range(parent);
    for (auto it = lo; it != hi; ++it) {
      out.push_back(it->second);
      pending.push_back(it->second);
    }
  }
  return out;
}

}  // namespace bbx::probes
