#include "process/proc_tree.hpp"

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace bbx::process {

bool parse_proc_stat(const std::string& text, ProcInfo& out) {
  // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  out.pid = std::atoi(text.c_str());
  out.comm = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  long ppid = 0, pgid = 0;
  if (!(rest >> out.state >> ppid >> pgid)) return false;
  out.ppid = static_cast<pid_t>(ppid);
  out.pgid = static_cast<pid_t>(pgid);
  return out.pid > 0;
}

std::vector<ProcInfo> scan_processes() {
  std::vector<ProcInfo> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/stat");
    std::string text;
    if (!std::getline(in, text)) continue;
    ProcInfo info;
    if (parse_proc_stat(text, info)) out.push_back(info);
  }
  ::closedir(dir);
  return out;
}

std::vector<pid_t> descendants_of(pid_t root, const std::vector<ProcInfo>& table) {
  std::multimap<pid_t, pid_t> children;
  for (const auto& p : table) children.emplace(p.ppid, p.pid);
  std::vector<pid_t> out;
  std::vector<pid_t> pending{root};
  while (!pending.empty()) {
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

}  // namespace bbx::process
