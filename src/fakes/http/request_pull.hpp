// Internal to the HTTP fake: included only by session.hpp (Beast stays in one translation unit).
// A connection's requests are parsed out of its buffer here and the stream read with one
// async_read_some when more is needed, instead of Beast's composed http::async_read (three
// layers of composed operations per request, ~450 instructions of the fake's ~5,500). What
// cannot become a request is rejected here too: answered as a real server would, and journaled.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "fakes/http/capture.hpp"

namespace bbx::fakes::http_detail {

// Feeds `buffer` to `parser`, consuming what it takes (a pipelined request's bytes stay).
// Returns true when the parser holds a whole request (ec clear) or rejected the input (ec set:
// malformed, over a limit); false when it needs more bytes than the buffer holds.
template <class Parser>
bool parse_buffered(boost::beast::flat_buffer& buffer, Parser& parser, boost::beast::error_code& ec) {
  ec = {};
  while (buffer.size() > 0 && !parser.is_done()) {
    auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      return false;
    }
    if (ec) return true;
    if (used == 0) return false;
  }
  return parser.is_done();
}

// "Expect: 100-continue" (HTTP/1.1): a client that sent it waits for an interim 100 before
// sending the body (curl does for bodies over 1 MiB, for a second). True once per request, when
// its header is in and the body still to come; `answered` (per request, false at first) records it.
template <class Parser>
bool wants_continue(const Parser& parser, bool& answered) {
  if (answered || !parser.is_header_done() || parser.is_done()) return false;
  const auto& head = parser.get();
  answered = head.version() == 11 && boost::beast::iequals(head[boost::beast::http::field::expect], "100-continue");
  return answered;
}
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// A request the fake could not take: the parser refused it (answered 431 over the header limit,
// 413 over the body limit, else 400, then the connection closes), or the connection ended in the
// middle of one (status 0: nothing to answer). `event` is the http.bad_request body: {conn,
// client, error, status, method and target (once the request line was parsed), unparsed (the
// bytes left unparsed, capped like a request body: unparsed_bytes, and beyond the cap
// unparsed_truncated, unparsed_sha256)}.
struct Rejection {
  int status = 0;
  std::string response;  // the bytes to send; empty when status is 0
  nlohmann::json event;
};

// `method` and `target` are the request line's when the parser took it (else empty: not
// journaled); the bytes it took are not among the unparsed ones.
inline Rejection reject_request(const boost::beast::error_code& ec, bool parser_refused, std::string_view method,
                                std::string_view target, std::string_view unparsed, std::size_t cap, std::uint64_t conn,
                                const std::string& client) {
  namespace http = boost::beast::http;
  Rejection r;
  if (parser_refused) r.status = ec == http::error::header_limit ? 431 : ec == http::error::body_limit ? 413 : 400;
  r.event = {{"conn", conn}, {"client", client}, {"error", ec.message()}, {"status", r.status}};
  if (!method.empty()) r.event["method"] = method;
  if (!target.empty()) r.event["target"] = target;
  capture_bytes(unparsed, cap, "unparsed", r.event);
  if (r.status == 0) return r;
  http::response<http::empty_body> answer{static_cast<http::status>(r.status), 11};
  answer.set(http::field::server, "bbx-fake");
  answer.keep_alive(false);
  answer.prepare_payload();
  std::ostringstream os;
  os << answer;
  r.response = os.str();
  return r;
}

// Reads and drops what arrives until the stream ends or fails, then closes `owner`.
template <class Stream, class Owner>
void drain(Stream& stream, boost::beast::flat_buffer& buffer, std::shared_ptr<Owner> owner) {
  buffer.clear();
  stream.async_read_some(buffer.prepare(65536), [&, owner](boost::beast::error_code ec, std::size_t) {
    if (ec) return owner->close();  // the client closed (or the linger timer did)
    drain(stream, buffer, owner);
  });
}

// Sends a rejection's answer, then closes as real servers do (nginx's lingering close): the
// write side is shut and what the client still sends is read and dropped until it closes, for
// at most 2 s, so that a client still sending its (oversized) request reads the answer instead
// of a reset. `owner` keeps the stream, buffer, timer and bytes alive and is closed at the end.
template <class Stream, class Timer, class Owner>
void answer_and_linger(Stream& stream, boost::beast::flat_buffer& buffer, Timer& timer, const std::string& bytes,
                       std::shared_ptr<Owner> owner) {
  boost::asio::async_write(stream, boost::asio::buffer(bytes), [&, owner](boost::beast::error_code ec, std::size_t) {
    if (ec) return owner->close();
    boost::beast::get_lowest_layer(stream).shutdown(boost::asio::socket_base::shutdown_send, ec);
    timer.expires_after(std::chrono::seconds(2));
    timer.async_wait([owner](boost::beast::error_code e) {
      if (!e) owner->close();
    });
    drain(stream, buffer, std::move(owner));
  });
}

}  // namespace bbx::fakes::http_detail
