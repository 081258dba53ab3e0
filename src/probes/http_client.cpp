#include "probes/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "util/utf8_escape.hpp"
#include "util/resolve.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::probes {

namespace {

struct Url {
  std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Url u{authority, "80", slash == std::string::npos ? "/" : rest.substr(slash)};
  if (!authority.empty() && authority[0] == '[') {  // [::1]:8080
    auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

struct Exchange : std::enable_shared_from_this<Exchange> {
  Exchange(asio::io_context& io) : resolver(io), stream(io) {}
  tcp::resolver resolver;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response_parser<http::string_body> parser;
  bool done = false;
  std::string error;
  std::optional<model::HttpBreak> broken;

  void fail(const char* what, beast::error_code ec) {
    error = std::string(what) + ": " + ec.message();
    done = true;
  }

  // A connection made and then broken (a send or receive error): how.
  void broke(const char* what, beast::error_code ec) {
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) broken = model::HttpBreak::reset;
    else if (ec == http::error::end_of_stream) broken = model::HttpBreak::closed;
    else if (ec == http::error::partial_message) broken = model::HttpBreak::truncated;
    else if (ec.category() == beast::error_code(http::error::bad_version).category() && ec != http::error::body_limit &&
             ec != http::error::header_limit && ec != http::error::buffer_overflow)
      broken = model::HttpBreak::malformed;  // not a response too big: bytes that are not HTTP
    fail(what, ec);
  }

  void start(const Url& url, model::Duration timeout) {
    stream.expires_after(timeout);
    util::resolve_then(resolver, url.host, url.port, [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
      if (ec) return self->fail("resolve", ec);
      self->stream.async_connect(r, [self](beast::error_code ec, const tcp::endpoint&) {
        if (ec) return self->fail("connect", ec);
        http::async_write(self->stream, self->request, [self](beast::error_code ec, std::size_t) {
          if (ec) return self->broke("send", ec);
          http::async_read(self->stream, self->buffer, self->parser, [self](beast::error_code ec, std::size_t) {
            if (ec) return self->broke("receive", ec);
            beast::error_code ignored;
            self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            self->done = true;
          });
        });
      });
    });
  }
};

}  // namespace

namespace {

HttpReply reply_of(const Exchange& ex) {
  HttpReply reply;
  reply.broken = ex.broken;
  reply.error = ex.error;
  reply.ok = ex.error.empty();
  reply.got_headers = ex.parser.is_header_done();
  if (!reply.got_headers) return reply;
  const auto& response = ex.parser.get();
  reply.status = response.result_int();
  for (const auto& f : response)
    reply.headers.emplace_back(util::escape_invalid_utf8(f.name_string()), util::escape_invalid_utf8(f.value()));
  reply.body = response.body();
  if (auto n = ex.parser.content_length()) reply.content_length = *n;
  return reply;
}

}  // namespace

HttpReply perform_http(runtime::RunContext& ctx, const HttpCall& call) {
  HttpReply out;
  perform_http_repeated(ctx, call, 1, 1, [&](std::size_t, HttpReply reply) { out = std::move(reply); });
  return out;
}

void perform_http_repeated(runtime::RunContext& ctx, const HttpCall& call, std::size_t count, std::size_t concurrency,
                           const std::function<void(std::size_t, HttpReply)>& on_reply) {
  using Clock = std::chrono::steady_clock;
  auto url = parse_url(call.url);
  if (!url) {
    HttpReply reply;
    reply.error = "invalid URL '" + call.url + "' (expected http://host:port/path)";
    for (std::size_t i = 0; i < count; ++i) on_reply(i, reply);
    return;
  }
  struct InFlight {
    std::shared_ptr<Exchange> ex;
    std::size_t index;
    Clock::time_point deadline;
  };
  std::vector<InFlight> flying;
  std::size_t started = 0;
  auto launch = [&] {
    auto ex = std::make_shared<Exchange>(ctx.io());
    ex->request.method_string(call.method);
    ex->request.target(url->target);
    ex->request.version(11);
    ex->request.set(http::field::host, url->host + ":" + url->port);
    ex->request.set(http::field::user_agent, "bbx");
    for (const auto& [k, v] : call.headers) ex->request.set(k, v);
    if (call.body) ex->request.body() = *call.body;
    ex->request.prepare_payload();
    ex->start(*url, call.timeout);
    flying.push_back({ex, started++, Clock::now() + call.timeout + std::chrono::seconds(1)});
  };
  auto any_done = [&] {
    for (const auto& f : flying)
      if (f.ex->done) return true;
    return false;
  };
  while (started < std::max<std::size_t>(concurrency, 1) && started < count) launch();
  while (!flying.empty()) {
    auto deadline = flying.front().deadline;
    for (const auto& f : flying) deadline = std::min(deadline, f.deadline);
    ctx.run_until(any_done, deadline);
    bool cut = ctx.cut_short();
    for (std::size_t i = 0; i < flying.size();) {
      auto& f = flying[i];
      if (!f.ex->done && (cut || Clock::now() >= f.deadline)) {  // stuck: cancelled, answered as timed out
        f.ex->stream.cancel();
        f.ex->resolver.cancel();
        ctx.run_until([&] { return f.ex->done; }, Clock::now() + std::chrono::milliseconds(100));
        HttpReply reply;
        reply.error = cut ? ctx.cut_reason() : "timed out";
        auto index = f.index;
        flying.erase(flying.begin() + static_cast<std::ptrdiff_t>(i));
        on_reply(index, std::move(reply));
        continue;
      }
      if (!f.ex->done) {
        ++i;
        continue;
      }
      auto reply = reply_of(*f.ex);
      auto index = f.index;
      flying.erase(flying.begin() + static_cast<std::ptrdiff_t>(i));
      on_reply(index, std::move(reply));
    }
    if (cut) {  // the run is ending: the rest are not sent
      for (; started < count; ++started) {
        HttpReply reply;
        reply.error = ctx.cut_reason();
        on_reply(started, std::move(reply));
      }
    }
    while (flying.size() < concurrency && started < count) launch();
  }
}

}  // namespace bbx::probes
