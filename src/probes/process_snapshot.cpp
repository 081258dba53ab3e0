#include "probes/process_snapshot.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include "probes/kernel_file.hpp"
#include "probes/listening_sockets.hpp"
#include "probes/proc_table.hpp"

namespace bbx::probes {

namespace {

std::string read_small_file(const std::string& path) { return read_kernel_file(path).value_or(std::string()); }

std::vector<std::string> read_cmdline(pid_t pid) {
  std::string raw = read_small_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start < raw.size()) {
    auto end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    args.push_back(raw.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

void read_fds(pid_t pid, std::size_t max_fds, ProcessDetail& d) {
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dp = ::opendir(dir.c_str());
  if (!dp) return;
  std::vector<int> fds;
  while (auto* e = ::readdir(dp))
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9') fds.push_back(std::atoi(e->d_name));
  ::closedir(dp);
  std::sort(fds.begin(), fds.end());
  d.fds_total = fds.size();
  for (std::size_t i = 0; i < fds.size() && i < max_fds; ++i) {
    char target[4096];
    auto link = dir + "/" + std::to_string(fds[i]);
    ssize_t n = ::readlink(link.c_str(), target, sizeof target);
    if (n >= 0) d.fds.emplace_back(fds[i], std::string(target, static_cast<std::size_t>(n)));
  }
}

// Every listening TCP/UDP socket by inode, described; empty when no source answers.
std::map<std::uint64_t, std::string> listening_by_inode() {
  std::map<std::uint64_t, std::string> out;
  for (auto proto : {Proto::tcp, Proto::udp}) {
    std::vector<ListeningSocket> sockets;
    try {
      ListeningSocketProbe probe;
      probe.dump(proto, sockets);
    } catch (const std::exception&) {
      try {
        sockets = read_proc_net(proto);
      } catch (const std::exception&) {
        continue;
      }
    }
    for (const auto& s : sockets) out[s.inode] = describe(s);
  }
  return out;
}

}  // namespace

std::vector<ProcessDetail> snapshot_processes(const std::vector<pid_t>& pids, std::size_t max_fds) {
  std::vector<ProcessDetail> out;
  auto listening = listening_by_inode();
  for (pid_t pid : pids) {
    auto stat = read_proc_stat(pid);
    if (!stat) continue;
    ProcessDetail d;
    d.pid = pid;
    d.ppid = stat->ppid;
    d.comm = stat->comm;
    d.state = stat->state;
    d.threads = static_cast<long>(stat->threads);
    d.cmdline = read_cmdline(pid);
    d.wchan = read_small_file("/proc/" + std::to_string(pid) + "/wchan");
    if (d.wchan == "0") d.wchan.clear();
    read_fds(pid, max_fds, d);
    for (auto inode : socket_inodes_of_pid(pid))
      if (auto it = listening.find(inode); it != listening.end()) d.listening.push_back(it->second);
    std::sort(d.listening.begin(), d.listening.end());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace bbx::probes
