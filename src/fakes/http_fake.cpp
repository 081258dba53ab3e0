// The HTTP fake on Boost.Beast: listener + one session per connection, keep-alive and
// pipelining (requests on a connection are answered in order), a timeout on every read
// and write. Every request and response is journaled (http.request, http.response).
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "fakes/fake_server.hpp"
#include "fakes/http_routing.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr std::size_t kBodyCaptureCap = 64 * 1024;

nlohmann::json headers_json(const http::request<http::string_body>& req) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& field : req) out.push_back({std::string(field.name_string()), std::string(field.value())});
  return out;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(runner::RunContext& ctx, const model::Fake& fake, tcp::socket socket, std::uint64_t conn_id)
      : ctx_(ctx), fake_(fake), stream_(std::move(socket)), timer_(stream_.get_executor()), conn_id_(conn_id) {
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(64u << 20);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) return;  // closed, timed out or malformed: the connection ends
    request_ = parser_->release();
    auto decision = route_request(fake_, {request_.method_string(), request_.target()});
    request_seq_ = journal_request(decision);
    received_ns_ = ctx_.journal().now_ns();
    response_ = build_response(*decision.response);
    route_ = decision.route;
    if (decision.response->delay.count() > 0) {
      timer_.expires_after(decision.response->delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    } else {
      write();
    }
  }

  std::uint64_t journal_request(const RouteDecision& d) {
    const auto& body = request_.body();
    nlohmann::json j = {{"conn", conn_id_}, {"client", client_},
                        {"method", std::string(request_.method_string())},
                        {"target", std::string(request_.target())},
                        {"path", std::string(path_of(request_.target()))},
                        {"query", std::string(query_of(request_.target()))},
                        {"version", request_.version() == 11 ? "HTTP/1.1" : "HTTP/1.0"},
                        {"headers", headers_json(request_)}, {"body_bytes", body.size()},
                        {"route", d.route}, {"matched", d.route >= 0}};
    j["body"] = body.size() <= kBodyCaptureCap ? body : body.substr(0, kBodyCaptureCap);
    if (body.size() > kBodyCaptureCap) j["body_truncated"] = true;
    return ctx_.journal().append({"fake", fake_.name, 0}, "http.request", std::move(j));
  }

  http::response<http::string_body> build_response(const model::HttpResponse& r) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), request_.version()};
    res.set(http::field::server, "bbx-fake");
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.body() = r.body;
    res.keep_alive(request_.keep_alive());
    res.prepare_payload();
    return res;
  }

  void write() {
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_write(ec);
    });
  }

  void on_write(beast::error_code ec) {
    auto latency_ns = ctx_.journal().now_ns() - received_ns_;
    ctx_.journal().append({"fake", fake_.name, 0}, "http.response",
                          {{"conn", conn_id_}, {"request_seq", request_seq_},
                           {"status", response_.result_int()}, {"route", route_},
                           {"body_bytes", response_.body().size()}, {"latency_us", latency_ns / 1000},
                           {"error", ec ? ec.message() : ""}});
    if (ec || !response_.keep_alive()) return close();
    read();
  }

  runner::RunContext& ctx_;
  const model::Fake& fake_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  std::uint64_t conn_id_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::uint64_t request_seq_ = 0;
  std::int64_t received_ns_ = 0;
  int route_ = -1;
};

class HttpFake : public FakeServer {
 public:
  HttpFake(runner::RunContext& ctx, const model::Fake& fake) : ctx_(ctx), fake_(fake), acceptor_(ctx.io()) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(fake.host, ec);
    if (ec) throw std::runtime_error("fake '" + fake.name + "': invalid host '" + fake.host + "'");
    tcp::endpoint ep(address, static_cast<unsigned short>(fake.port));
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error("fake '" + fake.name + "': cannot listen on " + fake.host + ":" +
                               std::to_string(fake.port) + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    accept();
  }

  int port() const override { return port_; }
  const std::string& host() const override { return fake_.host; }
  std::string url() const override { return "http://" + fake_.host + ":" + std::to_string(port_); }

  void stop() override {
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (auto& weak : sessions_)
      if (auto s = weak.lock()) s->close();
    sessions_.clear();
  }

  ~HttpFake() override {
    *alive_ = false;
    stop();
  }

 private:
  void accept() {
    acceptor_.async_accept([this, alive = alive_](beast::error_code ec, tcp::socket socket) {
      if (!*alive || ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        auto session = std::make_shared<Session>(ctx_, fake_, std::move(socket), ++connections_);
        std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
        sessions_.push_back(session);
        session->read();
      }
      accept();
    });
  }

  runner::RunContext& ctx_;
  const model::Fake& fake_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::uint64_t connections_ = 0;
  std::vector<std::weak_ptr<Session>> sessions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // read by pending handlers
};

}  // namespace

std::unique_ptr<FakeServer> make_http_fake(runner::RunContext& ctx, const model::Fake& fake) {
  return std::make_unique<HttpFake>(ctx, fake);
}

}  // namespace bbx::fakes
