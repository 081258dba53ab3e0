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
}

TEST_CASE("anything but a plain http:// URL is refused with the reason") {
  std::string error;
  CHECK_FALSE(parse_http_url("ftp://x", &error));
  CHECK(error == "expected an http:// URL, got 'ftp://x'");
  CHECK_FALSE(parse_http_url("https://x", &error));
  CHECK(error == "https upstreams are not supported (use http://)");
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
