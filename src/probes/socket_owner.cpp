#include "probes/socket_owner.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace bbx::probes {

namespace {

class NetlinkSocket {
 public:
  NetlinkSocket() : fd_(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {}
  ~NetlinkSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

void copy_address(const TcpEndpoint& e, __be32 (&out)[4]) {
  std::memset(out, 0, sizeof out);
  std::memcpy(out, e.address.data(), e.family == AF_INET ? 4 : 16);
}

}  // namespace

std::optional<std::uint64_t> tcp_socket_inode(const TcpEndpoint& local, const TcpEndpoint& remote) {
  if (local.family != remote.family || (local.family != AF_INET && local.family != AF_INET6)) return std::nullopt;
  NetlinkSocket nl;
  if (nl.fd() < 0) return std::nullopt;
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } q{};
  q.nlh.nlmsg_len = sizeof q;
  q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  q.nlh.nlmsg_flags = NLM_F_REQUEST;  // one socket by its 4-tuple, not a dump
  q.nlh.nlmsg_seq = 1;
  q.req.sdiag_family = static_cast<std::uint8_t>(local.family);
  q.req.sdiag_protocol = IPPROTO_TCP;
  q.req.idiag_states = ~0u;
  q.req.id.idiag_sport = htons(local.port);
  q.req.id.idiag_dport = htons(remote.port);
  copy_address(local, q.req.id.idiag_src);
  copy_address(remote, q.req.id.idiag_dst);
  q.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  q.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do sent = ::sendto(nl.fd(), &q, sizeof q, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  while (sent < 0 && errno == EINTR);
  if (sent < 0) return std::nullopt;
  alignas(nlmsghdr) char buf[8192];
  ssize_t n;
  do n = ::recv(nl.fd(), buf, sizeof buf, 0);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return std::nullopt;
  long len = static_cast<long>(n);
  for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
    if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;  // NLMSG_ERROR: no such socket
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) continue;
    const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
    if (m->idiag_inode == 0) return std::nullopt;  // a socket without a file (TIME_WAIT)
    return m->idiag_inode;
  }
  return std::nullopt;
}

bool pid_holds_socket(pid_t pid, std::uint64_t inode, const std::function<void(std::uint64_t, int)>& each_socket) {
  if (pid <= 0) return false;
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path), ::closedir);
  if (!dir) return false;
  char wanted[40];
  int wanted_len = std::snprintf(wanted, sizeof wanted, "socket:[%llu]", static_cast<unsigned long long>(inode));
  bool held = false;
  while (const dirent* e = ::readdir(dir.get())) {
    if (e->d_name[0] == '.') continue;
    char target[64];
    ssize_t n = ::readlinkat(::dirfd(dir.get()), e->d_name, target, sizeof target);
    if (n == wanted_len && std::memcmp(target, wanted, static_cast<std::size_t>(n)) == 0) {
      held = true;
      if (!each_socket) return true;
    }
    if (each_socket && n > 9 && std::memcmp(target, "socket:[", 8) == 0)
      each_socket(std::strtoull(target + 8, nullptr, 10), std::atoi(e->d_name));
  }
  return held;
}

bool fd_is_socket(pid_t pid, int fd, std::uint64_t inode) {
  char path[48], target[64], wanted[40];
  std::snprintf(path, sizeof path, "/proc/%d/fd/%d", static_cast<int>(pid), fd);
  int wanted_len = std::snprintf(wanted, sizeof wanted, "socket:[%llu]", static_cast<unsigned long long>(inode));
  ssize_t n = ::readlink(path, target, sizeof target);
  return n == wanted_len && std::memcmp(target, wanted, static_cast<std::size_t>(n)) == 0;
}

}  // namespace bbx::probes
