// Internal to the HTTP fake (included by session.hpp only; Beast stays in one translation
// unit). The bodies of its http.request and http.response events, deferred (bbx/event.hpp):
// the connection hands the journal the parsed request itself, no copy and no JSON tree, and
// the journal writes the text when it drains its queue (on the run's loop). The fields are
// written once, over a sink (util/json_sink.hpp), so the text and the tree cannot disagree.
//
// Journal events (source {kind: fake, name}):
//  http.request  {conn, client, method, target, path, query, version, headers [[k, v]...],
//                 body, body_bytes, body_truncated/body_sha256 (beyond the cap: capture.hpp),
//                 route (0-based, -1 unmatched), matched, sequence (index in the route's
//                 respond list), misses [{route (1-based), passed, reason}] (unmatched only)}
//  http.response {conn, request_seq, status, route, body_bytes, latency_us, fault
//                 ("" | reset | close_after_headers | close_mid_body | garbage | never_answer),
//                 chunks (dribbled), error ("" or the write error); with a fault what it
//                 really sent: status (the status line sent, 0 for none), body_bytes (sent),
//                 sent_bytes (all bytes written), and planned_status, planned_body_bytes}
//  http.bad_request {conn, client, error (the parser's, the read's, or "idle_timeout passed
//                 mid-request"), status (400, 413 or 431 answered; 0 when the connection ended
//                 mid-request), method and target (once the request line was parsed), unparsed,
//                 unparsed_bytes, beyond the cap unparsed_truncated and unparsed_sha256 (http_request_pull.hpp)}
//                from {kind, name, pid} (who holds the client's socket, found once per connection:
//                fakes/tcp_listen.hpp connection_origin; absent when not found)
// Proxy mode (proxy.hpp): http.request also has proxy (the upstream URL), and an
//  http.upstream event (both sides of the upstream exchange) precedes the http.response.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bbx/event.hpp"
#include "journal/deferred_body.hpp"
#include "bbx/model/fakes.hpp"
#include "fakes/http/capture.hpp"
#include "fakes/http/routing.hpp"
#include "util/json_sink.hpp"

namespace bbx::fakes::http_detail {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// Writes fields into a sink; tree and text come from the same calls.
template <class Fields>
class SinkBody : public journal::DeferredBody {
 public:
  nlohmann::json tree() const override {
    util::JsonTreeSink sink;
    static_cast<const Fields&>(*this).fields(sink);
    return sink.take();
  }
  void append_text(util::TextBuffer& out) const override {
    util::JsonTextSink sink(out);
    static_cast<const Fields&>(*this).fields(sink);
    sink.close();
  }
};

class RequestBody final : public SinkBody<RequestBody> {
 public:
  Request request;  // the connection reads it through its event (one allocation for both)
  std::uint64_t conn = 0;
  std::string client;
  int route = -1;
  int sequence = 0;
  std::size_t body_cap = 0;
  nlohmann::json misses;  // unmatched requests only (rare: built eagerly)
  std::string proxy;      // the upstream URL, when proxied
  std::shared_ptr<const nlohmann::json> from;  // who sent it (the connection's; null: not found)

  template <class Sink>
  void fields(Sink& s) const {
    const Request& r = request;
    s.unum("conn", conn);
    s.str("client", client);
    s.str("method", r.method_string());
    s.str("target", r.target());
    s.str("path", path_of(r.target()));
    s.str("query", query_of(r.target()));
    s.str("version", r.version() == 11 ? "HTTP/1.1" : "HTTP/1.0");
    s.pairs("headers", r, [](const auto& f) { return std::pair(f.name_string(), f.value()); });
    s.num("route", route);
    s.boolean("matched", route >= 0);
    s.num("sequence", sequence);
    capture_body(r.body(), body_cap, s);
    if (!misses.is_null()) s.json("misses", misses);
    if (!proxy.empty()) s.str("proxy", proxy);
    if (from) s.json("from", *from);
  }
};

// The name an http.response event gives a fault ("" for none).
inline const char* fault_name(model::HttpFault f) {
  switch (f) {
    case model::HttpFault::none: return "";
    case model::HttpFault::reset: return "reset";
    case model::HttpFault::close_after_headers: return "close_after_headers";
    case model::HttpFault::close_mid_body: return "close_mid_body";
    case model::HttpFault::garbage: return "garbage";
    case model::HttpFault::never_answer: return "never_answer";
  }
  return "";
}

class ResponseBody final : public SinkBody<ResponseBody> {
 public:
  std::uint64_t conn = 0;
  std::uint64_t request_seq = 0;
  int status = 0;
  int route = -1;
  std::uint64_t body_bytes = 0;
  std::int64_t latency_us = 0;
  const char* fault = "";  // a static name (fault_name)
  int chunks = 0;
  std::string error;
  // A fault: what was planned beside what was sent (status then is the status line sent, 0
  // for none; body_bytes the body bytes sent).
  bool faulted = false;
  bool cut = false;  // not a fault: the write failed (error); planned_body_bytes beside body_bytes
  int planned_status = 0;
  std::uint64_t planned_body_bytes = 0;
  std::uint64_t sent_bytes = 0;

  template <class Sink>
  void fields(Sink& s) const {
    s.unum("conn", conn);
    s.unum("request_seq", request_seq);
    s.num("status", status);
    s.num("route", route);
    s.unum("body_bytes", body_bytes);
    s.num("latency_us", latency_us);
    s.str("fault", fault);
    s.num("chunks", chunks);
    s.str("error", error);
    if (cut) s.unum("planned_body_bytes", planned_body_bytes);
    if (!faulted) return;
    s.num("planned_status", planned_status);
    s.unum("planned_body_bytes", planned_body_bytes);
    s.unum("sent_bytes", sent_bytes);
  }
};

}  // namespace bbx::fakes::http_detail
