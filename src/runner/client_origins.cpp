#include "runner/client_origins.hpp"

#include <unistd.h>

#include <algorithm>

#include "probes/proc_table.hpp"
#include "probes/socket_owner.hpp"

namespace bbx::runner {

namespace {
constexpr std::size_t kRecent = 8;
constexpr std::size_t kIndexMax = 1 << 20;  // sockets indexed at most (then it starts again)
constexpr int kQuietFactor = 20;            // a fruitless full search: none for 20x its cost
}

bool ClientOrigins::holds(pid_t pid, std::uint64_t inode) {
  if (index_.size() > kIndexMax) index_.clear();
  return probes::pid_holds_socket(pid, inode, [&](std::uint64_t socket, int fd) { index_[socket] = {pid, fd}; });
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
  if (auto at = index_.find(*inode); at != index_.end()) {
    auto [pid, fd] = at->second;
    if (auto k = known_.find(pid); k != known_.end() && probes::fd_is_socket(pid, fd, *inode)) return found(pid, k->second);
  }
  for (pid_t pid : recent_)
    if (holds(pid, *inode)) return found(pid, known_[pid]);
  auto start = std::chrono::steady_clock::now();
  if (start < quiet_until_) return std::nullopt;
  for (const auto& subject : scenario_.subjects)
    for (pid_t pid : supervisor_.tree_of(subject.name))
      if (holds(pid, *inode)) return found(pid, {"subject", subject.name, pid});
  const pid_t self = ::getpid();
  if (holds(self, *inode)) return found(self, {"bbx", "bbx", self});
  auto table = probes::read_proc_table();
  for (pid_t pid : probes::descendants_of(self, table)) {
    if (!holds(pid, *inode)) continue;
    auto it = std::find_if(table.begin(), table.end(), [&](const probes::ProcStat& p) { return p.pid == pid; });
    return found(pid, {"process", it == table.end() ? std::string("?") : it->comm, pid});
  }
  auto now = std::chrono::steady_clock::now();
  quiet_until_ = now + (now - start) * kQuietFactor;
  return std::nullopt;
}

}  // namespace bbx::runner
