// For tests of TCP fakes: a blocking loopback client. Failures are doctest REQUIREs.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

namespace bbx::testing {

// A blocking socket connected to 127.0.0.1:port (close-on-exec); reads and writes give up
// after 5 s.
inline int tcp_connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval five{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five);
  return fd;
}

// Sends all of bytes (never SIGPIPE); false when the peer closed or reset first.
inline bool tcp_send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

inline void tcp_send(int fd, const std::string& bytes) { REQUIRE(tcp_send_all(fd, bytes)); }

// What the peer sends until it closes, resets or is silent for 5 s, up to max bytes.
inline std::string tcp_read_to_end(int fd, std::size_t max = std::size_t(1) << 30) {
  std::string got;
  char buf[65536];
  while (got.size() < max) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace bbx::testing
