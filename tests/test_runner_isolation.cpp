#include <doctest/doctest.h>

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <optional>

#include "bbx/error.hpp"
#include "runner/isolation.hpp"
#include "runner/run_dir.hpp"

using namespace bbx::runner;

namespace {
int wait_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// "net:[4026531840]": the network namespace this process is in.
std::string net_namespace() {
  char buf[64] = {};
  ssize_t n = ::readlink("/proc/self/ns/net", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// The interface flags of "lo" in this process's network namespace (SIOCGIFFLAGS).
std::optional<short> loopback_flags() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  return ifr.ifr_flags;
}
}  // namespace

TEST_CASE("isolation none runs the body as a subreaper child and returns its code") {
  pid_t pid = fork_runner(IsolationMode::none, [](const std::string& mode) { return mode == "none" ? 7 : 1; });
  REQUIRE(pid > 0);
  CHECK(wait_code(pid) == 7);
}

TEST_CASE("namespaces make the runner PID 1 with its own /proc and a loopback that is up") {
  if (!namespaces_available()) {
    MESSAGE("namespaces not available here: skipped");
    return;
  }
  const std::string parent_net = net_namespace();
  pid_t pid = fork_runner(IsolationMode::namespaces, [parent_net](const std::string& mode) {
    if (mode != "namespaces") return 1;
    if (::getpid() != 1) return 2;
    std::ifstream stat("/proc/self/stat");
    std::string first;
    stat >> first;
    if (first != "1") return 3;  // /proc belongs to the new PID namespace
    if (net_namespace() == parent_net) return 4;
    // Asked through a socket of this namespace: /sys still shows the host's devices (sysfs
    // answers for the network namespace of whoever mounted it).
    auto flags = loopback_flags();
    if (!flags) return 5;
    return (*flags & IFF_UP) ? 0 : 6;
  });
  CHECK(wait_code(pid) == 0);  // 4: same network namespace, 5: no lo, 6: lo is down
}

TEST_CASE("auto falls back or uses namespaces, and says which") {
  pid_t pid = fork_runner(IsolationMode::automatic, [](const std::string& mode) {
    return mode == (namespaces_available() ? "namespaces" : "none") ? 0 : 1;
  });
  CHECK(wait_code(pid) == 0);
}

TEST_CASE("isolation names parse, others are input errors") {
  CHECK(parse_isolation("auto") == IsolationMode::automatic);
  CHECK(parse_isolation("none") == IsolationMode::none);
  CHECK_THROWS_AS(parse_isolation("docker"), bbx::Error);
}

TEST_CASE("run directories are unique and `latest` follows the newest") {
  auto runs = std::filesystem::temp_directory_path() / "bbx-unit-runs";
  std::filesystem::remove_all(runs);
  std::string a, b;
  auto da = create_run_dir(runs, a);
  auto db = create_run_dir(runs, b);
  CHECK(a != b);
  CHECK(std::filesystem::exists(da));
  CHECK(std::filesystem::read_symlink(runs / "latest") == b);
  CHECK(scenario_dir_name("proxy [port=1, x/y]") == "proxy__port=1,_x_y_");
}
