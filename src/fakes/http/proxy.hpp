// The HTTP fake's proxy mode, its pure part: which proxy a request takes, the upstream
// URL, the request sent upstream (header rewriting), the answer relayed back or the
// 502/504 sent instead, and the `http.upstream` journal event. No I/O (the exchange
// itself is upstream.hpp), so unit tests call everything directly.
//
// Header rules (RFC 9110 section 7.6): hop-by-hop headers (Connection and every header it
// names, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE,
// Trailer, Transfer-Encoding, Upgrade) are dropped both ways, and Content-Length too (the
// sender recomputes it). Upstream: Host becomes the upstream's host:port; the client's
// address is appended to X-Forwarded-For; Expect is dropped (the body is already read); X-Forwarded-Host (the original Host) and
// X-Forwarded-Proto are set unless present; Via gets "1.1 bbx"; then the proxy's
// `headers: {remove, set}` apply, in that order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/http/routing.hpp"
#include "util/http_url.hpp"

namespace bbx::fakes {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

using UpstreamUrl = util::HttpUrl;  // the parser: util/http_url.hpp

// The proxy that serves this decision: the matched route's, or the fake's for an
// unmatched request. nullptr: answer from the plan as usual.
const model::HttpProxy* proxy_for(const model::HttpFakeSpec& http, const RouteDecision& decision);

// The upstream target: strip_prefix removed from the path when it starts with it (at a
// '/' boundary: /api strips /api and /api/x, not /apix), the base path prefixed, the
// query kept as received. "/api/x?y=1" with strip /api and base /v2 -> "/v2/x?y=1".
std::string upstream_target(std::string_view target, std::string_view strip_prefix, std::string_view base_path);

// Whether a header must not be forwarded (hop-by-hop or Content-Length). `connection`
// is the value(s) of the message's Connection header: the names listed there count too.
bool is_hop_by_hop(std::string_view name, std::string_view connection);

struct UpstreamRequest {
  std::string method;
  std::string target;
  HeaderList headers;  // without Content-Length: the client sets it from the body
  std::string body;
};

// The request the proxy sends upstream (header rules above). client_address is the
// client's IP (no port); tls: whether the fake serves HTTPS (X-Forwarded-Proto).
UpstreamRequest build_upstream_request(const RequestView& in, const model::HttpProxy& proxy, const UpstreamUrl& url,
                                       std::string_view client_address, bool tls);

// "127.0.0.1:5555" -> "127.0.0.1", "::1:5555" -> "::1".
std::string_view address_of(std::string_view client);

struct UpstreamResult {
  enum class Outcome { ok, unreachable, timeout, failed };
  Outcome outcome = Outcome::failed;
  std::string error;   // "" when ok: "connect: Connection refused", "receive: end of stream"
  int status = 0;      // ok only
  HeaderList headers;  // ok only, as received (hop-by-hop included)
  std::string body;
  std::int64_t latency_ns = 0;  // from the start of the exchange to its end
  bool reused = false;          // a kept-alive connection carried it
};

const char* outcome_name(UpstreamResult::Outcome o);  // "ok", "unreachable", "timeout", "failed"

struct RelayedResponse {
  int status = 502;
  HeaderList headers;  // hop-by-hop removed; Content-Length too, except for HEAD
  std::string body;
  bool head = false;   // answers HEAD: no body, Content-Length as a GET would have (keep it)
};

// What the client gets: the upstream's status, headers and body (ok), or 502 (unreachable,
// failed) / 504 (timeout) with a text/plain body naming the upstream and the reason and an
// X-Bbx-Proxy header with the outcome. `url` is the upstream URL as expanded ("" when it
// could not be: `error` says why). head: the client asked HEAD (no body; the upstream's
// Content-Length, or the error text's length, in the headers).
RelayedResponse relay_response(const UpstreamResult& result, std::string_view url, bool head = false);

// The `http.upstream` event body: {conn, request_seq, url, outcome, error, latency_us,
// reused, request {method, target, headers, body...}, response {status, headers, body...}
// (ok only)}; bodies under the fake's capture cap (capture.hpp).
nlohmann::json upstream_event(std::uint64_t conn, std::uint64_t request_seq, std::string_view url,
                              const UpstreamRequest& sent, const UpstreamResult& result, std::size_t cap);

}  // namespace bbx::fakes
