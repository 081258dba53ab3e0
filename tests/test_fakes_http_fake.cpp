// The HTTP fake's lifetime: a connection whose handler is still queued when the fake is destroyed
// (a response write that stop() aborted) must run against intact state. Under ASan a handler
// touching the destroyed fake is a heap-use-after-free; here it must journal the aborted write.
// With `threads:`, connections are served while the run's loop does not run, a sequence is
// counted in one order across threads, settle() leaves nothing unjournaled, and stop() closes
// connections the fake keeps silent without waiting for their timers.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fakes/fake_server.hpp"
#include "run_context_rig.hpp"
#include "tcp_client.hpp"

using bbx::testing::tcp_connect;
using bbx::testing::tcp_send;

namespace {

// A client that sends `request` and never reads.
int connect_and_send(int port, const std::string& request) {
  int fd = tcp_connect(port);
  tcp_send(fd, request);
  return fd;
}

int occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Reads until `count` responses whose bodies end in `tail` arrived, or 5 s pass without data.
std::string read_responses(int fd, int count, const std::string& tail) {
  std::string got;
  char buf[4096];
  while (occurrences(got, "HTTP/1.1 ") < count || !got.ends_with(tail)) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

bbx::model::HttpFakeSpec& http_of(bbx::model::Fake& fake) { return std::get<bbx::model::HttpFakeSpec>(fake.spec); }

bbx::model::Fake threaded_fake(int threads) {
  bbx::model::Fake fake;
  fake.name = "api";
  http_of(fake).threads = threads;
  http_of(fake).unmatched.status = 200;
  http_of(fake).unmatched.body = "ok";
  return fake;
}

std::size_t count_events(bbx::journal::Journal& journal, std::string_view type) {
  std::size_t n = 0;
  journal.for_each_of(bbx::journal::TypeFilter({std::string(type)}), 0, [&](const bbx::Event&) { return ++n, true; });
  return n;
}

}  // namespace

TEST_CASE("a response write still pending when the fake is destroyed ends safely, journaled with its error") {
  bbx::testing::RunContextRig rig("bbx-httpfake");
  bbx::model::Fake fake;
  fake.name = "api";
  http_of(fake).unmatched.status = 200;
  http_of(fake).unmatched.body = std::string(16u << 20, 'x');  // more than loopback's send buffers hold
  auto server = bbx::fakes::make_fake_server(rig.ctx, fake);
  int client = connect_and_send(server->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  rig.run_for(std::chrono::milliseconds(300));  // accepted, answered in part, the rest pending
  server.reset();                               // stop() aborts the write; its handler is queued
  rig.run_for(std::chrono::milliseconds(100));  // ... and runs now, the fake gone
  ::close(client);
  std::vector<std::string> errors;
  rig.journal.for_each_of({bbx::journal::ev::http_response}, 0, [&](const bbx::Event& e) {
    errors.push_back(e.body.at("error").get<std::string>());
    return true;
  });
  REQUIRE(errors.size() == 1);
  CHECK_FALSE(errors[0].empty());  // the aborted write, not a success
}

TEST_CASE("with threads, the fake answers while the run's loop is not running") {
  bbx::testing::RunContextRig rig("bbx-httpfake-threads");
  auto fake = threaded_fake(2);
  auto server = bbx::fakes::make_fake_server(rig.ctx, fake);
  std::vector<int> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(tcp_connect(server->port()));
  rig.run_for(std::chrono::milliseconds(300));  // the loop accepts; from here nothing runs it
  for (int fd : clients) tcp_send(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int fd : clients) {
    auto got = read_responses(fd, 2, "\r\n\r\nok");
    CHECK(got.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(got.find("HTTP/1.1 200", 10) != std::string::npos);  // the second, pipelined
  }
  server->settle(std::chrono::seconds(5));
  CHECK(count_events(rig.journal, "http.request") == 8);
  CHECK(count_events(rig.journal, "http.response") == 8);
  for (int fd : clients) ::close(fd);
  server->stop();
}

TEST_CASE("with threads, a route's sequence is counted once across threads, in journal order") {
  bbx::testing::RunContextRig rig("bbx-httpfake-seq");
  auto fake = threaded_fake(2);
  bbx::model::HttpRoute route;
  route.match.path = "/seq";
  route.sequence.resize(3);
  route.sequence[0].status = 503;
  route.sequence[1].status = 502;
  route.sequence[2].status = 200;
  route.respond = route.sequence[0];
  http_of(fake).routes.push_back(route);
  auto server = bbx::fakes::make_fake_server(rig.ctx, fake);
  constexpr int kClients = 6, kEach = 50;
  std::vector<int> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(tcp_connect(server->port()));
  rig.run_for(std::chrono::milliseconds(300));
  std::string burst;
  for (int i = 0; i < kEach; ++i) burst += "GET /seq HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<std::thread> senders;
  for (int fd : clients) senders.emplace_back([fd, &burst] { ::send(fd, burst.data(), burst.size(), 0); });
  for (auto& t : senders) t.join();
  int answered = 0;
  for (int fd : clients) answered += occurrences(read_responses(fd, kEach, "\r\n\r\n"), "HTTP/1.1 ");
  CHECK(answered == kClients * kEach);
  server->settle(std::chrono::seconds(5));
  std::vector<int> sequence;
  rig.journal.for_each_of({bbx::journal::ev::http_request}, 0, [&](const bbx::Event& e) {
    sequence.push_back(e.body.at("sequence").get<int>());
    return true;
  });
  REQUIRE(sequence.size() == std::size_t(kClients * kEach));
  CHECK(sequence[0] == 0);
  CHECK(sequence[1] == 1);
  for (std::size_t i = 2; i < sequence.size(); ++i) CHECK(sequence[i] == 2);
  for (int fd : clients) ::close(fd);
}

TEST_CASE("with threads, stop() closes connections the fake keeps silent and returns promptly") {
  bbx::testing::RunContextRig rig("bbx-httpfake-stop");
  auto fake = threaded_fake(2);
  http_of(fake).unmatched.fault = bbx::model::HttpFault::never_answer;
  http_of(fake).unmatched.delay = std::chrono::hours(1);  // and a timer that would outlive any wait
  auto server = bbx::fakes::make_fake_server(rig.ctx, fake);
  std::vector<int> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(tcp_connect(server->port()));
  rig.run_for(std::chrono::milliseconds(300));
  for (int fd : clients) tcp_send(fd, "GET /silent HTTP/1.1\r\nHost: x\r\n\r\n");
  server->settle(std::chrono::seconds(5));
  auto begun = std::chrono::steady_clock::now();
  server->stop();
  CHECK(std::chrono::steady_clock::now() - begun < std::chrono::seconds(5));  // not the idle_timeout (60 s)
  for (int fd : clients) {
    char c;
    CHECK(::recv(fd, &c, 1, 0) == 0);  // closed by the fake, nothing sent
    ::close(fd);
  }
  CHECK(count_events(rig.journal, "http.request") == 3);
}
