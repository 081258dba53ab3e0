// Who is at the other end of a local TCP connection: the socket of the peer (its inode,
// by one NETLINK_SOCK_DIAG lookup of the exact 4-tuple, the way `ss` finds one socket) and
// whether a process holds that socket (a "socket:[INODE]" link under /proc/PID/fd). The
// fakes use both to journal which process sent a request (runtime/client_origin.hpp).
//
// Only sockets of the caller's network namespace are found (a runner in its own netns sees
// its scenario's), and only processes of the caller's /proc mount.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>

#include "util/tcp_endpoint.hpp"

namespace bbx::probes {

using util::TcpEndpoint;

// The inode of the socket whose local end is `local` and whose remote end is `remote`
// (to find a client's socket from a server: local = the client's address and port, remote
// = the server's). nullopt when there is none (the peer is on another host, or already
// closed its socket), or when sock_diag is not available. Opens and closes its own netlink
// socket (tens of microseconds); thread-safe.
std::optional<std::uint64_t> tcp_socket_inode(const TcpEndpoint& local, const TcpEndpoint& remote);

// Whether process `pid` has socket `inode` open. Reads /proc/PID/fd, stopping at the first
// match; false when the process is gone or its fds are not readable. With `each_socket`, every
// fd is read and each socket's (inode, fd) handed to it (an index of the process's sockets).
bool pid_holds_socket(pid_t pid, std::uint64_t inode,
                      const std::function<void(std::uint64_t inode, int fd)>& each_socket = {});

// Whether fd `fd` of process `pid` is socket `inode` now: one readlink.
bool fd_is_socket(pid_t pid, int fd, std::uint64_t inode);

}  // namespace bbx::probes
