#include "probes/resource_usage.hpp"

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
#include <unordered_map>

namespace bbx::probes {

TreeUsage sum_tree(const std::vector<ProcStat>& table, pid_t root, const UsageScale& scale,
                   const std::function<std::int64_t(pid_t)>& fds) {
  std::unordered_map<pid_t, const ProcStat*> by_pid;
  by_pid.reserve(table.size());
  for (const auto& p : table) by_pid.emplace(p.pid, &p);
  std::uint64_t ticks = 0;
  if (auto self = by_pid.find(root); self != by_pid.end()) ticks += self->second->child_cpu_ticks;
  TreeUsage u;
  for (pid_t pid : descendants_of(root, table)) {
    const ProcStat& p = *by_pid.at(pid);
    if (p.state == 'Z' || p.state == 'X') continue;
    ++u.processes;
    u.rss_bytes += p.rss_pages * scale.page_size;
    ticks += p.cpu_ticks + p.child_cpu_ticks;
    u.threads += p.threads;
    u.fds += std::max<std::int64_t>(0, fds(p.pid));
  }
  u.cpu_ms = ticks * 1000 / (scale.ticks_per_second ? scale.ticks_per_second : 100);
  return u;
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
    if (auto p = read_proc_stat(pid)) next.emplace_back(pid, Entry{*p, false});
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
