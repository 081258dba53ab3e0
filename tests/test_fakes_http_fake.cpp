// The HTTP fake's lifetime: a connection whose handler is still queued when the fake is destroyed
// (a response write that stop() aborted) must run against intact state. Under ASan a handler
// touching the destroyed fake is a heap-use-after-free; here it must journal the aborted write.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "fakes/fake_server.hpp"
#include "run_context_rig.hpp"

namespace {

// A blocking client socket connected to 127.0.0.1:port that sends `request` and never reads.
int connect_and_send(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  return fd;
}

}  // namespace

TEST_CASE("a response write still pending when the fake is destroyed ends safely, journaled with its error") {
  bbx::testing::RunContextRig rig("bbx-httpfake");
  bbx::model::Fake fake;
  fake.name = "api";
  fake.unmatched.status = 200;
  fake.unmatched.body = std::string(16u << 20, 'x');  // more than loopback's send buffers hold
  auto server = bbx::fakes::make_fake_server(rig.ctx, fake);
  int client = connect_and_send(server->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  rig.run_for(std::chrono::milliseconds(300));  // accepted, answered in part, the rest pending
  server.reset();                               // stop() aborts the write; its handler is queued
  rig.run_for(std::chrono::milliseconds(100));  // ... and runs now, the fake gone
  ::close(client);
  std::vector<std::string> errors;
  rig.journal.for_each_of({"http.response"}, 0, [&](const bbx::Event& e) {
    errors.push_back(e.body.at("error").get<std::string>());
    return true;
  });
  REQUIRE(errors.size() == 1);
  CHECK_FALSE(errors[0].empty());  // the aborted write, not a success
}
