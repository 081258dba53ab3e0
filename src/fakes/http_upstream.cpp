#include "fakes/http_upstream.hpp"

#include <list>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "util/units.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

using Outcome = UpstreamResult::Outcome;

class Pool : public UpstreamPool {
 public:
  void close_all() override {
    closed_ = true;
    for (auto& [key, stream] : idle_) stream.close();
    idle_.clear();
  }
  std::size_t idle() const override { return idle_.size(); }

  void put(std::string key, beast::tcp_stream stream) {
    if (closed_) return stream.close();
    idle_.emplace_back(std::move(key), std::move(stream));
    if (idle_.size() > kMaxIdle) {
      idle_.front().second.close();
      idle_.pop_front();
    }
  }

  std::optional<beast::tcp_stream> take(const std::string& key) {
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {  // the most recently idle first
      if (it->first != key) continue;
      std::optional<beast::tcp_stream> out(std::move(it->second));
      idle_.erase(std::next(it).base());
      return out;
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t kMaxIdle = 16;
  std::list<std::pair<std::string, beast::tcp_stream>> idle_;  // oldest first
  bool closed_ = false;
};

class Client : public UpstreamClient, public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, std::weak_ptr<Pool> pool) : io_(io), resolver_(io), timer_(io), pool_(std::move(pool)) {}

  ~Client() override {  // an idle open connection goes to the pool
    if (!open_ || done_ || !stream_ || !stream_->socket().is_open()) return;
    if (auto pool = pool_.lock()) pool->put(key_, std::move(*stream_));
  }

  void exchange(const UpstreamUrl& url, const UpstreamRequest& request, model::Duration timeout, Done done) override {
    done_ = std::move(done);
    timeout_ = timeout;
    started_ = std::chrono::steady_clock::now();
    result_ = {};
    timed_out_ = false;
    build(url, request);
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), gen = ++generation_](beast::error_code ec) {
      if (ec || !self->done_ || gen != self->generation_) return;
      self->timed_out_ = true;
      self->abort();
    });
    if (open_ && key_ == url.authority()) {
      result_.reused = true;
      return send();
    }
    abort();
    key_ = url.authority();
    if (auto pool = pool_.lock()) {
      if (auto idle = pool->take(key_)) {
        stream_.emplace(std::move(*idle));
        open_ = result_.reused = true;
        return send();
      }
    }
    connect();
  }

  void close() override {
    closed_ = true;
    abort();
  }

 private:
  void build(const UpstreamUrl& url, const UpstreamRequest& r) {
    url_ = url;
    request_ = {};
    request_.method_string(r.method);
    request_.target(r.target);
    request_.version(11);
    for (const auto& [k, v] : r.headers) request_.insert(k, v);
    request_.body() = r.body;
    if (!r.body.empty() || request_.method() == http::verb::post || request_.method() == http::verb::put ||
        request_.method() == http::verb::patch)
      request_.prepare_payload();
    request_.keep_alive(true);
  }

  // Cancels whatever runs (its handler then reports) and closes the connection. The stream
  // object stays until the next connect: pending handlers may still refer to it.
  void abort() {
    open_ = false;
    resolver_.cancel();
    if (stream_ && stream_->socket().is_open()) {
      beast::error_code ec;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_->close();
    }
  }

  void connect() {
    result_.reused = false;
    if (timed_out_ || closed_) return finish(Outcome::failed, "connect", asio::error::operation_aborted);
    resolver_.async_resolve(url_.host, url_.port, [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
      if (ec || self->timed_out_ || self->closed_) return self->finish(Outcome::unreachable, "resolve", ec);
      self->stream_.emplace(self->io_);
      self->stream_->async_connect(r, [self](beast::error_code ec, const tcp::endpoint&) {
        if (ec) return self->finish(Outcome::unreachable, "connect", ec);
        self->open_ = true;
        beast::error_code ignored;
        self->stream_->socket().set_option(tcp::no_delay(true), ignored);
        self->send();
      });
    });
  }

  void send() {
    http::async_write(*stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->retry_or_finish("send", ec);
      self->parser_.emplace();
      self->parser_->body_limit(64u << 20);
      self->parser_->skip(self->request_.method() == http::verb::head);
      self->receive();
    });
  }

  void receive() {
    http::async_read(*stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->retry_or_finish("receive", ec);
      auto status = self->parser_->get().result_int();
      if (status >= 100 && status < 200 && status != 101) {  // interim (100 Continue, 103): the final one follows
        self->parser_.emplace();
        self->parser_->body_limit(64u << 20);
        return self->receive();
      }
      self->on_response();
    });
  }

  // A kept-alive connection the upstream closed meanwhile: once more on a fresh one.
  void retry_or_finish(const char* what, beast::error_code ec) {
    bool nothing_read = !parser_ || !parser_->got_some();
    if (result_.reused && nothing_read && !timed_out_ && !closed_) {
      abort();
      buffer_.clear();
      // Posted: the failed operation's stream is replaced only after its handler returned.
      return asio::post(io_, [self = shared_from_this()] { if (self->done_) self->connect(); });
    }
    finish(Outcome::failed, what, ec);
  }

  void on_response() {
    auto response = parser_->release();
    result_.status = response.result_int();
    for (const auto& f : response) result_.headers.emplace_back(f.name_string(), f.value());
    result_.body = std::move(response.body());
    if (!response.keep_alive()) abort();
    finish(Outcome::ok, "", {});
  }

  void finish(Outcome outcome, const char* what, beast::error_code ec) {
    if (!done_) return;
    timer_.cancel();
    if (outcome != Outcome::ok) {
      if (timed_out_) {
        outcome = Outcome::timeout;
        result_.error = "no complete answer within " + util::format_duration(timeout_);
      } else if (closed_) {
        outcome = Outcome::failed;
        result_.error = "closed";
      } else {
        result_.error = std::string(what) + ": " + ec.message();
      }
      abort();
      buffer_.clear();
    }
    result_.outcome = outcome;
    result_.latency_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started_).count();
    parser_.reset();
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result_));
  }

  asio::io_context& io_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  std::weak_ptr<Pool> pool_;
  std::optional<beast::tcp_stream> stream_;
  std::string key_;  // authority of the open connection
  UpstreamUrl url_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Done done_;
  UpstreamResult result_;
  model::Duration timeout_{0};
  std::chrono::steady_clock::time_point started_;
  std::uint64_t generation_ = 0;  // exchanges so far: a stale timer handler sees another
  bool open_ = false;             // stream_ is connected and idle-reusable
  bool timed_out_ = false;
  bool closed_ = false;
};

}  // namespace

ProxyTarget proxy_target(const runner::RunContext& ctx, const model::HttpProxy& proxy) {
  ProxyTarget out;
  try {
    out.url = ctx.expand(proxy.to);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  out.parsed = util::parse_http_url(out.url, &out.error);
  return out;
}

std::shared_ptr<UpstreamPool> make_upstream_pool() { return std::make_shared<Pool>(); }

std::shared_ptr<UpstreamClient> make_upstream_client(asio::io_context& io, const std::shared_ptr<UpstreamPool>& pool) {
  return std::make_shared<Client>(io, std::static_pointer_cast<Pool>(pool));
}

}  // namespace bbx::fakes
