// Internal to the HTTP fake: included only by http_fake.cpp (Beast stays in one translation unit).
// The HTTP fake's connection: one Session per connection (the listener is http_fake.cpp),
// keep-alive and pipelining (answered in order), requests read by http_request_pull.hpp, an
// idle timeout (http_idle_watch.hpp; a TLS handshake gets 10 s, a never_answer connection is
// closed after idle_timeout; a request header not whole idle_timeout after its first byte
// while bytes still come, seen at an idle check, 1x to 3x that, closes the connection, as
// nginx's client_header_timeout does). The decisions are pure
// (routing.hpp, plan.hpp); this file only carries them out. Its journal events: event_bodies.hpp.
#pragma once

#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "fakes/tcp_listen.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/http/capture.hpp"
#include "fakes/http/event_bodies.hpp"
#include "fakes/http/idle_watch.hpp"
#include "fakes/http/plan.hpp"
#include "fakes/http/request_pull.hpp"
#include "fakes/http/shared.hpp"
#include "fakes/http/upstream.hpp"
#include "fakes/http/wire_cache.hpp"
#include "fakes/http/tls_cert.hpp"

namespace bbx::fakes::http_detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

// Stream: Socket (HTTP) or TlsStream (HTTPS).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(std::shared_ptr<Shared> shared, Socket socket, std::uint64_t conn_id)
      : keep_(std::move(shared)),
        s_(*keep_),
        stream_(make_stream(s_, std::move(socket))),
        timer_(stream_.get_executor()),
        idle_(stream_.get_executor()),
        conn_id_(conn_id) {
    boost::system::error_code ec;
    auto ep = lowest().remote_endpoint(ec);
    client_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
    from_ = connection_origin(s_.ctx, lowest());  // on the loop thread: sessions are made there
  }

  ~Session() { account(0); }

  // Starts the session: the TLS handshake first when there is one.
  void start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      io_begin();
      watch_idle(kHandshakeTimeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        self->idle_.end();
        if (!ec) return self->read();
        self->s_.ctx.journal().append(self->s_.source, journal::ev::http_tls_error,
                                      {{"conn", self->conn_id_}, {"client", self->client_}, {"error", ec.message()}});
        self->close();
      });
    } else {
      beast::error_code ec;
      stream_.non_blocking(true, ec);  // for write_response's immediate write
      read();
      watch_idle(s_.http.idle_timeout);
    }
  }

  // Reads the next request (http_request_pull.hpp). Called while pull_loop runs (the previous
  // request was answered at once), it leaves the request to the loop.
  void read() {
    parser_.emplace();
    parser_->body_limit(64u << 20);
    parser_->eager(true);
    continued_ = false;
    header_since_.reset();
    if (pulling_) pull_again_ = true;
    else pull_loop();
  }

  // The request being read has had idle_timeout since its first byte, its header is not whole
  // yet, and bytes came since the previous call (a slowloris client; one that stopped sending
  // is left to the idle check). Called by the idle watch, once per period.
  bool overdue() {
    bool progressed = checked_ != kNotChecked && got_ > checked_;
    checked_ = got_;
    return progressed && header_since_ && !(parser_ && parser_->is_header_done()) &&
           std::chrono::steady_clock::now() - *header_since_ >= s_.http.idle_timeout;
  }

  void close() {
    beast::error_code ec;
    if (upstream_) upstream_->close();
    timer_.cancel();
    idle_.cancel();
    lowest().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
  }

 private:
  static Stream make_stream(Shared& shared, Socket socket) {
    if constexpr (std::is_same_v<Stream, TlsStream>) return Stream(std::move(socket), *shared.tls);
    else return Stream(std::move(socket));
  }
  Socket& lowest() { return beast::get_lowest_layer(stream_); }
  const Request& req() const { return request_->request; }

  void io_begin() { idle_.begin(); }
  void watch_idle(model::Duration period) { idle_.watch(period, s_.http.idle_timeout, this->weak_from_this()); }

  // Requests answered at once (and pipelined ones) are taken in this loop, not by recursion.
  void pull_loop() {
    pulling_ = true;
    beast::error_code ec;
    do {
      pull_again_ = false;
      if (!parse_buffered(buffer_, *parser_, ec)) {
        read_more(wants_continue(*parser_, continued_));
        break;
      }
      if (ec) {
        reject(ec, true);
        break;
      }
      on_read();
    } while (pull_again_);
    pulling_ = false;
  }

  void read_more(bool continue_first = false) {
    auto size = beast::read_size(buffer_, 65536);
    if (size == 0) return reject(http::error::buffer_overflow, true);
    io_begin();
    if (continue_first)
      return asio::async_write(stream_, asio::buffer(kContinue), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_more();
      });
    stream_.async_read_some(buffer_.prepare(size),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->idle_.end();
                              self->buffer_.commit(n);
                              self->got_ += n;
                              if (n > 0 && !self->header_since_ && !self->parser_->is_header_done())
                                self->header_since_ = std::chrono::steady_clock::now();
                              if (!ec && self->over_budget()) {
                                self->account(0);
                                return self->reject(http::error::body_limit, true,
                                                    "the fake holds more than " + std::to_string(kRequestBudget >> 20) +
                                                        " MiB of requests being read, over all its connections; "
                                                        "this one was refused");
                              }
                              if (!ec) return self->pull_loop();
                              // The connection ends; mid-request it is journaled, unless the fake
                              // itself is stopping (an abort not from idle_timeout: the run is over).
                              bool partial = self->parser_->got_some() || self->buffer_.size() > 0;
                              if (partial && (ec != asio::error::operation_aborted || self->idle_.fired()))
                                self->reject(ec, false);
                            });
  }

  // What cannot become a request (http_request_pull.hpp): journaled as http.bad_request,
  // answered when the parser refused it, then the connection closes (lingering after an answer).
  void reject(beast::error_code ec, bool parser_refused, const std::string& why = "") {
    account(0);
    std::string_view unparsed(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    const auto& head = parser_->get();  // its request line, once parsed
    auto r = reject_request(ec, parser_refused, head.method_string(), head.target(), unparsed, s_.http.body_capture,
                            conn_id_, client_);
    if (idle_.fired())
      r.event["error"] = idle_.late() ? "request header not whole within idle_timeout of its first byte (a slow client)"
                                   : "idle_timeout passed mid-request";
    if (!why.empty()) r.event["error"] = why;
    // How big the refused request was: the size its header declared, and the body bytes read.
    if (auto cl = head[http::field::content_length]; !cl.empty()) {
      std::uint64_t declared = 0;
      auto [end, err] = std::from_chars(cl.data(), cl.data() + cl.size(), declared);
      if (err == std::errc() && end == cl.data() + cl.size()) r.event["content_length"] = declared;
    }
    if (!head.body().empty()) r.event["body_bytes"] = head.body().size();
    s_.ctx.journal().append(s_.source, journal::ev::http_bad_request, std::move(r.event));
    if (r.response.empty()) return close();
    raw_ = std::move(r.response);
    answer_and_linger(stream_, buffer_, timer_, raw_, this->shared_from_this());
  }

  // This connection's share of the fake's reading_bytes: what its buffer and the body parsed
  // so far hold. True when the fake's total is past kRequestBudget.
  void account(std::int64_t now) {
    s_.reading_bytes.fetch_add(now - held_, std::memory_order_relaxed);
    held_ = now;
  }
  bool over_budget() {
    auto body = parser_ && !parser_->is_done() ? parser_->get().body().size() : 0;
    account(static_cast<std::int64_t>(buffer_.capacity() + body));
    return s_.reading_bytes.load(std::memory_order_relaxed) > kRequestBudget;
  }

  void on_read() {
    account(0);
    idle_.end();
    auto event = std::make_shared<RequestBody>();
    event->request = parser_->release();
    request_ = event;
    const Request& request = event->request;
    RequestView view{request.method_string(), request.target(), {}, request.body()};
    for (const auto& f : request) view.headers.emplace_back(f.name_string(), f.value());
    auto decision = s_.router.route(view);  // const and reentrant: matched outside the lock
    {
      std::lock_guard in_order(s_.order);
      plan_ = s_.planner.plan(decision, view);
      route_ = decision.route;
      received_ns_ = s_.ctx.journal().now_ns();
      proxy_ = proxy_for(s_.http, decision);
      if (proxy_) target_ = proxy_target(s_.ctx, *proxy_);
      request_seq_ = journal_request(std::move(event), decision);
    }
    if (proxy_) return start_proxy(view);
    if (plan_.response->fault == model::HttpFault::never_answer) {  // silent until the idle timeout or stop
      journal_fault({}, 0, 0);
      timer_.expires_after(s_.http.idle_timeout);
      timer_.async_wait([self = this->shared_from_this()](beast::error_code) { self->close(); });
      return;
    }
    if (plan_.delay.count() > 0) {
      timer_.expires_after(plan_.delay);
      timer_.async_wait([self = this->shared_from_this()](beast::error_code e) {
        if (!e) self->respond();
      });
    } else {
      respond();
    }
  }

  // Deferred (event_bodies.hpp): the request itself goes to the journal, no JSON here.
  std::uint64_t journal_request(std::shared_ptr<RequestBody> body, const RouteDecision& d) {
    body->conn = conn_id_;
    body->client = client_;
    body->from = from_;
    body->route = d.route;
    body->sequence = plan_.sequence_index;
    body->body_cap = s_.http.body_capture;
    if (d.route < 0) body->misses = misses_json(d);
    if (proxy_) body->proxy = target_.url;
    return s_.ctx.journal().append_deferred(s_.source, journal::ev::http_request, std::move(body));
  }

  void build_response() {
    const auto& r = *plan_.response;
    response_ = {static_cast<http::status>(r.status), req().version()};
    response_.set(http::field::server, "bbx-fake");
    for (const auto& [k, v] : r.headers) response_.set(k, v);
    response_.body() = plan_.body();
    response_.keep_alive(req().keep_alive());
    response_.prepare_payload();
  }

  std::string header_bytes() { return (std::ostringstream() << response_.base()).str(); }

  void respond() {
    if (plan_.response->fault != model::HttpFault::none || plan_.response->chunk_size > 0) build_response();
    switch (plan_.response->fault) {
      case model::HttpFault::reset: {
        beast::error_code ec;
        lowest().set_option(asio::socket_base::linger(true, 0), ec);
        journal_fault({}, 0, 0);
        lowest().close();
        return;
      }
      case model::HttpFault::close_after_headers: return write_raw_then_close(header_bytes(), true);
      case model::HttpFault::close_mid_body:
        return write_raw_then_close(header_bytes() + plan_.body().substr(0, plan_.body().size() / 2), true);
      case model::HttpFault::garbage: return write_raw_then_close("\x16\x03\x01 this is not HTTP \xff\xfe\r\n\r\n", false);
      default: break;
    }
    if (plan_.response->chunk_size > 0 && !head()) return start_dribble();
    write_response();
  }

  void write_response() {
    // Body bytes among n written: those past the header (the whole answer's size less the body's).
    auto done = [this](std::size_t total, std::size_t already = 0) {
      std::size_t body = proxy_ ? response_.body().size() : head() ? 0 : plan_.body().size();
      return [self = this->shared_from_this(), head_bytes = total - body, body, already](beast::error_code ec,
                                                                                      std::size_t n) {
        n += already;
        self->on_written(ec, n > head_bytes ? std::min(n - head_bytes, body) : 0);
      };
    };
    if (proxy_) {
      io_begin();
      auto total = header_bytes().size() + response_.body().size();
      return http::async_write(stream_, response_, done(total));  // relayed: serialized once
    }
    const std::string& bytes = wire_bytes();
    std::size_t sent = 0;
    if constexpr (std::is_same_v<Stream, Socket>) {
      // A response almost always fits the socket's send buffer: written at once, it skips
      // the asynchronous write's operation, its completion post and its handler (the socket
      // is non-blocking: a full buffer leaves the rest to async_write).
      beast::error_code ec;
      sent = stream_.write_some(asio::buffer(bytes), ec);
      if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return done(bytes.size())(ec, 0);
      if (sent == bytes.size()) return done(bytes.size())({}, sent);
    }
    io_begin();
    asio::async_write(stream_, asio::buffer(bytes) + sent, done(bytes.size(), sent));
  }

  // A HEAD request gets the header a GET would (its Content-Length too), never the body.
  bool head() const { return req().method() == http::verb::head; }
  const std::string& wire_bytes() {
    if (head()) {
      build_response();
      return raw_ = header_bytes();
    }
    return wire_.bytes(plan_, req().version(), req().keep_alive(), [this] {
      build_response();
      return (std::ostringstream() << response_).str();
    });
  }

  // A fault that writes bytes and closes: with_head, they start with the response's header
  // (its status line is sent; what follows it counts as body bytes sent).
  void write_raw_then_close(std::string bytes, bool with_head) {
    raw_ = std::move(bytes);
    std::size_t head = with_head ? header_bytes().size() : 0;
    io_begin();
    asio::async_write(stream_, asio::buffer(raw_), [self = this->shared_from_this(), with_head, head](beast::error_code ec, std::size_t n) {
      std::optional<int> status;
      if (with_head && n >= head) status = self->plan_.response->status;
      // Bytes that are not HTTP (garbage) are no body: only what followed a status line is.
      self->journal_fault(ec ? ec.message() : "", with_head && n > head ? n - head : 0, n, status);
      self->close();
    });
  }

  // What a fault really sent: status 0 unless its status line went out, the body bytes and
  // all bytes written; the planned status and body size beside them.
  void journal_fault(const std::string& error, std::size_t body_sent, std::size_t wire_bytes,
                     std::optional<int> status_sent = std::nullopt) {
    auto body = response_body(error, body_sent);
    body->status = status_sent.value_or(0);
    body->faulted = true;
    body->planned_status = plan_.response->status;
    body->planned_body_bytes = head() ? 0 : plan_.body().size();
    body->sent_bytes = wire_bytes;
    s_.ctx.journal().append_deferred(s_.source, journal::ev::http_response, std::move(body));
  }

  void start_dribble() {
    response_.chunked(true);
    dribbled_ = 0;
    confirmed_ = 0;
    chunks_ = 0;
    raw_ = header_bytes();
    io_begin();
    asio::async_write(stream_, asio::buffer(raw_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->next_chunk(ec);
    });
  }

  void next_chunk(beast::error_code ec) {
    idle_.end();
    if (ec) return on_written(ec, confirmed_);
    confirmed_ = dribbled_;
    if (dribbled_ >= plan_.body().size() && chunks_ > 0 && raw_ == "0\r\n\r\n") return on_written(ec, dribbled_);
    timer_.expires_after(chunks_ == 0 ? model::Duration(0) : plan_.response->chunk_every);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code e) {
      if (e) return;
      auto& p = self->plan_;
      const auto& body = p.body();
      auto n = std::min(p.response->chunk_size, body.size() - self->dribbled_);
      std::ostringstream os;
      if (n > 0) os << std::hex << n << "\r\n" << body.substr(self->dribbled_, n) << "\r\n";
      else os << "0\r\n\r\n";
      self->dribbled_ += n;
      ++self->chunks_;
      self->raw_ = os.str();
      self->io_begin();
      asio::async_write(self->stream_, asio::buffer(self->raw_),
                        [self](beast::error_code e2, std::size_t) { self->next_chunk(e2); });
    });
  }

  // A write that failed (the client reset or closed mid-response) keeps the planned body size
  // beside the body bytes written before the error.
  void journal_response(const std::string& error, std::size_t body_bytes) {
    auto body = response_body(error, body_bytes);
    if (!error.empty()) {
      body->cut = true;
      body->planned_body_bytes = proxy_ ? response_.body().size() : head() ? 0 : plan_.body().size();
    }
    s_.ctx.journal().append_deferred(s_.source, journal::ev::http_response, std::move(body));
  }

  std::shared_ptr<ResponseBody> response_body(const std::string& error, std::size_t body_bytes) {
    auto body = std::make_shared<ResponseBody>();
    body->conn = conn_id_;
    body->request_seq = request_seq_;
    body->status = proxy_ ? response_.result_int() : plan_.response->status;
    body->route = route_;
    body->body_bytes = body_bytes;
    body->latency_us = (s_.ctx.journal().now_ns() - received_ns_) / 1000;
    body->fault = fault_name(plan_.response->fault);
    body->chunks = chunks_;
    body->error = error;
    return body;
  }

  // body_bytes: the body bytes written (all of them unless ec).
  void on_written(beast::error_code ec, std::size_t body_bytes) {
    idle_.end();
    journal_response(ec ? ec.message() : "", body_bytes);
    chunks_ = 0;
    if (ec || !req().keep_alive()) return close();
    read();
  }

  // Proxy mode: the request goes upstream; its answer (or a 502/504) is written back.
  void start_proxy(const RequestView& view) {
    if (!target_.parsed) {  // the URL did not expand to an http(s):// one
      UpstreamResult bad;
      bad.error = target_.error;
      return on_upstream(false, std::move(bad));
    }
    sent_ = build_upstream_request(view, *proxy_, *target_.parsed, address_of(client_), s_.http.tls);
    if (!upstream_) upstream_ = make_upstream_client(s_.ctx.io(), s_.upstream_pool);
    upstream_->exchange(*target_.parsed, target_.tls, sent_, proxy_->timeout,
                        [self = this->shared_from_this()](UpstreamResult r) { self->on_upstream(true, std::move(r)); });
  }

  void on_upstream(bool sent, UpstreamResult result) {
    if (!sent) sent_ = {std::string(req().method_string()), std::string(req().target()), {}, {}};
    s_.ctx.journal().append(s_.source, journal::ev::http_upstream,
                            upstream_event(conn_id_, request_seq_, target_.url, sent_, result, s_.http.body_capture));
    if (!lowest().is_open()) return;  // the fake stopped meanwhile
    auto relayed = relay_response(result, target_.url, req().method() == http::verb::head);
    response_ = {static_cast<http::status>(relayed.status), req().version()};
    for (const auto& [k, v] : relayed.headers) response_.insert(k, v);
    response_.body() = std::move(relayed.body);
    response_.keep_alive(req().keep_alive());
    if (!relayed.head) response_.prepare_payload();
    write_response();
  }

  std::shared_ptr<Shared> keep_;  // the fake's state, kept while a handler of this connection may run
  Shared& s_;
  Stream stream_;
  Timer timer_;  // the response's own waits: delay, dribble, never_answer
  IdleWatch idle_;
  std::int64_t held_ = 0;   // this connection's part of s_.reading_bytes
  bool continued_ = false;  // this request's "100 Continue" was sent
  bool pulling_ = false;     // pull_loop is running
  bool pull_again_ = false;  // read() asked it for the next request
  std::uint64_t conn_id_;
  std::string client_;
  std::shared_ptr<const nlohmann::json> from_;  // who sent the connection (null: not found)
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const RequestBody> request_;  // the request is kept in its http.request event
  http::response<http::string_body> response_;
  ResponsePlan plan_;
  WireCache wire_;  // the last response as bytes
  std::string raw_;
  std::size_t dribbled_ = 0;
  std::size_t confirmed_ = 0;  // dribbled bytes whose write completed
  std::optional<std::chrono::steady_clock::time_point> header_since_;  // the request's first byte came
  static constexpr std::uint64_t kNotChecked = ~std::uint64_t{0};
  std::uint64_t got_ = 0;                 // bytes read from the client
  std::uint64_t checked_ = kNotChecked;   // got_ at the previous overdue()
  int chunks_ = 0;
  std::uint64_t request_seq_ = 0;
  std::int64_t received_ns_ = 0;
  int route_ = -1;
  const model::HttpProxy* proxy_ = nullptr;  // this request's, when proxied
  ProxyTarget target_;
  UpstreamRequest sent_;
  std::shared_ptr<UpstreamClient> upstream_;  // created at the connection's first proxied request
};

}  // namespace bbx::fakes::http_detail
