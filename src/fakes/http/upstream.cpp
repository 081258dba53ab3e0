#include "fakes/http/upstream.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <filesystem>
#include <list>
#include <map>
#include <optional>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "util/resolve.hpp"
#include "util/units.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

using Outcome = UpstreamResult::Outcome;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Stream = std::variant<PlainStream, TlsStream>;  // one upstream connection

beast::tcp_stream& tcp_of(Stream& s) {
  return std::visit([](auto& v) -> beast::tcp_stream& { return beast::get_lowest_layer(v); }, s);
}
tcp::socket& socket_of(Stream& s) { return tcp_of(s).socket(); }

void close_stream(Stream& s) {
  beast::error_code ec;
  socket_of(s).shutdown(tcp::socket::shutdown_both, ec);
  socket_of(s).close(ec);
}

bool is_ip_address(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Client TLS settings per verification setting, made on first use.
class TlsContexts {
 public:
  // nullptr, with error set, when the CA file (or the system's store) cannot be loaded.
  std::shared_ptr<ssl::context> get(const UpstreamTls& tls, std::string& error) {
    auto& slot = made_[key(tls)];
    if (!slot) slot = make(tls, error);
    return slot;
  }

  static std::string key(const UpstreamTls& tls) { return tls.insecure ? "insecure" : "ca=" + tls.ca_file; }

 private:
  static std::shared_ptr<ssl::context> make(const UpstreamTls& tls, std::string& error) {
    auto c = std::make_shared<ssl::context>(ssl::context::tls_client);
    c->set_verify_mode(tls.insecure ? ssl::verify_none : ssl::verify_peer);
    if (tls.insecure) return c;
    beast::error_code ec;
    if (tls.ca_file.empty()) {
      c->set_default_verify_paths(ec);
      if (ec) error = "tls: cannot load the system's CA store: " + ec.message();
    } else if (!std::filesystem::is_regular_file(tls.ca_file)) {
      error = "tls: cannot load CA file " + tls.ca_file + ": no such file";
    } else {
      c->load_verify_file(tls.ca_file, ec);
      if (ec) error = "tls: cannot load CA file " + tls.ca_file + ": " + ec.message();
    }
    return error.empty() ? c : nullptr;
  }

  std::map<std::string, std::shared_ptr<ssl::context>> made_;
};

class Pool : public UpstreamPool {
 public:
  void close_all() override {
    closed_ = true;
    for (auto& [key, stream] : idle_) close_stream(stream);
    idle_.clear();
  }
  std::size_t idle() const override { return idle_.size(); }

  void put(std::string key, Stream stream) {
    if (closed_) return close_stream(stream);
    idle_.emplace_back(std::move(key), std::move(stream));
    if (idle_.size() > kMaxIdle) {
      close_stream(idle_.front().second);
      idle_.pop_front();
    }
  }

  std::optional<Stream> take(const std::string& key) {
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {  // the most recently idle first
      if (it->first != key) continue;
      std::optional<Stream> out(std::move(it->second));
      idle_.erase(std::next(it).base());
      return out;
    }
    return std::nullopt;
  }

  const std::shared_ptr<TlsContexts> contexts = std::make_shared<TlsContexts>();

 private:
  static constexpr std::size_t kMaxIdle = 16;
  std::list<std::pair<std::string, Stream>> idle_;  // oldest first
  bool closed_ = false;
};

class Client : public UpstreamClient, public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, const std::shared_ptr<Pool>& pool)
      : io_(io), resolver_(io), timer_(io), pool_(pool),
        contexts_(pool ? pool->contexts : std::make_shared<TlsContexts>()) {}

  ~Client() override {  // an idle open connection goes to the pool
    if (!open_ || done_ || !stream_ || !socket_of(*stream_).is_open()) return;
    if (auto pool = pool_.lock()) pool->put(key_, std::move(*stream_));
  }

  void exchange(const UpstreamUrl& url, const UpstreamTls& tls, const UpstreamRequest& request, model::Duration timeout,
                Done done) override {
    done_ = std::move(done);
    timeout_ = timeout;
    started_ = std::chrono::steady_clock::now();
    result_ = {};
    timed_out_ = false;
    tls_ = tls;
    build(url, request);
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), gen = ++generation_](beast::error_code ec) {
      if (ec || !self->done_ || gen != self->generation_) return;
      self->timed_out_ = true;
      self->abort();
    });
    // Scheme, authority and verification: TLS and plain connections never mix.
    auto key = url.origin() + (url.tls ? " " + TlsContexts::key(tls) : "");
    if (open_ && key_ == key) {
      result_.reused = true;
      return send();
    }
    abort();
    key_ = std::move(key);
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
    if (stream_ && socket_of(*stream_).is_open()) close_stream(*stream_);
  }

  // Resolve, connect, and for https the handshake; then send.
  void connect() {
    result_.reused = false;
    if (timed_out_ || closed_) return fail(Outcome::failed, "connect", asio::error::operation_aborted);
    util::resolve_then(resolver_, url_.host, url_.port, [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
      if (ec || self->timed_out_ || self->closed_) return self->fail(Outcome::unreachable, "resolve", ec);
      if (!self->make_stream()) return;
      tcp_of(*self->stream_).async_connect(r, [self](beast::error_code ec, const tcp::endpoint&) {
        if (ec) return self->fail(Outcome::unreachable, "connect", ec);
        beast::error_code ignored;
        socket_of(*self->stream_).set_option(tcp::no_delay(true), ignored);
        if (self->url_.tls) return self->handshake();
        self->open_ = true;
        self->send();
      });
    });
  }

  // A fresh stream for url_: false (the exchange failed) when the TLS settings cannot be made.
  bool make_stream() {
    if (!url_.tls) {
      stream_.emplace(std::in_place_type<PlainStream>, io_);
      return true;
    }
    std::string error;
    auto context = contexts_->get(tls_, error);
    if (!context) {
      finish(Outcome::failed, error);
      return false;
    }
    stream_.emplace(std::in_place_type<TlsStream>, io_, *context);
    SSL* ssl = std::get<TlsStream>(*stream_).native_handle();
    bool ip = is_ip_address(url_.host);
    if (!ip) SSL_set_tlsext_host_name(ssl, url_.host.c_str());  // SNI carries names only
    if (!tls_.insecure) {  // the certificate must name the host too
      if (ip) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url_.host.c_str());
      else SSL_set1_host(ssl, url_.host.c_str());
    }
    return true;
  }

  void handshake() {
    auto& tls = std::get<TlsStream>(*stream_);
    tls.async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish(Outcome::failed, self->handshake_error(ec));
      self->open_ = true;
      self->send();
    });
  }

  std::string handshake_error(beast::error_code ec) {
    long verified = SSL_get_verify_result(std::get<TlsStream>(*stream_).native_handle());
    if (!tls_.insecure && verified != X509_V_OK)
      return std::string("tls: certificate verification failed: ") + X509_verify_cert_error_string(verified);
    return "tls handshake: " + ec.message();
  }

  void send() {
    std::visit([this](auto& s) {
      http::async_write(s, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->retry_or_fail("send", ec);
        self->parser_.emplace();
        self->parser_->body_limit(64u << 20);
        self->parser_->skip(self->request_.method() == http::verb::head);
        self->receive();
      });
    }, *stream_);
  }

  void receive() {
    std::visit([this](auto& s) {
      http::async_read(s, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
      });
    }, *stream_);
  }

  void on_read(beast::error_code ec) {
    if (ec == ssl::error::stream_truncated && parser_ && parser_->need_eof()) {  // closed without close_notify: the body's end
      ec = {};
      parser_->put_eof(ec);
    }
    if (ec) return retry_or_fail("receive", ec);
    auto status = parser_->get().result_int();
    if (status >= 100 && status < 200 && status != 101) {  // interim (100 Continue, 103): the final one follows
      parser_.emplace();
      parser_->body_limit(64u << 20);
      return receive();
    }
    on_response();
  }

  // A kept-alive connection the upstream closed meanwhile: once more on a fresh one.
  void retry_or_fail(const char* what, beast::error_code ec) {
    bool nothing_read = !parser_ || !parser_->got_some();
    if (result_.reused && nothing_read && !timed_out_ && !closed_) {
      abort();
      buffer_.clear();
      // Posted: the failed operation's stream is replaced only after its handler returned.
      return asio::post(io_, [self = shared_from_this()] { if (self->done_) self->connect(); });
    }
    fail(Outcome::failed, what, ec);
  }

  void on_response() {
    auto response = parser_->release();
    result_.status = response.result_int();
    for (const auto& f : response) result_.headers.emplace_back(f.name_string(), f.value());
    result_.body = std::move(response.body());
    if (!response.keep_alive()) abort();
    finish(Outcome::ok, "");
  }

  void fail(Outcome outcome, const char* what, beast::error_code ec) {
    finish(outcome, std::string(what) + ": " + ec.message());
  }

  // Reports the exchange (once). A timeout or close() overrides the outcome and error.
  void finish(Outcome outcome, std::string error) {
    if (!done_) return;
    timer_.cancel();
    if (outcome != Outcome::ok) {
      if (timed_out_) {
        outcome = Outcome::timeout;
        error = "no complete answer within " + util::format_duration(timeout_);
      } else if (closed_) {
        outcome = Outcome::failed;
        error = "closed";
      }
      result_.error = std::move(error);
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
  std::shared_ptr<TlsContexts> contexts_;
  std::optional<Stream> stream_;
  std::string key_;  // scheme, authority and TLS settings of the open connection
  UpstreamUrl url_;
  UpstreamTls tls_;
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

ProxyTarget proxy_target(const runtime::RunContext& ctx, const model::HttpProxy& proxy) {
  ProxyTarget out;
  out.tls.insecure = proxy.insecure;
  try {
    out.url = ctx.expand(proxy.to);
    if (proxy.ca_file) out.tls.ca_file = ctx.expand(*proxy.ca_file);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  out.parsed = util::parse_http_url(out.url, &out.error);
  if (!out.parsed || !out.parsed->tls || !proxy.ca_file) return out;  // ca_file is for https only
  std::filesystem::path ca(out.tls.ca_file);
  if (ca.empty()) {
    out.parsed.reset();
    out.error = "ca_file '" + proxy.ca_file->text + "' expanded to '' (not an HTTPS fake's?)";
  } else if (ca.is_relative()) {
    out.tls.ca_file = (ctx.scenario().file.parent_path() / ca).string();
  }
  return out;
}

std::shared_ptr<UpstreamPool> make_upstream_pool() { return std::make_shared<Pool>(); }

std::shared_ptr<UpstreamClient> make_upstream_client(asio::io_context& io, const std::shared_ptr<UpstreamPool>& pool) {
  return std::make_shared<Client>(io, std::static_pointer_cast<Pool>(pool));
}

}  // namespace bbx::fakes
