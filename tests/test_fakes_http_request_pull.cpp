#include <doctest/doctest.h>

#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fakes/http_request_pull.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
using bbx::fakes::http_detail::parse_buffered;

namespace {

using Parser = http::request_parser<http::string_body>;

void append(beast::flat_buffer& buffer, const std::string& text) {
  auto space = buffer.prepare(text.size());
  boost::asio::buffer_copy(space, boost::asio::buffer(text));
  buffer.commit(text.size());
}

std::string rest(const beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}


}  // namespace

TEST_CASE("pipelined requests come out one at a time, the next one's bytes left in the buffer") {
  beast::flat_buffer buffer;
  append(buffer, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /c");
  beast::error_code ec;
  Parser p1;
  p1.eager(true);
  REQUIRE(parse_buffered(buffer, p1, ec));
  CHECK(!ec);
  CHECK(p1.get().target() == "/a");
  Parser p2;
  p2.eager(true);
  REQUIRE(parse_buffered(buffer, p2, ec));
  CHECK(!ec);
  CHECK(p2.get().target() == "/b");
  CHECK(p2.get().body() == "hello");
  CHECK(rest(buffer) == "GET /c");
  Parser p3;
  p3.eager(true);
  CHECK_FALSE(parse_buffered(buffer, p3, ec));  // an incomplete header: more bytes needed
  CHECK(!ec);
  append(buffer, " HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(parse_buffered(buffer, p3, ec));
  CHECK(p3.get().target() == "/c");
  CHECK(buffer.size() == 0);
}

TEST_CASE("a body split across reads completes when its last byte arrives") {
  beast::flat_buffer buffer;
  append(buffer, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel");
  beast::error_code ec;
  Parser p;
  p.eager(true);
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  append(buffer, "lo");
  REQUIRE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  CHECK(p.get().body() == "hello");
}

TEST_CASE("an empty buffer needs more; malformed or oversized input is an error, not a wait") {
  beast::flat_buffer buffer;
  beast::error_code ec;
  Parser p;
  p.eager(true);
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  append(buffer, "NOT HTTP AT ALL\r\n\r\n");
  CHECK(parse_buffered(buffer, p, ec));
  CHECK(ec);
  beast::flat_buffer big;
  append(big, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
  Parser limited;
  limited.eager(true);
  limited.body_limit(10);
  CHECK(parse_buffered(big, limited, ec));
  CHECK(ec == http::error::body_limit);
}
