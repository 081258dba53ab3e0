// The runner's ClientOriginFinder (runtime/client_origin.hpp): which process of the run
// holds the client end of a connection a fake accepted, and whose it is.
//
//   1. the client's socket inode: one sock_diag lookup of the connection's 4-tuple
//      (probes/socket_owner.hpp);
//   2. its holder: first the processes that sent the last connections (a client usually
//      connects again), then every process of each subject's tree, then the runner itself
//      (bbx's steps and readiness polls), then the runner's other descendants (a command
//      step's curl); each a scan of /proc/PID/fd that stops at the first match;
//   3. the holder's name: the subject whose tree it is in, "bbx", or its comm.
// A socket nobody holds any more, or a client outside the run's network namespace, finds
// nothing. Costs one netlink round trip and one fd scan when the sender is a recent one
// (tens of microseconds); a full search reads /proc (about a millisecond without a PID
// namespace on a busy host), once per connection, never per request. Loop thread only.
//
// Many connections: a scan costs a readlink per fd of the process scanned, so 5,000
// connections from one client would cost 5,000 scans of 5,000 fds. Every scan therefore
// indexes the sockets it reads (inode -> holder and fd): a holder found once, the next
// connections it opened are found by one readlink that checks the index. And a full search
// that found nothing (a client outside the run, such as a load generator on the host: the
// runner's own thousands of connections are scanned in vain) makes the next full searches
// wait 20 times its cost: at most ~5% of the loop goes to fruitless searches, and the
// connections meanwhile that the index and the recent holders do not place get no origin.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "process/supervisor.hpp"
#include "runtime/client_origin.hpp"

namespace bbx::runner {

class ClientOrigins {
 public:
  ClientOrigins(const Scenario& scenario, const process::Supervisor& supervisor)
      : scenario_(scenario), supervisor_(supervisor) {}

  std::optional<runtime::ClientOrigin> find(const util::TcpEndpoint& server, const util::TcpEndpoint& client);

 private:
  std::optional<runtime::ClientOrigin> found(pid_t pid, runtime::ClientOrigin origin);
  bool holds(pid_t pid, std::uint64_t inode);  // a scan of pid's fds, indexing its sockets

  const Scenario& scenario_;
  const process::Supervisor& supervisor_;
  std::deque<pid_t> recent_;                          // the last few holders, newest first
  std::map<pid_t, runtime::ClientOrigin> known_;      // holders seen, by pid
  std::unordered_map<std::uint64_t, std::pair<pid_t, int>> index_;  // socket inode -> pid, fd, from scans
  std::chrono::steady_clock::time_point quiet_until_{};  // no full search before (one found nothing)
};

}  // namespace bbx::runner
