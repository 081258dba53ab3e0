#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "probes/process_snapshot.hpp"

using namespace bbx::probes;

TEST_CASE("a snapshot shows a process's command line, state, fds and the socket it listens on") {
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 1) != 0) ::_exit(1);
    char c = 'r';
    if (::write(ready[1], &c, 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  ::close(ready[0]);

  auto snap = snapshot_processes({pid, 999999999});  // the second never exists: left out
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  REQUIRE(snap.size() == 1);
  const auto& p = snap[0];
  CHECK(p.pid == pid);
  CHECK(p.ppid == ::getpid());
  CHECK(p.threads == 1);
  REQUIRE_FALSE(p.cmdline.empty());
  CHECK(p.cmdline[0].find("bbx_unit_tests") != std::string::npos);
  REQUIRE(p.listening.size() == 1);
  CHECK(p.listening[0].rfind("tcp 127.0.0.1:", 0) == 0);
  CHECK(p.fds_total == p.fds.size());
  bool socket_fd = false;
  for (const auto& [fd, target] : p.fds) socket_fd = socket_fd || target.rfind("socket:[", 0) == 0;
  CHECK(socket_fd);
}

TEST_CASE("fds beyond the cap are counted, not listed") {
  auto snap = snapshot_processes({::getpid()}, 2);
  REQUIRE(snap.size() == 1);
  CHECK(snap[0].fds.size() == 2);
  CHECK(snap[0].fds_total >= 3);
}
