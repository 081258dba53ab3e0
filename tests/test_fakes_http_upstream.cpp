// The proxy's upstream client against hand-driven loopback sockets on a private
// io_context: an answer (and the kept-alive connection reused), a refused connection, a
// silent upstream (timeout), a kept-alive connection the upstream closed (retried), and
// https upstreams with a bbx self-signed certificate: trusted through ca_file, refused
// by the system's store or for another host, accepted when insecure, never mixed with
// plain connections or other verification settings.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <boost/asio/ssl.hpp>

#include <fstream>

#include "fakes/http/upstream.hpp"
#include "fakes/http/tls_cert.hpp"

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
                   model::Duration timeout = 2s, const fakes::UpstreamTls& tls = {}) {
  std::optional<UpstreamResult> got;
  client.exchange(url, tls, get("/x?y=1"), timeout, [&](UpstreamResult r) { got = std::move(r); });
  for (int i = 0; i < 500 && !got; ++i) io.run_for(10ms);
  REQUIRE(got);
  return *got;
}

// The pool's idle count once a released client is gone: it lives on until its pending
// handlers (a cancelled timer) have run, so the loop runs until a connection is idle, or for
// 200 ms (long enough for a "nothing kept" check to mean something).
std::size_t idle_once_released(asio::io_context& io, fakes::UpstreamPool& pool) {
  for (int i = 0; i < 20 && pool.idle() == 0; ++i) io.run_for(10ms);
  return pool.idle();
}

// An HTTPS upstream whose certificate is bbx's self-signed one for cert_host (IP SAN
// cert_host, DNS localhost): answers every request with `reply`, keeping the connection.
// ca_file: that certificate as a PEM file.
struct TlsUpstream {
  TlsUpstream(asio::io_context& io, std::string reply, const std::string& cert_host = "127.0.0.1")
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), reply(std::move(reply)) {
    auto pem = fakes::make_self_signed(cert_host);
    tls.use_certificate_chain(asio::buffer(pem.cert));
    tls.use_private_key(asio::buffer(pem.key), asio::ssl::context::pem);
    ca_file = std::filesystem::temp_directory_path() / ("bbx-unit-upstream-ca-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca_file) << pem.cert;
    accept();
  }
  ~TlsUpstream() { std::filesystem::remove(ca_file); }
  struct Conn {
    Conn(tcp::socket s, asio::ssl::context& c) : stream(std::move(s), c) {}
    asio::ssl::stream<tcp::socket> stream;
    std::string in;
  };
  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      ++accepted;
      conns.push_back(std::make_unique<Conn>(std::move(s), tls));
      auto& c = *conns.back();
      c.stream.async_handshake(asio::ssl::stream_base::server, [this, &c](boost::system::error_code ec) {
        if (ec) return c.stream.lowest_layer().close();  // not TLS (or refused): hang up
        const char* sni = SSL_get_servername(c.stream.native_handle(), TLSEXT_NAMETYPE_host_name);
        server_names.push_back(sni ? sni : "");
        serve(c);
      });
      accept();
    });
  }
  void serve(Conn& c) {
    asio::async_read_until(c.stream, asio::dynamic_buffer(c.in), "\r\n\r\n", [this, &c](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      heads.push_back(c.in.substr(0, n));
      c.in.erase(0, n);
      asio::async_write(c.stream, asio::buffer(reply), [this, &c](boost::system::error_code ec, std::size_t) {
        if (!ec) serve(c);
      });
    });
  }
  fakes::UpstreamUrl url(bool https = true) {
    return {"127.0.0.1", std::to_string(acceptor.local_endpoint().port()), "", https};
  }

  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor;
  std::string reply;
  std::filesystem::path ca_file;
  int accepted = 0;
  std::vector<std::string> heads;
  std::vector<std::string> server_names;  // SNI per handshake ("" when none)
  std::vector<std::unique_ptr<Conn>> conns;
};

const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure";

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
  client->exchange(up.url(), {}, get("/"), 5s, [&](UpstreamResult r) { got = std::move(r); });
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
  CHECK(idle_once_released(io, *pool) == 1);
  auto second = fakes::make_upstream_client(io, pool);
  auto r = run(io, *second, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.reused);
  CHECK(pool->idle() == 0);
  CHECK(up.accepted == 1);
  second.reset();
  CHECK(idle_once_released(io, *pool) == 1);
  pool->close_all();
  CHECK(pool->idle() == 0);
  auto third = fakes::make_upstream_client(io, pool);
  CHECK_FALSE(run(io, *third, up.url()).reused);
  CHECK(up.accepted == 2);
  third.reset();
  CHECK(idle_once_released(io, *pool) == 0);  // a closed pool keeps nothing
}

TEST_CASE("an https upstream is trusted through ca_file, and its connection kept alive") {
  asio::io_context io;
  TlsUpstream up(io, kOk);
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, up.url(), 2s, {up.ca_file.string()});
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK(r.body == "secure");
  REQUIRE(up.heads.size() == 1);
  CHECK(up.heads[0].starts_with("GET /x?y=1 HTTP/1.1\r\n"));
  CHECK(run(io, *client, up.url(), 2s, {up.ca_file.string()}).reused);
  CHECK(up.accepted == 1);
  CHECK(up.server_names == std::vector<std::string>{""});  // no SNI for an IP address
}

TEST_CASE("an https upstream's certificate is refused by the system's CA store, for another host, or without its CA file") {
  asio::io_context io;
  TlsUpstream up(io, kOk);
  auto client = fakes::make_upstream_client(io);
  auto r = run(io, *client, up.url());
  CHECK(r.outcome == UpstreamResult::Outcome::failed);
  CHECK(r.error == "tls: certificate verification failed: self-signed certificate");
  CHECK(up.heads.empty());

  TlsUpstream elsewhere(io, kOk, "127.0.0.2");  // a certificate for 127.0.0.2 and localhost
  r = run(io, *client, elsewhere.url(), 2s, {elsewhere.ca_file.string()});
  CHECK(r.error == "tls: certificate verification failed: IP address mismatch");
  r = run(io, *client, {"localhost", elsewhere.url().port, "", true}, 2s, {elsewhere.ca_file.string()});
  CHECK(r.outcome == UpstreamResult::Outcome::ok);  // the name it does carry
  CHECK(elsewhere.server_names == std::vector<std::string>{"localhost"});  // SNI names the host

  r = run(io, *client, up.url(), 2s, {"/nonexistent/ca.pem"});
  CHECK(r.outcome == UpstreamResult::Outcome::failed);
  CHECK(r.error == "tls: cannot load CA file /nonexistent/ca.pem: no such file");
}

TEST_CASE("insecure skips verification; connections never mix schemes or verification settings") {
  asio::io_context io;
  TlsUpstream up(io, kOk);
  auto pool = fakes::make_upstream_pool();
  auto client = fakes::make_upstream_client(io, pool);
  fakes::UpstreamTls insecure{"", true};
  CHECK(run(io, *client, up.url(), 2s, insecure).outcome == UpstreamResult::Outcome::ok);
  auto r = run(io, *client, up.url(), 2s, {up.ca_file.string()});  // verified: not the insecure connection
  CHECK(r.outcome == UpstreamResult::Outcome::ok);
  CHECK_FALSE(r.reused);
  CHECK(up.accepted == 2);
  client.reset();
  CHECK(idle_once_released(io, *pool) == 1);
  auto plain = fakes::make_upstream_client(io, pool);
  r = run(io, *plain, up.url(false));  // http:// to the same authority: a fresh (plain) connection
  CHECK_FALSE(r.reused);
  CHECK(r.outcome == UpstreamResult::Outcome::failed);  // which the TLS server does not understand
  CHECK(up.accepted == 3);
  CHECK(pool->idle() == 1);
  auto verified = fakes::make_upstream_client(io, pool);
  CHECK(run(io, *verified, up.url(), 2s, {up.ca_file.string()}).reused);  // the pooled one, same settings
  CHECK(up.accepted == 3);
}
