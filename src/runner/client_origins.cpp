#include "runner/client_origins.hpp"

#include <unistd.h>

#include <algorithm>

#include "probes/proc_table.hpp"
#include "probes/socket_owner.hpp"

namespace bbx::runner {

namespace {
constexpr std::size_t kRecent = 8;
}

std::optional<runtime::ClientOrigin> ClientOrigins::found(pid_t pid, runtime::ClientOrigin origin) {
  known_[pid] = origin;
  recent_.erase(std::remove(recent_.begin(), recent_.end(), pid), recent_.end());
  recent_.push_front(pid);
  if (recent_.size() > kRecent) recent_.pop_back();
  return origin;
}

std::optional<runtime::ClientOrigin> ClientOrigins::find(const util::TcpEndpoint& server, const util::TcpEndpoint& client) {
  auto inode = probes::tcp_socket_inode(client, server);
  if (!inode) return std::nullopt;
  for (pid_t pid : recent_)
    if (probes::pid_holds_socket(pid, *inode)) return found(pid, known_[pid]);
  for (const auto& subject : scenario_.subjects)
    for (pid_t pid : supervisor_.tree_of(subject.name))
      if (probes::pid_holds_socket(pid, *inode)) return found(pid, {"subject", subject.name, pid});
  const pid_t self = ::getpid();
  if (probes::pid_holds_socket(self, *inode)) return found(self, {"bbx", "bbx", self});
  auto table = probes::read_proc_table();
  for (pid_t pid : probes::descendants_of(self, table)) {
    if (!probes::pid_holds_socket(pid, *inode)) continue;
    auto it = std::find_if(table.begin(), table.end(), [&](const probes::ProcStat& p) { return p.pid == pid; });
    return found(pid, {"process", it == table.end() ? std::string("?") : it->comm, pid});
  }
  return std::nullopt;
}

}  // namespace bbx::runner
