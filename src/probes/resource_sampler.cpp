#include "probes/resource_sampler.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

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

std::optional<ProcStat> parse_stat_usage(std::string_view text) {
  auto close = text.rfind(')');
  auto space = text.find(' ');
  if (close == std::string_view::npos || space == std::string_view::npos || space > close) return std::nullopt;
  ProcStat p;
  long pid = 0;
  if (!to_number(text.substr(0, space), pid) || pid <= 0) return std::nullopt;
  p.pid = static_cast<pid_t>(pid);
  auto rest = text.substr(close + 1);
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' ')) rest.remove_suffix(1);
  // Fields from 3 (state) on; index i here is field i + 3 of proc(5).
  std::int64_t ppid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0, threads = 0, rss = 0;
  for (int i = 0; i <= 21; ++i) {
    auto t = next_token(rest);
    if (t.empty()) return std::nullopt;
    bool ok = true;
    switch (i + 3) {
      case 3: p.state = t[0]; break;
      case 4: ok = to_number(t, ppid); break;
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
  p.cpu_ticks = static_cast<std::uint64_t>(std::max<std::int64_t>(0, utime + stime));
  p.child_cpu_ticks = static_cast<std::uint64_t>(std::max<std::int64_t>(0, cutime + cstime));
  p.threads = threads;
  p.rss_pages = static_cast<std::uint64_t>(std::max<std::int64_t>(0, rss));
  return p;
}

TreeUsage sum_tree(const std::vector<ProcStat>& table, pid_t root, const UsageScale& scale,
                   const std::function<std::int64_t(pid_t)>& fds) {
  std::multimap<pid_t, const ProcStat*> children;
  std::uint64_t ticks = 0;
  for (const auto& p : table) {
    children.emplace(p.ppid, &p);
    if (p.pid == root) ticks += p.child_cpu_ticks;
  }
  TreeUsage u;
  std::vector<pid_t> pending{root};
  for (std::size_t guard = 0; !pending.empty() && guard <= table.size(); ++guard) {
    pid_t parent = pending.back();
    pending.pop_back();
    auto [lo, hi] = children.equal_range(parent);
    for (auto it = lo; it != hi; ++it) {
      const ProcStat& p = *it->second;
      pending.push_back(p.pid);
      if (p.state == 'Z' || p.state == 'X') continue;
      ++u.processes;
      u.rss_bytes += p.rss_pages * scale.page_size;
      ticks += p.cpu_ticks + p.child_cpu_ticks;
      u.threads += p.threads;
      u.fds += std::max<std::int64_t>(0, fds(p.pid));
    }
  }
  u.cpu_ms = ticks * 1000 / (scale.ticks_per_second ? scale.ticks_per_second : 100);
  return u;
}

namespace {

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

std::optional<ProcStat> read_stat(pid_t pid) {
  char path[32];
  char buf[1024];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  auto n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return parse_stat_usage(std::string_view(buf, static_cast<std::size_t>(n)));
}

}  // namespace

std::vector<ProcStat> read_proc_table() {
  std::vector<ProcStat> out;
  for (pid_t pid : list_pids())
    if (auto p = read_stat(pid)) out.push_back(*p);
  return out;
}

const std::vector<ProcStat>& ProcReader::read(const std::vector<pid_t>& roots) {
  bool full = reads_++ % refresh_every_ == 0;
  auto pids = list_pids();
  auto present = [&](pid_t p) { return std::binary_search(pids.begin(), pids.end(), p); };
  std::vector<std::pair<pid_t, Entry>> next;
  next.reserve(pids.size());
  auto old = known_.begin();
  for (pid_t pid : pids) {
    while (old != known_.end() && old->first < pid) ++old;
    bool cached = old != known_.end() && old->first == pid;
    if (cached && !full && !old->second.in_tree && present(old->second.stat.ppid)) {
      next.emplace_back(pid, Entry{old->second.stat, false});
      continue;
    }
    ++stat_reads_;
    if (auto p = read_stat(pid)) next.emplace_back(pid, Entry{*p, false});
  }
  known_ = std::move(next);
  // Mark the roots and their trees, to be re-read next time.
  std::multimap<pid_t, std::size_t> children;
  for (std::size_t i = 0; i < known_.size(); ++i) children.emplace(known_[i].second.stat.ppid, i);
  std::vector<pid_t> pending(roots.begin(), roots.end());
  for (std::size_t guard = 0; !pending.empty() && guard <= known_.size() + roots.size(); ++guard) {
    pid_t parent = pending.back();
    pending.pop_back();
    auto self = std::lower_bound(known_.begin(), known_.end(), parent, [](const auto& e, pid_t p) { return e.first < p; });
    if (self != known_.end() && self->first == parent) self->second.in_tree = true;
    auto [lo, hi] = children.equal_range(parent);
    for (auto it = lo; it != hi; ++it) pending.push_back(known_[it->second].first);
  }
  table_.clear();
  for (const auto& [pid, e] : known_) table_.push_back(e.stat);
  return table_;
}

std::int64_t count_open_fds(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/fd";
  // Linux >= 6.2 reports the number of open fds as the directory's size: one stat(2)
  // instead of listing the directory. Older kernels report 0; then count the entries.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  if (st.st_size > 0) return static_cast<std::int64_t>(st.st_size);
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return -1;
  std::int64_t n = 0;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++n;
  ::closedir(dir);
  return n;
}

UsageScale system_scale() {
  UsageScale s;
  if (long page = ::sysconf(_SC_PAGESIZE); page > 0) s.page_size = static_cast<std::uint64_t>(page);
  if (long tick = ::sysconf(_SC_CLK_TCK); tick > 0) s.ticks_per_second = static_cast<std::uint64_t>(tick);
  return s;
}

}  // namespace bbx::probes
