// Fake servers: the stand-ins for a subject's dependencies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bbx/model/common.hpp"
#include "util/regex.hpp"

namespace bbx::model {

// Every criterion set must hold; an empty/absent one matches anything.
struct HttpMatch {
  std::string method;  // empty = any; case-insensitive
  std::string path;    // glob ('*', '?') on the path without its query; empty = any
  std::optional<util::Regex> path_regex;       // must match the whole path; compiled at load
  std::map<std::string, std::string> query;    // parameter -> glob on its (raw) value
  std::map<std::string, std::string> headers;  // name (case-insensitive) -> glob on the value
  std::optional<std::string> body;             // exact
  std::string body_contains;
  std::optional<util::Regex> body_regex;       // searched anywhere; compiled at load
  std::optional<std::string> body_json;        // JSON text: the body must be JSON containing it
};

enum class HttpFault {
  none,
  reset,                // RST instead of an answer
  close_after_headers,  // the status line and headers, then close
  close_mid_body,       // headers (full Content-Length) and half the body, then close
  garbage,              // bytes that are not HTTP, then close
  never_answer,         // keep the connection open and silent (until the client or stop closes it)
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
  Duration delay{0};
  Duration delay_max{0};       // > delay: a uniformly random delay in [delay, delay_max]
  std::string body_file;       // read when the fake starts, relative to the scenario file
  bool templated = false;      // fill {{request.*}} placeholders in body (src/fakes/http/plan.hpp)
  std::size_t chunk_size = 0;  // > 0: chunked dribble of chunk_size bytes ...
  Duration chunk_every{0};     // ... every chunk_every
  HttpFault fault = HttpFault::none;
};

// `proxy:` on a route (instead of `respond:`) or on the fake (for requests no route
// matched): forward the request to a real upstream and relay its answer
// (src/fakes/http/proxy.hpp).
struct HttpProxy {
  Template to;                                    // "http[s]://host:port[/base]", may hold ${...}
  // https:// upstreams: the certificate is verified against the system's CA store, or
  // against ca_file (a PEM file, relative to the scenario file) when given; insecure
  // skips verification (for tests only). Neither is allowed with a written http:// URL.
  std::optional<Template> ca_file;
  bool insecure = false;
  std::string strip_prefix;                       // removed from the path's start before forwarding
  Duration timeout = std::chrono::seconds(10);    // the whole upstream exchange; then 504
  std::map<std::string, std::string> set_headers; // sent upstream, replacing any of that name
  std::vector<std::string> remove_headers;        // not sent upstream (case-insensitive)
};

struct HttpRoute {
  HttpMatch match;
  HttpResponse respond;
  std::optional<HttpProxy> proxy;  // set: forwarded upstream; respond is then unused
  SourceLocation where;
  // `respond: [a, b, c]`: the route's 1st request gets a, the 2nd b, then c for every
  // later one (cycle: false), or a, b, c, a, b, ... (cycle: true). respond is sequence[0].
  std::vector<HttpResponse> sequence;
  bool cycle = false;
};

// A fake's kind is the alternative its `spec` holds (below); each kind's settings live
// only in its spec.

// `http: {...}` with `routes:`, `unmatched:`, `proxy:` and `capture:`.
struct HttpFakeSpec {
  std::vector<HttpRoute> routes;  // first match wins, in written order
  HttpResponse unmatched = [] {
    HttpResponse r;
    r.status = 404;
    r.body = "no route matched\n";
    return r;
  }();
  std::optional<HttpProxy> proxy;  // requests no route matched go upstream (not `unmatched`)
  std::size_t body_capture = 64 * 1024;              // request bodies journaled up to this
  Duration idle_timeout = std::chrono::seconds(60);  // a client read/write stalled this long (to 2x) closes
  int threads = 1;               // threads serving its connections (1: the run's loop)
  SourceLocation threads_where;  // of `threads:` when given
  bool tls = false;              // HTTPS; a self-signed certificate per run unless given
  std::string tls_cert;          // PEM files, relative to the scenario file (both or neither)
  std::string tls_key;
};

// Metric fakes: `statsd: {...}` (UDP by default, or TCP lines) and `graphite: {...}`
// (graphite plaintext over TCP).
enum class MetricFormat { statsd, graphite };
enum class MetricTransport { udp, tcp };  // tcp: '\n'-separated lines
enum class LossPolicy { fail, warn };     // what kernel-reported UDP drops do to the run

struct MetricFakeSpec {
  MetricFormat format = MetricFormat::statsd;
  MetricTransport transport = MetricTransport::udp;
  std::int64_t receive_buffer = 16 << 20;  // udp: SO_RCVBUF(FORCE) bytes
  LossPolicy on_loss = LossPolicy::fail;   // udp
};

// Generic TCP fakes (`tcp: {...}` with `greeting:` and `replies:`): how a byte stream is
// cut into messages, and the scripted answers.
enum class TcpFramingKind {
  line,           // '\n'-terminated; a '\r' before it is dropped too
  delimiter,      // terminated by `delimiter` (any bytes, e.g. "\r\n" or "\0")
  length_prefix,  // a 1, 2 or 4 byte unsigned length, then that many bytes
};

struct TcpFraming {
  TcpFramingKind kind = TcpFramingKind::line;
  std::string delimiter = "\n";  // delimiter framing
  int prefix_bytes = 4;          // length_prefix: 1, 2 or 4
  bool big_endian = true;        // length_prefix
};

enum class TcpFault {
  none,
  close,  // send the reply (if any), then close the connection
  reset,  // no reply: RST
  never,  // no reply to this message (later messages are answered as usual)
};

// One scripted reply: the first whose matcher holds answers a message.
struct TcpReply {
  std::string contains;  // substring of the message; empty = any
  std::optional<util::Regex> match;  // searched in the message; none = any; compiled at load
  std::string reply;     // bytes to send; $0 the message, $1..$9 match groups, $$ a '$'
  Duration delay{0};
  TcpFault fault = TcpFault::none;
  SourceLocation where;
};

struct TcpFakeSpec {
  TcpFraming framing;
  std::size_t max_message = 64 * 1024;  // longer messages: length, SHA-256 and head only
  std::string greeting;                  // sent on connect when not empty
  std::vector<TcpReply> replies;         // first match wins; none matching = no answer
};

// Code that handles every kind visits `spec` exhaustively (no generic fallback), so a new
// kind does not compile until each such place handles it.
using FakeSpec = std::variant<HttpFakeSpec, MetricFakeSpec, TcpFakeSpec>;

struct Fake {
  std::string name;
  int port = 0;  // 0 = pick a free port ("auto")
  std::string host = "127.0.0.1";
  SourceLocation where;
  FakeSpec spec;  // the kind and its settings
};

// The spec of `fake` when it is of kind Spec, else nullptr: for checks about one kind only
// ("a 'message' expectation needs a tcp fake").
template <class Spec>
const Spec* spec_if(const Fake& fake) {
  return std::get_if<Spec>(&fake.spec);
}

}  // namespace bbx::model
