#include "probes/resource_usage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
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

namespace {

// The number after `key` at the start of a line of text ("VmHWM:\t  1234 kB"); nullopt if absent.
std::optional<std::uint64_t> field_after(std::string_view text, std::string_view key) {
  for (std::size_t at = 0; at < text.size();) {
    auto eol = text.find('\n', at);
    auto line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    at = eol == std::string_view::npos ? text.size() : eol + 1;
    if (!line.starts_with(key)) continue;
    line.remove_prefix(key.size());
    auto digits = line.find_first_of("0123456789");
    if (digits == std::string_view::npos) return std::nullopt;
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(line.data() + digits, line.data() + line.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

// One read(2) of a small /proc file into buf; the text read, empty when unreadable.
std::string_view read_small(const char* path, char* buf, std::size_t size) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  auto n = ::read(fd, buf, size);
  ::close(fd);
  return n > 0 ? std::string_view(buf, static_cast<std::size_t>(n)) : std::string_view{};
}

// A kept /proc file read again from its start (pread) and parsed; nullopt when the process
// is gone (the read fails) or the text does not parse.
template <std::size_t N, class Parse>
auto pread_parsed(int fd, Parse parse) -> decltype(parse(std::string_view{})) {
  char buf[N];
  auto n = ::pread(fd, buf, sizeof buf, 0);
  if (n <= 0) return std::nullopt;
  return parse(std::string_view(buf, static_cast<std::size_t>(n)));
}

}  // namespace

std::optional<ProcStatus> parse_proc_status(std::string_view text) {
  ProcStatus s;
  if (auto kb = field_after(text, "VmHWM:")) s.hwm_bytes = *kb * 1024;
  s.ctx_voluntary = field_after(text, "voluntary_ctxt_switches:");
  s.ctx_involuntary = field_after(text, "nonvoluntary_ctxt_switches:");
  if (!s.hwm_bytes && !s.ctx_voluntary && !s.ctx_involuntary) return std::nullopt;
  return s;
}

std::optional<ProcIo> parse_proc_io(std::string_view text) {
  auto r = field_after(text, "rchar:");
  auto w = field_after(text, "wchar:");
  if (!r || !w) return std::nullopt;
  return ProcIo{*r, *w};
}

std::optional<std::uint64_t> parse_smaps_rollup_pss(std::string_view text) {
  auto kb = field_after(text, "Pss:");
  if (!kb) return std::nullopt;
  return *kb * 1024;
}

std::optional<ProcStatus> read_proc_status(pid_t pid) {
  char path[40], buf[4096];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  auto text = read_small(path, buf, sizeof buf);
  if (text.empty()) return std::nullopt;
  return parse_proc_status(text);
}

std::optional<ProcIo> read_proc_io(pid_t pid) {
  char path[40], buf[512];
  std::snprintf(path, sizeof path, "/proc/%d/io", static_cast<int>(pid));
  auto text = read_small(path, buf, sizeof buf);
  if (text.empty()) return std::nullopt;
  return parse_proc_io(text);
}

std::optional<std::uint64_t> read_pss_bytes(pid_t pid) {
  char path[48], buf[2048];
  std::snprintf(path, sizeof path, "/proc/%d/smaps_rollup", static_cast<int>(pid));
  auto text = read_small(path, buf, sizeof buf);
  if (text.empty()) return std::nullopt;
  return parse_smaps_rollup_pss(text);
}

TreeUsage sum_tree(const std::vector<ProcStat>& table, pid_t root, const UsageScale& scale, const TreeProbe& probe,
                   const Reaped& reaped) {
  std::unordered_map<pid_t, const ProcStat*> by_pid;
  by_pid.reserve(table.size());
  for (const auto& p : table) by_pid.emplace(p.pid, &p);
  const std::uint64_t tps = scale.ticks_per_second ? scale.ticks_per_second : 100;
  auto ms = [tps](std::uint64_t ticks) { return ticks * 1000 / tps; };
  TreeUsage u;
  u.fds_read = static_cast<bool>(probe.fds);
  u.status_read = static_cast<bool>(probe.status);
  u.io_read = static_cast<bool>(probe.io);
  std::uint64_t user = 0, system = 0;
  auto add_io = [&](pid_t pid, ProcessUsage* detail) {
    if (!probe.io) return;
    auto io = probe.io(pid);
    if (!io) return;
    u.read_bytes += io->rchar;
    u.write_bytes += io->wchar;
    if (detail) detail->read_bytes = io->rchar, detail->write_bytes = io->wchar;
  };
  auto add_status = [&](pid_t pid, bool live) {
    if (!probe.status) return;
    auto st = probe.status(pid);
    if (!st) return;
    u.ctx_voluntary += st->ctx_voluntary.value_or(0);
    u.ctx_involuntary += st->ctx_involuntary.value_or(0);
    if (live) u.hwm_sum_bytes += st->hwm_bytes.value_or(0);
  };
  if (auto self = by_pid.find(root); self != by_pid.end()) {
    user += self->second->cutime;
    system += self->second->cstime;
    add_io(root, nullptr);
    u.ctx_voluntary += reaped.ctx_voluntary;
    u.ctx_involuntary += reaped.ctx_involuntary;
  }
  auto pids = descendants_of(root, table);
  std::sort(pids.begin(), pids.end());
  for (pid_t pid : pids) {
    const ProcStat& p = *by_pid.at(pid);
    user += p.utime + p.cutime;
    system += p.stime + p.cstime;
    bool live = p.state != 'Z' && p.state != 'X';
    add_status(pid, live);
    if (!live) {
      add_io(pid, nullptr);
      continue;
    }
    ++u.processes;
    ProcessUsage d{p.pid, p.ppid, p.comm, ms(p.cpu_ticks + p.child_cpu_ticks), p.rss_pages * scale.page_size,
                   p.threads, std::nullopt, std::nullopt};
    add_io(pid, &d);
    u.rss_bytes += d.rss_bytes;
    u.threads += p.threads;
    if (probe.fds) u.fds += std::max<std::int64_t>(0, probe.fds(p.pid));
    u.procs.push_back(std::move(d));
  }
  u.cpu_user_ms = ms(user);
  u.cpu_system_ms = ms(system);
  u.cpu_ms = u.cpu_user_ms + u.cpu_system_ms;
  return u;
}

ProcReader::ProcReader(std::uint64_t refresh_every) : refresh_every_(refresh_every ? refresh_every : 1) {
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY)
    max_files_ = std::min<std::size_t>(kMaxFiles, static_cast<std::size_t>(nofile.rlim_cur / 4));
}

ProcReader::~ProcReader() {
  for (auto& [pid, k] : open_) close_all(k);
}

void ProcReader::close_all(Kept& k) {
  for (int* fd : {&k.stat, &k.status, &k.io, &k.fd_dir})
    if (*fd >= 0) ::close(*fd), *fd = -1, --files_;
}

int ProcReader::kept(pid_t pid, int Kept::*which, const char* leaf, int flags) {
  auto it = open_.find(pid);
  if (it == open_.end()) return -1;
  int& fd = it->second.*which;
  if (fd >= 0) return fd;
  // Over the budget; and no other file of a process whose stat is not kept (the stat read
  // is what notices the pid changed hands).
  if (files_ >= max_files_ || (which != &Kept::stat && it->second.stat < 0)) return -1;
  char path[40];
  std::snprintf(path, sizeof path, "/proc/%d/%s", static_cast<int>(pid), leaf);
  fd = ::open(path, flags | O_CLOEXEC);
  if (fd >= 0) ++files_;
  return fd;
}

std::optional<ProcStat> ProcReader::read_stat(pid_t pid, bool in_tree) {
  ++stat_reads_;
  if (auto it = open_.find(pid); it != open_.end() && it->second.stat >= 0) {
    if (auto stat = pread_parsed<1024>(it->second.stat, parse_proc_stat)) return stat;
    close_all(it->second);  // that process is gone (ESRCH); the pid may be another's now
    open_.erase(it);
  }
  if (in_tree) {
    open_.try_emplace(pid);
    if (int fd = kept(pid, &Kept::stat, "stat", O_RDONLY); fd >= 0) return pread_parsed<1024>(fd, parse_proc_stat);
  }
  return read_proc_stat(pid);
}

template <class T, class Read>
std::optional<T> ProcReader::detail(pid_t pid, Cached<T> Kept::*last, Read read) {
  auto it = open_.find(pid);
  auto e = std::lower_bound(known_.begin(), known_.end(), pid, [](const auto& k, pid_t p) { return k.first < p; });
  if (it == open_.end() || e == known_.end() || e->first != pid) return read();
  const ProcStat& now = e->second.stat;
  auto& c = it->second.*last;
  auto t = std::chrono::steady_clock::now();
  bool idle = c.at != std::chrono::steady_clock::time_point{} && c.cpu_ticks == now.cpu_ticks && c.faults == now.faults;
  if (idle && t - c.at < kIdleRefresh) return c.value;
  ++detail_reads_;
  c.value = read();
  c.cpu_ticks = now.cpu_ticks, c.faults = now.faults, c.at = t;
  return c.value;
}

std::optional<ProcStatus> ProcReader::status(pid_t pid) {
  return detail(pid, &Kept::last_status, [&]() -> std::optional<ProcStatus> {
    int fd = kept(pid, &Kept::status, "status", O_RDONLY);
    if (fd < 0) return read_proc_status(pid);
    return pread_parsed<4096>(fd, parse_proc_status);
  });
}

std::optional<ProcIo> ProcReader::io(pid_t pid) {
  return detail(pid, &Kept::last_io, [&]() -> std::optional<ProcIo> {
    int fd = kept(pid, &Kept::io, "io", O_RDONLY);
    if (fd < 0) return read_proc_io(pid);
    return pread_parsed<512>(fd, parse_proc_io);
  });
}

std::int64_t ProcReader::open_fds(pid_t pid) {
  return detail(pid, &Kept::last_fds, [&]() -> std::optional<std::int64_t> {
    // Linux >= 6.2: the fd directory's size is its number of entries, fstat of a kept one is
    // the cheapest read there is; older kernels say 0 and count_open_fds lists the directory.
    if (int fd = kept(pid, &Kept::fd_dir, "fd", O_RDONLY | O_DIRECTORY); fd >= 0) {
      struct stat st {};
      if (::fstat(fd, &st) != 0) return -1;
      if (st.st_size > 0) return static_cast<std::int64_t>(st.st_size);
    }
    return count_open_fds(pid);
  }).value_or(-1);
}

TreeProbe ProcReader::probe() {
  return {[this](pid_t p) { return open_fds(p); }, [this](pid_t p) { return status(p); },
          [this](pid_t p) { return io(p); }};
}

const std::vector<ProcStat>& ProcReader::read(const std::vector<pid_t>& roots, const std::vector<pid_t>* members) {
  bool full = reads_++ % refresh_every_ == 0;
  for (int attempt = 0;; ++attempt) {
    read_once(roots, members, full);
    if (attempt == kRereads || !reaped_during_read()) break;
    ++rereads_;
  }
  table_.clear();
  for (const auto& [pid, e] : known_) table_.push_back(e.stat);
  return table_;
}

// A tree process that reaped a child after its own stat was read and before the child's was
// (pids are read in ascending order: a parent mostly before its children) left the child's
// CPU out of both: each tree process with children in the table is read again, and a change
// in what it reaped (or its end) means the read was not one moment of the tree.
bool ProcReader::reaped_during_read() {
  std::vector<pid_t> parents;
  for (const auto& [pid, e] : known_)
    if (e.in_tree) parents.push_back(e.stat.ppid);
  std::sort(parents.begin(), parents.end());
  for (const auto& [pid, e] : known_) {
    if (!e.in_tree || !std::binary_search(parents.begin(), parents.end(), pid)) continue;
    auto again = read_stat(pid, true);
    if (!again || again->child_cpu_ticks != e.stat.child_cpu_ticks) return true;
  }
  return false;
}

void ProcReader::read_once(const std::vector<pid_t>& roots, const std::vector<pid_t>* members, bool full) {
  std::vector<pid_t> pids;
  if (members) {
    pids = *members;
    pids.insert(pids.end(), roots.begin(), roots.end());
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  } else {
    pids = list_pids();
  }
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
    if (auto p = read_stat(pid, cached && old->second.in_tree)) next.emplace_back(pid, Entry{*p, false});
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
  // Files of processes that left every tree (or /proc) are closed.
  for (auto it = open_.begin(); it != open_.end();) {
    auto e = std::lower_bound(known_.begin(), known_.end(), it->first, [](const auto& k, pid_t p) { return k.first < p; });
    if (e != known_.end() && e->first == it->first && e->second.in_tree) {
      ++it;
    } else {
      close_all(it->second);
      it = open_.erase(it);
    }
  }
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
