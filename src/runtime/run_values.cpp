#include "runtime/run_values.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include "bbx/error.hpp"
#include "scenario/variables.hpp"

namespace bbx::runtime {

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail_harness(std::string("cannot pick a free port: socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int e = errno;
    ::close(fd);
    fail_harness(std::string("cannot pick a free port: ") + std::strerror(e));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::optional<std::string> RunValues::value(const std::string& name) const {
  if (name.rfind("env.", 0) == 0) {
    const char* v = std::getenv(name.c_str() + 4);
    return v ? std::optional<std::string>(v) : std::optional<std::string>("");
  }
  auto it = values_.find(name);
  if (it == values_.end() && name.rfind("ports.", 0) == 0) {  // ${ports.NAME}: a free port, same on every use
    // Unique within the run: a UDP fake's port may have the number the kernel would give this
    // TCP one, and one number with two roles confuses people and `bbx diff` alike.
    std::set<int> taken;
    for (const auto& [key, value] : values_)
      if (key.rfind("ports.", 0) == 0 || (key.size() > 5 && key.compare(key.size() - 5, 5, ".port") == 0))
        taken.insert(std::atoi(value.c_str()));
    int port = free_loopback_port();
    for (int tries = 0; taken.count(port) && tries < 64; ++tries) port = free_loopback_port();
    it = values_.emplace(name, std::to_string(port)).first;
    if (on_port_) on_port_(name.substr(6), port);
  }
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string RunValues::expand(const model::Template& t) const {
  return scenario::expand(t, [this](const std::string& name) { return value(name); });
}

std::int64_t RunValues::expand_integer(const model::IntField& f) const {
  return scenario::expand_integer(f, [this](const std::string& name) { return value(name); });
}

std::map<std::string, std::string> RunValues::values_with_prefix(const std::string& prefix) const {
  std::map<std::string, std::string> out;
  for (auto it = values_.lower_bound(prefix); it != values_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    out.insert(*it);
  return out;
}

}  // namespace bbx::runtime
