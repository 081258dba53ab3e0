// One end of a TCP connection as plain bytes (no Asio in widely included headers): what
// the fakes hand the probe that finds which process holds the other end.
#pragma once

#include <array>
#include <cstdint>

namespace bbx::util {

struct TcpEndpoint {
  int family = 0;                           // AF_INET or AF_INET6
  std::array<unsigned char, 16> address{};  // network byte order; AF_INET uses the first 4
  std::uint16_t port = 0;                   // host byte order
};

}  // namespace bbx::util
