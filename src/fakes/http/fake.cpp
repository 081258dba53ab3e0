// The HTTP fake on Boost.Beast: the listener, TLS setup and the sessions it tracks; each
// connection is an http_detail::Session (session.hpp; its journal events: event_bodies.hpp).
// With `threads:` above 1 the listener stays on the run's loop and each accepted connection
// lives on one of the fake's worker threads (worker_pool.hpp); closing it is posted there.
#include <unistd.h>

#include <fstream>
#include <memory>
#include <optional>

#include "bbx/error.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/http/session.hpp"
#include "fakes/tcp_listen.hpp"
#include "fakes/http/tls_cert.hpp"
#include "fakes/http/worker_pool.hpp"

namespace bbx::fakes {

namespace {

using namespace http_detail;

class HttpFake : public FakeServer {
 public:
  HttpFake(runtime::RunContext& ctx, const model::Fake& fake, const model::HttpFakeSpec& http)
      : shared_(std::make_shared<Shared>(ctx, fake, http, Router(http, fake.name),
                                         ResponsePlanner(http, fake.name, ctx.scenario().file.parent_path()), nullptr)),
        acceptor_(ctx.io()) {
    if (http.tls) setup_tls(ctx);
    if (http.threads > 1) workers_ = std::make_unique<WorkerPool>(http.threads, "http:" + fake.name);
    port_ = listen_for_fake(acceptor_, fake);
    accept();
  }

  int port() const override { return port_; }
  const std::string& host() const override { return shared_->fake.host; }
  std::string url() const override {
    return (shared_->http.tls ? "https://" : "http://") + shared_->fake.host + ":" + std::to_string(port_);
  }
  std::string ca_file() const override { return ca_file_; }

  // Worker threads: what they were handling when called is journaled once it returns.
  void settle(std::chrono::milliseconds limit) override {
    if (workers_) workers_->barrier(limit);
  }

  void stop() override {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& s : sessions_) s.close();
    sessions_.clear();
    shared_->upstream_pool->close_all();
    if (workers_) workers_->finish(std::chrono::seconds(1));  // the closes and their aborted handlers run
  }

  ~HttpFake() override {
    *alive_ = false;
    stop();
  }

 private:
  void accept() {
    accept_connections(acceptor_, alive_, {shared_->ctx, shared_->fake.name}, [this](Socket accepted) {
      std::optional<Socket> socket = workers_ ? move_to_worker(accepted) : std::optional<Socket>(std::move(accepted));
      if (!socket) return;
      if (shared_->tls) start_session<TlsStream>(std::move(*socket));
      else start_session<Socket>(std::move(*socket));
    });
  }

  // Accepted on the loop, a connection moves to the next worker's context: its descriptor is
  // released by the loop's reactor and registered with the worker's. (Accepting straight into
  // a worker's context would leave the pending accept holding a socket of that context,
  // destroyed with the fake while the accept is still queued on the loop.) Empty: dropped.
  std::optional<Socket> move_to_worker(Socket& accepted) {
    boost::system::error_code ec;
    auto protocol = accepted.local_endpoint(ec).protocol();
    if (ec) return std::nullopt;
    auto fd = accepted.release(ec);
    if (ec) return std::nullopt;
    std::optional<Socket> moved(std::in_place, workers_->next());
    moved->assign(protocol, fd, ec);
    if (ec) {
      ::close(fd);
      return std::nullopt;
    }
    return moved;
  }

  // On the loop thread; the session runs on its socket's executor (the loop or a worker).
  template <class Stream>
  void start_session(Socket socket) {
    auto executor = socket.get_executor();
    auto session = std::make_shared<Session<Stream>>(shared_, std::move(socket), ++connections_);
    if (++accepted_since_sweep_ >= 64) {
      std::erase_if(sessions_, [](const auto& s) { return s.expired(); });
      accepted_since_sweep_ = 0;
    }
    auto close = [session = std::weak_ptr(session)] {
      if (auto s = session.lock()) s->close();
    };
    if (!workers_) {
      sessions_.push_back({session, close});
      return session->start();
    }
    sessions_.push_back({session, [executor, close] { boost::asio::post(executor, close); }});
    boost::asio::post(executor, [session] { session->start(); });
  }

  // Given cert/key files, or a self-signed pair written to the run directory, whose
  // certificate is the CA file clients trust (${fakes.NAME.ca_file}).
  void setup_tls(runtime::RunContext& ctx) {
    const auto& f = shared_->fake;
    const auto& http = shared_->http;
    auto ctx_tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    std::filesystem::path cert, key;
    if (!http.tls_cert.empty()) {
      cert = ctx.scenario().file.parent_path() / http.tls_cert;
      key = ctx.scenario().file.parent_path() / http.tls_key;
    } else {
      auto pem = make_self_signed(f.host);
      auto dir = ctx.scenario_dir() / "tls";
      std::filesystem::create_directories(dir);
      cert = dir / (f.name + "-cert.pem");
      key = dir / (f.name + "-key.pem");
      std::ofstream(cert) << pem.cert;
      std::ofstream(key) << pem.key;
    }
    boost::system::error_code ec;
    ctx_tls->use_certificate_chain_file(cert.string(), ec);
    if (!ec) ctx_tls->use_private_key_file(key.string(), ssl::context::pem, ec);
    if (ec) fail_scenario("fake '" + f.name + "': cannot load TLS certificate " + cert.string() + ": " + ec.message());
    ca_file_ = std::filesystem::absolute(cert).string();  // subjects run elsewhere (the sandbox)
    shared_->tls = std::move(ctx_tls);
  }

  struct Tracked {
    std::weak_ptr<void> alive;
    std::function<void()> close;
    bool expired() const { return alive.expired(); }
  };

  // Shared with the sessions: a connection's handler still queued when the fake is destroyed
  // (its write aborted by stop()) runs with it intact.
  std::shared_ptr<Shared> shared_;
  std::string ca_file_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::uint64_t connections_ = 0;
  int accepted_since_sweep_ = 0;
  std::vector<Tracked> sessions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // read by pending handlers
  // Last member, destroyed first: handlers still queued on a worker, and the sessions they
  // own, go with its contexts while everything above is intact.
  std::unique_ptr<WorkerPool> workers_;
};

}  // namespace

std::unique_ptr<FakeServer> make_http_fake(runtime::RunContext& ctx, const model::Fake& fake, const model::HttpFakeSpec& http) {
  return std::make_unique<HttpFake>(ctx, fake, http);
}

}  // namespace bbx::fakes
