#include <doctest/doctest.h>

#include "fakes/http/proxy.hpp"

using namespace bbx;
using fakes::HeaderList;
using fakes::RequestView;
using fakes::UpstreamResult;

namespace {

fakes::UpstreamUrl url(const std::string& text) { return *util::parse_http_url(text); }

std::string header(const HeaderList& headers, const std::string& name) {
  std::string out;
  int n = 0;
  for (const auto& [k, v] : headers)
    if (k == name) out += (n++ ? "|" : "") + v;
  return n ? out : "<absent>";
}

}  // namespace

TEST_CASE("the upstream target strips the prefix at a segment boundary, adds the base, keeps the query") {
  CHECK(fakes::upstream_target("/api/x?y=1", "/api", "") == "/x?y=1");
  CHECK(fakes::upstream_target("/api/x?y=1", "/api/", "/v2") == "/v2/x?y=1");
  CHECK(fakes::upstream_target("/api", "/api", "") == "/");
  CHECK(fakes::upstream_target("/api?q", "/api", "") == "/?q");
  CHECK(fakes::upstream_target("/apix", "/api", "") == "/apix");
  CHECK(fakes::upstream_target("/other", "/api", "/base") == "/base/other");
  CHECK(fakes::upstream_target("/a/b", "", "") == "/a/b");
}

TEST_CASE("hop-by-hop headers, and those Connection names, are not forwarded") {
  for (const char* h : {"Connection", "keep-alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                        "Proxy-Authorization", "Proxy-Authenticate", "Content-Length"})
    CHECK_MESSAGE(fakes::is_hop_by_hop(h, ""), h);
  CHECK(fakes::is_hop_by_hop("X-Secret", "close, x-secret"));
  CHECK_FALSE(fakes::is_hop_by_hop("X-Secret", "close"));
  CHECK_FALSE(fakes::is_hop_by_hop("Content-Type", "keep-alive"));
}

TEST_CASE("the upstream request: Host fixed, X-Forwarded-*, Via, hop-by-hop dropped, remove then set") {
  RequestView in{"POST", "/api/orders?id=3",
                 {{"Host", "fake:8080"}, {"Connection", "keep-alive, X-Drop"}, {"X-Drop", "1"}, {"Content-Length", "2"},
                  {"X-Forwarded-For", "10.1.1.1"}, {"Cookie", "c=1"}, {"Accept", "*/*"}, {"X-Env", "dev"}, {"Expect", "100-continue"}},
                 "{}"};
  model::HttpProxy p;
  p.strip_prefix = "/api";
  p.remove_headers = {"cookie"};
  p.set_headers = {{"X-Env", "test"}, {"Authorization", "Bearer t"}};
  auto r = fakes::build_upstream_request(in, p, url("http://127.0.0.1:9000/v1"), "127.0.0.1", false);
  CHECK(r.method == "POST");
  CHECK(r.target == "/v1/orders?id=3");
  CHECK(r.body == "{}");
  CHECK(header(r.headers, "Host") == "127.0.0.1:9000");
  CHECK(header(r.headers, "X-Forwarded-For") == "10.1.1.1, 127.0.0.1");
  CHECK(header(r.headers, "X-Forwarded-Host") == "fake:8080");
  CHECK(header(r.headers, "X-Forwarded-Proto") == "http");
  CHECK(header(r.headers, "Via") == "1.1 bbx");
  CHECK(header(r.headers, "X-Env") == "test");
  CHECK(header(r.headers, "Authorization") == "Bearer t");
  CHECK(header(r.headers, "Accept") == "*/*");
  for (const char* gone : {"Connection", "X-Drop", "Content-Length", "Cookie", "Expect"}) CHECK_MESSAGE(header(r.headers, gone) == "<absent>", gone);
}

TEST_CASE("a first proxy hop sets X-Forwarded-For to the client alone; HTTPS fakes say so") {
  RequestView in{"GET", "/x", {{"Via", "1.0 edge"}}};
  auto r = fakes::build_upstream_request(in, {}, url("http://[::1]:81"), fakes::address_of("::1:5555"), true);
  CHECK(header(r.headers, "X-Forwarded-For") == "::1");
  CHECK(header(r.headers, "X-Forwarded-Proto") == "https");
  CHECK(header(r.headers, "X-Forwarded-Host") == "<absent>");
  CHECK(header(r.headers, "Host") == "[::1]:81");
  CHECK(header(r.headers, "Via") == "1.0 edge, 1.1 bbx");
  CHECK(fakes::address_of("127.0.0.1:40000") == "127.0.0.1");
}

TEST_CASE("the relayed answer keeps the upstream's status, headers (repeated ones too) and body") {
  UpstreamResult ok;
  ok.outcome = UpstreamResult::Outcome::ok;
  ok.status = 418;
  ok.headers = {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"Transfer-Encoding", "chunked"}, {"Connection", "close"},
                {"Content-Length", "5"}, {"Server", "up"}};
  ok.body = "teapot";
  auto r = fakes::relay_response(ok, "http://127.0.0.1:9000");
  CHECK(r.status == 418);
  CHECK(r.body == "teapot");
  CHECK(r.headers == HeaderList{{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"Server", "up"}});
}

TEST_CASE("a HEAD answer keeps the length a GET would have, and no body") {
  UpstreamResult ok;
  ok.outcome = UpstreamResult::Outcome::ok;
  ok.status = 200;
  ok.headers = {{"Content-Length", "10"}, {"Content-Type", "text/plain"}};
  auto r = fakes::relay_response(ok, "http://h:1", true);
  CHECK(r.head);
  CHECK(r.body.empty());
  CHECK(header(r.headers, "Content-Length") == "10");
  UpstreamResult down;
  down.outcome = UpstreamResult::Outcome::unreachable;
  down.error = "connect: Connection refused";
  r = fakes::relay_response(down, "http://h:1", true);
  CHECK(r.status == 502);
  CHECK(r.body.empty());
  CHECK(header(r.headers, "Content-Length") == "72");
}

TEST_CASE("an unreachable or failing upstream is a 502, a slow one a 504, each saying why") {
  UpstreamResult down;
  down.outcome = UpstreamResult::Outcome::unreachable;
  down.error = "connect: Connection refused";
  auto r = fakes::relay_response(down, "http://127.0.0.1:9");
  CHECK(r.status == 502);
  CHECK(r.body == "bbx proxy: upstream http://127.0.0.1:9 unreachable: connect: Connection refused\n");
  CHECK(header(r.headers, "X-Bbx-Proxy") == "unreachable");
  UpstreamResult slow;
  slow.outcome = UpstreamResult::Outcome::timeout;
  slow.error = "no complete answer within 1s";
  r = fakes::relay_response(slow, "http://h:1");
  CHECK(r.status == 504);
  CHECK(r.body == "bbx proxy: upstream http://h:1 timed out: no complete answer within 1s\n");
  UpstreamResult bad;
  bad.error = "expected an http:// URL, got 'x'";
  r = fakes::relay_response(bad, "");
  CHECK(r.status == 502);
  CHECK(r.body == "bbx proxy: upstream failed: expected an http:// URL, got 'x'\n");
}

TEST_CASE("proxy_for: the matched route's proxy, or the fake's for unmatched requests") {
  model::HttpFakeSpec f;
  f.routes.resize(2);
  f.routes[1].proxy = model::HttpProxy{};
  f.routes[1].proxy->to.text = "http://a";
  fakes::RouteDecision d;
  d.route = 0;
  CHECK(fakes::proxy_for(f, d) == nullptr);
  d.route = 1;
  CHECK(fakes::proxy_for(f, d) == &*f.routes[1].proxy);
  d.route = -1;
  CHECK(fakes::proxy_for(f, d) == nullptr);
  f.proxy = model::HttpProxy{};
  CHECK(fakes::proxy_for(f, d) == &*f.proxy);
}

TEST_CASE("the http.upstream event carries both sides, bodies under the cap with a digest beyond it") {
  fakes::UpstreamRequest sent{"PUT", "/x", {{"Host", "h:1"}}, "0123456789"};
  UpstreamResult ok;
  ok.outcome = UpstreamResult::Outcome::ok;
  ok.status = 200;
  ok.headers = {{"Content-Type", "text/plain"}};
  ok.body = "done";
  ok.latency_ns = 1'500'000;
  ok.reused = true;
  auto j = fakes::upstream_event(3, 17, "http://h:1", sent, ok, 8);
  CHECK(j["conn"] == 3);
  CHECK(j["request_seq"] == 17);
  CHECK(j["url"] == "http://h:1");
  CHECK(j["outcome"] == "ok");
  CHECK(j["latency_us"] == 1500);
  CHECK(j["reused"] == true);
  CHECK(j["request"]["method"] == "PUT");
  CHECK(j["request"]["headers"] == nlohmann::json::parse(R"([["Host","h:1"]])"));
  CHECK(j["request"]["body"] == "01234567");
  CHECK(j["request"]["body_truncated"] == true);
  CHECK(j["request"]["body_sha256"] == "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882");
  CHECK(j["response"]["status"] == 200);
  CHECK(j["response"]["body"] == "done");
  CHECK(j["response"]["body_bytes"] == 4);
  UpstreamResult down;
  down.outcome = UpstreamResult::Outcome::unreachable;
  down.error = "connect: Connection refused";
  j = fakes::upstream_event(1, 2, "http://h:1", sent, down, 64);
  CHECK(j["outcome"] == "unreachable");
  CHECK(j["error"] == "connect: Connection refused");
  CHECK_FALSE(j.contains("response"));
}
