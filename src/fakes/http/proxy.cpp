#include "fakes/http/proxy.hpp"

#include <strings.h>

#include "fakes/http/capture.hpp"
#include "util/text.hpp"

namespace bbx::fakes {

namespace {

bool same_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool listed_in(std::string_view name, std::string_view list) {  // "close, X-Foo" (comma-separated tokens)
  for (const auto& token : util::split(list, ','))
    if (same_nocase(util::trim(token), name)) return true;
  return false;
}

std::string connection_of(const auto& headers) {
  std::string out;
  for (const auto& [k, v] : headers)
    if (same_nocase(k, "Connection")) out += std::string(v) + ",";
  return out;
}

nlohmann::json headers_json(const HeaderList& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : headers) out.push_back({k, v});
  return out;
}

void set_header(HeaderList& headers, const std::string& name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return same_nocase(h.first, name); });
  headers.emplace_back(name, std::move(value));
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (same_nocase(k, name)) return &v;
  return nullptr;
}

}  // namespace

const model::HttpProxy* proxy_for(const model::HttpFakeSpec& http, const RouteDecision& decision) {
  if (decision.route < 0) return http.proxy ? &*http.proxy : nullptr;
  const auto& route = http.routes[static_cast<std::size_t>(decision.route)];
  return route.proxy ? &*route.proxy : nullptr;
}

std::string upstream_target(std::string_view target, std::string_view strip_prefix, std::string_view base_path) {
  auto path = path_of(target);
  auto query = target.substr(path.size());  // "" or "?..."
  while (strip_prefix.ends_with('/')) strip_prefix.remove_suffix(1);
  if (!strip_prefix.empty() && path.starts_with(strip_prefix) &&
      (path.size() == strip_prefix.size() || path[strip_prefix.size()] == '/'))
    path.remove_prefix(strip_prefix.size());
  std::string out(base_path);
  out += path;
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  out += query;
  return out;
}

bool is_hop_by_hop(std::string_view name, std::string_view connection) {
  static const char* fixed[] = {"Connection", "Keep-Alive",  "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
                                "TE",         "Trailer",     "Transfer-Encoding", "Upgrade",           "Content-Length"};
  for (const char* f : fixed)
    if (same_nocase(name, f)) return true;
  return listed_in(name, connection);
}

std::string_view address_of(std::string_view client) {
  auto colon = client.rfind(':');
  return colon == std::string_view::npos ? client : client.substr(0, colon);
}

UpstreamRequest build_upstream_request(const RequestView& in, const model::HttpProxy& proxy, const UpstreamUrl& url,
                                       std::string_view client_address, bool tls) {
  UpstreamRequest out{std::string(in.method), upstream_target(in.target, proxy.strip_prefix, url.base_path), {}, std::string(in.body)};
  auto connection = connection_of(in.headers);
  std::string forwarded_for, host;
  for (const auto& [k, v] : in.headers) {
    if (is_hop_by_hop(k, connection) || same_nocase(k, "Expect")) continue;  // the body is already here
    if (same_nocase(k, "Host")) host = v;
    else if (same_nocase(k, "X-Forwarded-For")) forwarded_for += (forwarded_for.empty() ? "" : ", ") + std::string(v);
    else out.headers.emplace_back(k, v);
  }
  out.headers.emplace_back("Host", url.authority());
  out.headers.emplace_back("X-Forwarded-For", forwarded_for.empty() ? std::string(client_address)
                                                                     : forwarded_for + ", " + std::string(client_address));
  if (!find_header(out.headers, "X-Forwarded-Host") && !host.empty()) out.headers.emplace_back("X-Forwarded-Host", host);
  if (!find_header(out.headers, "X-Forwarded-Proto")) out.headers.emplace_back("X-Forwarded-Proto", tls ? "https" : "http");
  const std::string* via = find_header(out.headers, "Via");
  set_header(out.headers, "Via", via ? *via + ", 1.1 bbx" : "1.1 bbx");
  for (const auto& name : proxy.remove_headers)
    std::erase_if(out.headers, [&](const auto& h) { return same_nocase(h.first, name); });
  for (const auto& [k, v] : proxy.set_headers) set_header(out.headers, k, v);
  return out;
}

const char* outcome_name(UpstreamResult::Outcome o) {
  switch (o) {
    case UpstreamResult::Outcome::ok: return "ok";
    case UpstreamResult::Outcome::unreachable: return "unreachable";
    case UpstreamResult::Outcome::timeout: return "timeout";
    case UpstreamResult::Outcome::failed: return "failed";
  }
  return "failed";
}

static RelayedResponse relayed_answer(const UpstreamResult& result, std::string_view url) {
  RelayedResponse out;
  if (result.outcome == UpstreamResult::Outcome::ok) {
    out.status = result.status;
    auto connection = connection_of(result.headers);
    for (const auto& [k, v] : result.headers)
      if (!is_hop_by_hop(k, connection)) out.headers.emplace_back(k, v);
    out.body = result.body;
    return out;
  }
  bool timeout = result.outcome == UpstreamResult::Outcome::timeout;
  out.status = timeout ? 504 : 502;
  out.headers = {{"Content-Type", "text/plain"}, {"X-Bbx-Proxy", outcome_name(result.outcome)}};
  std::string upstream = url.empty() ? "upstream" : "upstream " + std::string(url);
  out.body = "bbx proxy: " + upstream + (timeout ? " timed out: " : result.outcome == UpstreamResult::Outcome::unreachable
                                                                   ? " unreachable: " : " failed: ") + result.error + "\n";
  return out;
}

RelayedResponse relay_response(const UpstreamResult& result, std::string_view url, bool head) {
  auto out = relayed_answer(result, url);
  if (!head) return out;
  out.head = true;
  const std::string* length = result.outcome == UpstreamResult::Outcome::ok ? find_header(result.headers, "Content-Length") : nullptr;
  out.headers.emplace_back("Content-Length", length ? *length : std::to_string(out.body.size()));
  out.body.clear();
  return out;
}

nlohmann::json upstream_event(std::uint64_t conn, std::uint64_t request_seq, std::string_view url,
                              const UpstreamRequest& sent, const UpstreamResult& result, std::size_t cap) {
  nlohmann::json request = {{"method", sent.method}, {"target", sent.target}, {"headers", headers_json(sent.headers)}};
  capture_body(sent.body, cap, request);
  nlohmann::json j = {{"conn", conn}, {"request_seq", request_seq}, {"url", url},
                      {"outcome", outcome_name(result.outcome)}, {"error", result.error},
                      {"latency_us", result.latency_ns / 1000}, {"reused", result.reused}, {"request", std::move(request)}};
  if (result.outcome == UpstreamResult::Outcome::ok) {
    nlohmann::json response = {{"status", result.status}, {"headers", headers_json(result.headers)}};
    capture_body(result.body, cap, response);
    j["response"] = std::move(response);
  }
  return j;
}

}  // namespace bbx::fakes
