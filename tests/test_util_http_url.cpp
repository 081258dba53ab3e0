#include <doctest/doctest.h>

#include "util/http_url.hpp"

using namespace bbx::util;

TEST_CASE("http URLs split into host, port and base path") {
  auto u = parse_http_url("http://127.0.0.1:9000");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "9000");
  CHECK(u->base_path == "");
  CHECK(u->authority() == "127.0.0.1:9000");
  u = parse_http_url("http://localhost/v2/");
  REQUIRE(u);
  CHECK(u->port == "80");
  CHECK(u->base_path == "/v2");
  u = parse_http_url("http://[::1]:8080/base");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->authority() == "[::1]:8080");
  CHECK(u->base_path == "/base");
  CHECK_FALSE(u->tls);
  CHECK(u->origin() == "http://[::1]:8080");
}

TEST_CASE("https URLs are TLS, on port 443 unless written") {
  auto u = parse_http_url("https://example.com/api");
  REQUIRE(u);
  CHECK(u->tls);
  CHECK(u->host == "example.com");
  CHECK(u->port == "443");
  CHECK(u->base_path == "/api");
  CHECK(u->origin() == "https://example.com:443");
  u = parse_http_url("https://127.0.0.1:8443");
  REQUIRE(u);
  CHECK(u->port == "8443");
}

TEST_CASE("anything but an http:// or https:// URL is refused with the reason") {
  std::string error;
  CHECK_FALSE(parse_http_url("ftp://x", &error));
  CHECK(error == "expected an http:// or https:// URL, got 'ftp://x'");
  CHECK_FALSE(parse_http_url("https://:443", &error));
  CHECK(error == "no host in 'https://:443'");
  CHECK_FALSE(parse_http_url("http://x:99999", &error));
  CHECK(error == "bad port '99999' in 'http://x:99999'");
  CHECK_FALSE(parse_http_url("http://x:", &error));
  CHECK_FALSE(parse_http_url("http://:80", &error));
  CHECK(error == "no host in 'http://:80'");
  CHECK_FALSE(parse_http_url("http://x/a?b=1", &error));
  CHECK(error == "no query or fragment allowed in an upstream URL, got 'http://x/a?b=1'");
  CHECK_FALSE(parse_http_url("http://[::1", &error));
  CHECK_FALSE(parse_http_url("http://[::1]x", &error));
}
