// The proxy's upstream client against hand-driven loopback sockets on a private
// io_context: an answer (and the kept-alive connection reused), a refused connection, a
// silent upstream (timeout), and a kept-alive connection the upstream closed (retried).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include "fakes/http_upstream.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace bbx;
using namespace std::chrono_literals;
using fakes::UpstreamResult;

namespace {

// Accepts connections; answers each request head with `reply`, then closes the
// connection when close_after is set. silent: accepts and never answers.
struct Upstream {
  explicit Upstream(asio::io_context& io, std::string reply, bool close_after = false, bool silent = false)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), reply(std::move(reply)),
        close_after(close_after), silent(silent) {
    accept();
  }
  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      ++accepted;
      sockets.push_back(std::make_unique<Conn>(std::move(s)));
      if (!silent) serve(*sockets.back());
      accept();
    });
  }
  struct Conn {
    explicit Conn(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    std::string in;
  };
  void serve(Conn& c) {
    asio::async_read_until(c.socket, asio::dynamic_buffer(c.in), "\r\n\r\n", [this, &c](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      heads.push_back(c.in.substr(0, n));
      c.in.erase(0, n);
      asio::async_write(c.socket, asio::buffer(reply), [this, &c](boost::system::error_code ec, std::size_t) {
        if (ec) return;
        if (close_after) return c.socket.close(), void(++closed);
        serve(c);
      });
    });
  }
  fakes::UpstreamUrl url() { return {"127.0.0.1", std::to_string(acceptor.local_endpoint().port()), ""}; }

  tcp::acceptor acceptor;
  std::string reply;
  bool close_after, silent;
  int accepted = 0;
  int closed = 0;
  std::vector<std::string> heads;
  std::vector<std::unique_ptr<Conn>> sockets;
};

fakes::UpstreamRequest get(std::string target) { return {"GET", std::move(target), {{"Host", "up"}}, ""}; }

UpstreamResult run(asio::io_context& io, fakes::UpstreamClient& client, const fakes::UpstreamUrl& url,
                   model::Duration timeout = 2s) {
  std::optional<UpstreamResult> got;
  client.exchange(url, get("/x?y=1"), timeout, [&](UpstreamResult r) { got = std::move(r); });
  for (int i = 0; i < 500 && !got; ++i) io.run_for(10ms);
  REQUIRE(got);
  return *got;
}

}  // namespace

TEST_CASE("an answer comes back whole, and the next exchange reuses the connection") {
  asio::io_context io;
  Upstream up(io, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: 1\r\n\r\nhi");
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.status == 201);
  CHECK(r.body == "hi");
  CHECK(r.headers == fakes::HeaderList{{"Content-Length", "2"}, {"X-A", "1"}});
  CHECK_FALSE(r.reused);
  REQUIRE(up.heads.size() == 1);
  CHECK(up.heads[0].starts_with("GET /x?y=1 HTTP/1.1\r\nHost: up\r\n"));
  r = run(io, *client, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.reused);
  CHECK(up.accepted == 1);
  client->close();
}

TEST_CASE("an interim 100 Continue is skipped for the final answer") {
  asio::io_context io;
  Upstream up(io, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.status == 200);
  CHECK(r.body == "done");
}

TEST_CASE("a refused connection is unreachable") {
  asio::io_context io;
  fakes::UpstreamUrl url;
  {
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    url = {"127.0.0.1", std::to_string(a.local_endpoint().port()), ""};
  }
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, url);
  CHECK(r.outcome == UpstreamResult::Outcome::unreachable);
  CHECK(r.error == "connect: Connection refused");
}

TEST_CASE("a silent upstream times out after the proxy's timeout") {
  asio::io_context io;
  Upstream up(io, "", false, true);
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, up.url(), 150ms);
  CHECK(r.outcome == UpstreamResult::Outcome::timeout);
  CHECK(r.error == "no complete answer within 150ms");
  CHECK(r.latency_ns >= 150'000'000);
}

TEST_CASE("a kept-alive connection the upstream closed is retried once on a fresh one") {
  asio::io_context io;
  Upstream up(io, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk", true);  // says keep-alive, then closes
  auto client = fakes::make_upstream_client(io);
  CHECK(run(io, *client, up.url()).outcome == UpstreamResult::Outcome::ok);
  for (int i = 0; i < 100 && up.closed == 0; ++i) io.run_for(10ms);  // the upstream closed its side
  auto r = run(io, *client, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.body == "k");
  CHECK(up.accepted == 2);
}

TEST_CASE("close() ends a running exchange as failed") {
  asio::io_context io;
  Upstream up(io, "", false, true);
  auto client = fakes::make_upstream_client(io);
  std::optional<UpstreamResult> got;
  client->exchange(up.url(), get("/"), 5s, [&](UpstreamResult r) { got = std::move(r); });
  for (int i = 0; i < 100 && up.accepted == 0; ++i) io.run_for(10ms);
  client->close();
  for (int i = 0; i < 100 && !got; ++i) io.run_for(10ms);
  REQUIRE(got);
  CHECK(got->outcome == UpstreamResult::Outcome::failed);
  CHECK(got->error == "closed");
}

TEST_CASE("a destroyed idle client leaves its connection to the pool for the next client; close_all ends that") {
  asio::io_context io;
  Upstream up(io, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk");
  auto pool = fakes::make_upstream_pool();
  auto first = fakes::make_upstream_client(io, pool);
  CHECK_FALSE(run(io, *first, up.url()).reused);
  first.reset();
  CHECK(pool->idle() == 1);
  auto second = fakes::make_upstream_client(io, pool);
  auto r = run(io, *second, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.reused);
  CHECK(pool->idle() == 0);
  CHECK(up.accepted == 1);
  second.reset();
  CHECK(pool->idle() == 1);
  pool->close_all();
  CHECK(pool->idle() == 0);
  auto third = fakes::make_upstream_client(io, pool);
  CHECK_FALSE(run(io, *third, up.url()).reused);
  CHECK(up.accepted == 2);
  third.reset();
  CHECK(pool->idle() == 0);  // a closed pool keeps nothing
}
